using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using PushGov.Functions.Api;
using PushGov.Functions.Contract;
using PushGov.Functions.CustomHandler;
using PushGov.Functions.Handlers;
using PushGov.Infrastructure.Audit;

namespace PushGov.Functions.Hosting;

/// <summary>
/// Registrations of the portals' API beyond cases, drops and notifications: preferences, staff actions, the audit log,
/// retention, Entra ID tokens (when configured), continuation tokens, the OpenAPI document (written from
/// <see cref="ApiContract"/>), and problem+json for every error.
/// </summary>
public static class ApiServices
{
    public static IServiceCollection AddPushGovApi(this IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton<AuditLog>();
        services.AddSingleton<Retention>();
        services.AddSingleton<Infrastructure.Reporting.DropList>();
        services.AddSingleton<Infrastructure.Reporting.Dashboard>();
        services.AddSingleton<Infrastructure.Residents.CasePeople>();
        services.AddSingleton<IFunction, RetentionFunction>();
        services.AddSingleton(_ => new ContinuationTokens(config["PushGov:ApiKeyPepper"] ?? throw new InvalidOperationException("PushGov:ApiKeyPepper must be set.")));

        // A query value that does not bind (?max=abc) is the caller's error: 400, not 500, in every environment.
        services.Configure<ExceptionHandlerOptions>(o => o.StatusCodeSelector = e => e is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError);

        // Every error is application/problem+json, whatever the Accept header asks (first writer wins).
        services.Insert(0, ServiceDescriptor.Singleton<IProblemDetailsWriter, ApiProblemWriter>());

        var entra = new EntraOptions();
        config.GetSection(EntraOptions.Section).Bind(entra);
        if (entra.Enabled)
        {
            services.AddSingleton(entra);
            services.AddSingleton<EntraTokens>();
            services.AddAuthentication().AddJwtBearer(JwtBearerDefaults.AuthenticationScheme, o =>
            {
                o.Authority = entra.Authority;
                o.Audience = entra.Audience;
                o.MapInboundClaims = false;
                o.TokenValidationParameters.ValidateIssuer = true;
                o.TokenValidationParameters.ValidateAudience = true;
                o.TokenValidationParameters.ValidateLifetime = true;
                o.TokenValidationParameters.ValidateIssuerSigningKey = true;
                o.TokenValidationParameters.RequireSignedTokens = true;
                o.TokenValidationParameters.ClockSkew = TimeSpan.FromMinutes(2);
                o.Events = new JwtBearerEvents
                {
                    // API keys travel in the same header: they are not JWTs, so the handler does not try to parse them.
                    OnMessageReceived = context =>
                    {
                        var header = context.Request.Headers.Authorization.ToString();
                        if (header.StartsWith("Bearer pg_", StringComparison.OrdinalIgnoreCase))
                        {
                            context.NoResult();
                        }

                        return Task.CompletedTask;
                    },
                };
                if (!string.IsNullOrWhiteSpace(entra.Issuer))
                {
                    o.TokenValidationParameters.ValidIssuer = entra.Issuer;
                }
            });
        }

        return services;
    }

    /// <summary>Maps preferences, staff actions, the audit log and <c>GET /api/openapi.json</c>.</summary>
    public static RouteGroupBuilder MapPushGovApi(this RouteGroupBuilder api, RouteGroupBuilder tenants)
    {
        tenants.MapPreferencesApi();
        tenants.MapStaffApi();
        tenants.MapAuditApi();
        tenants.MapDashboardApi();
        tenants.MapCatalogApi();
        tenants.MapCasePeopleApi();
        tenants.MapResidentApi();
        api.MapGet("/openapi.json", () => Results.Text(OpenApiDocument.Json, MediaType.Json, System.Text.Encoding.UTF8)).Describe(ApiContract.OpenApi);
        return api;
    }

    /// <summary>Writes every problem as <c>application/problem+json</c>, with a detail for the answers routing gives on its own.</summary>
    private sealed class ApiProblemWriter(IOptions<JsonOptions> json) : IProblemDetailsWriter
    {
        public bool CanWrite(ProblemDetailsContext context) => true;

        public ValueTask WriteAsync(ProblemDetailsContext context)
        {
            var http = context.HttpContext;
            var problem = context.ProblemDetails;
            problem.Status ??= http.Response.StatusCode;
            var (title, detail) = problem.Status switch
            {
                404 => ("Not found", "There is no such resource. The routes are listed at /api/openapi.json."),
                405 => ("Method not allowed", $"This route does not take {Limit(http.Request.Method)}."),
                413 => ("Payload too large", "The body is larger than this endpoint accepts."),
                415 => ("Unsupported media type", "This route does not take this Content-Type; each route's media types are listed at /api/openapi.json."),
                400 => ("Bad request", "The request is malformed (the server could not read it before any parameter)."),
                401 => ("Unauthorized", "Send a valid API key: Authorization: Bearer pg_…."),
                403 => ("Forbidden", "This key may not use this route."),
                500 => ("Internal server error", "Something went wrong on our side; it has been logged."),
                _ => ("Error", null),
            };
            problem.Title ??= title;
            if (context.Exception is BadHttpRequestException bad && problem.Status is >= 400 and < 500)
            {
                problem.Title = title;
                problem.Detail = bad.Message.Length > 300 ? bad.Message[..300] + "…" : bad.Message;
            }

            problem.Detail ??= detail;
            if (http.Response.HasStarted)
            {
                return ValueTask.CompletedTask;
            }

            return new ValueTask(http.Response.WriteAsJsonAsync(problem, problem.GetType(), json.Value.SerializerOptions, "application/problem+json", http.RequestAborted));
        }

        private static string Limit(string s) => s.Length > 20 ? s[..20] + "…" : s;
    }
}
