using Microsoft.AspNetCore.Authentication.JwtBearer;
using PushGov.Functions.Api;
using PushGov.Functions.Contract;
using PushGov.Infrastructure.Audit;

namespace PushGov.Functions.Hosting;

/// <summary>
/// Registrations of the portals' API: the gate every HTTP function passes (<see cref="ApiGate"/>: keys and Entra ID tokens
/// when configured, permissions, audit, problem+json), the audit log, retention, the readers behind the staff portal,
/// continuation tokens and the JSON options of the answers.
/// </summary>
public static class ApiServices
{
    public static IServiceCollection AddPushGovApi(this IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton<AuditLog>();
        services.AddSingleton<Retention>();
        services.AddSingleton<Infrastructure.Reporting.DropList>();
        services.AddSingleton<Infrastructure.Reporting.Dashboard>();
        services.AddSingleton<Infrastructure.Reporting.TakeUpFigures>();
        services.AddSingleton<Infrastructure.Residents.CasePeople>();
        services.AddSingleton(_ => new ContinuationTokens(config["PushGov:ApiKeyPepper"] ?? throw new InvalidOperationException("PushGov:ApiKeyPepper must be set.")));
        services.AddSingleton<ApiGate>();
        services.AddApiJson();

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
}
