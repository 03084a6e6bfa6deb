using Microsoft.AspNetCore.Authentication.JwtBearer;
using PushGov.Functions.Api;
using PushGov.Infrastructure.Audit;

namespace PushGov.Functions.Hosting;

/// <summary>
/// Registrations of the portals' API: the gate every HTTP function passes (keys, Entra ID tokens when configured, audit,
/// problem+json), the audit log, retention, and the JSON options of its answers.
/// </summary>
public static class ApiServices
{
    public static IServiceCollection AddPushGovApi(this IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton<AuditLog>();
        services.AddSingleton<Retention>();
        services.AddSingleton<ApiGate>();
        services.AddApiJson();

        var entra = new EntraOptions();
        config.GetSection(EntraOptions.Section).Bind(entra);
        if (entra.Enabled)
        {
            services.AddSingleton(entra);
            services.AddSingleton<EntraTokens>();

            // The JwtBearer options only (their validation parameters and the authority's metadata): EntraTokens validates.
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
                o.TokenValidationParameters.ValidAudience = entra.Audience;
                if (!string.IsNullOrWhiteSpace(entra.Issuer))
                {
                    o.TokenValidationParameters.ValidIssuer = entra.Issuer;
                }
            });
        }

        return services;
    }
}
