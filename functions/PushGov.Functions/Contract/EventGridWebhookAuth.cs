using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace PushGov.Functions.Contract;

/// <summary>
/// <c>PushGov:EventGrid</c>: how <c>POST /api/events/acs</c> knows a request comes from our Event Grid subscription.
/// <list type="bullet">
/// <item><c>Secret</c> (at least 32 characters; in Azure a Key Vault reference): the subscription sends it as the
/// secret delivery attribute header <c>X-PushGov-EventGrid-Secret</c> (or <c>?code=</c> in its endpoint URL).</item>
/// <item><c>EntraTenantId</c> and <c>EntraAudience</c>: webhook delivery with Microsoft Entra authentication; Event
/// Grid sends an access token for the audience (the app registration's Application ID URI or client id), issued by
/// that tenant. <c>EntraClientId</c> (optional) pins the token's caller (appid/azp).</item>
/// </list>
/// Every mechanism configured must pass. None configured: the webhook is disabled and refuses everything (fail closed).
/// </summary>
public sealed class EventGridWebhookOptions
{
    public const string Section = "PushGov:EventGrid";

    public const int MinSecretLength = 32;

    public string? Secret { get; set; }

    public string? EntraTenantId { get; set; }

    public string? EntraAudience { get; set; }

    public string? EntraClientId { get; set; }

    /// <summary>
    /// A secret long enough to be one. An app setting whose Key Vault reference does not resolve (the secret is missing,
    /// or no access) stays its literal text <c>@Microsoft.KeyVault(…)</c>, guessable from the vault's name: not a secret.
    /// </summary>
    public bool SecretConfigured => Secret is { Length: >= MinSecretLength } && !UnresolvedKeyVaultReference;

    public bool UnresolvedKeyVaultReference => Secret?.TrimStart().StartsWith("@Microsoft.KeyVault(", StringComparison.OrdinalIgnoreCase) == true;

    public bool EntraConfigured => !string.IsNullOrWhiteSpace(EntraTenantId) && !string.IsNullOrWhiteSpace(EntraAudience);

    public bool Enabled => SecretConfigured || EntraConfigured;

    /// <summary>What the app says at start.</summary>
    public string Describe() => Enabled
        ? $"Event Grid webhook POST /api/events/acs: authenticated by {string.Join(" and ", new[] { SecretConfigured ? "the shared secret" : null, EntraConfigured ? "an Entra ID token" : null }.OfType<string>())}."
        : UnresolvedKeyVaultReference
            ? "Event Grid webhook POST /api/events/acs is DISABLED: PushGov:EventGrid:Secret is an unresolved Key Vault reference (does the secret exist, may the app read it?) and no Entra authentication is configured; every request is refused."
        : Secret is { Length: > 0 }
            ? $"Event Grid webhook POST /api/events/acs is DISABLED: PushGov:EventGrid:Secret is shorter than {MinSecretLength} characters and no Entra authentication is configured; every request is refused."
            : "Event Grid webhook POST /api/events/acs is DISABLED: no authentication is configured (PushGov:EventGrid:Secret, or EntraTenantId and EntraAudience); every request is refused.";
}

/// <summary>The signing keys and issuer metadata of the Entra tenant (replaceable in tests: no network).</summary>
public sealed class EventGridSigningKeys(BaseConfigurationManager manager)
{
    public BaseConfigurationManager Manager { get; } = manager;

    public static EventGridSigningKeys ForTenant(string tenantId) =>
        new(new ConfigurationManager<OpenIdConnectConfiguration>($"https://login.microsoftonline.com/{Uri.EscapeDataString(tenantId)}/v2.0/.well-known/openid-configuration", new OpenIdConnectConfigurationRetriever(), new HttpDocumentRetriever()));
}

/// <summary>Checks one webhook request against <see cref="EventGridWebhookOptions"/>, whatever the host.</summary>
public sealed class EventGridWebhookAuth(EventGridWebhookOptions options, EventGridSigningKeys? keys)
{
    private readonly JsonWebTokenHandler _tokens = new() { MapInboundClaims = false };

    /// <summary>Null when the request may go on; otherwise the 401 to answer.</summary>
    public async Task<ApiProblem?> RefuseAsync(string? secretHeader, string? code, string? authorization, CancellationToken ct)
    {
        if (!options.Enabled)
        {
            return ApiProblem.Unauthorized("This webhook is disabled: no authentication is configured for it.");
        }

        if (options.SecretConfigured && !SameSecret(options.Secret!, string.IsNullOrEmpty(secretHeader) ? code : secretHeader))
        {
            return ApiProblem.Unauthorized($"Send the subscription's secret in {ApiContract.EventGridSecretHeader} (or ?code=).");
        }

        if (options.EntraConfigured && !await ValidTokenAsync(authorization, ct))
        {
            return ApiProblem.Unauthorized("Send the Entra ID token Event Grid obtains for this webhook (Authorization: Bearer).");
        }

        return null;
    }

    private async Task<bool> ValidTokenAsync(string? authorization, CancellationToken ct)
    {
        if (keys is null || authorization is null || !authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var tenant = options.EntraTenantId!.Trim();
        var parameters = new TokenValidationParameters
        {
            ConfigurationManager = keys.Manager,
            ValidIssuers = [$"https://sts.windows.net/{tenant}/", $"https://login.microsoftonline.com/{tenant}/v2.0"],
            ValidAudience = options.EntraAudience!.Trim(),
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidateLifetime = true,
            ValidateIssuerSigningKey = true,
            RequireSignedTokens = true,
            ClockSkew = TimeSpan.FromMinutes(2),
        };
        ct.ThrowIfCancellationRequested();
        var result = await _tokens.ValidateTokenAsync(authorization["Bearer ".Length..].Trim(), parameters);
        if (!result.IsValid)
        {
            return false;
        }

        if (string.IsNullOrWhiteSpace(options.EntraClientId))
        {
            return true;
        }

        var caller = result.Claims.TryGetValue("appid", out var appid) ? appid as string : result.Claims.TryGetValue("azp", out var azp) ? azp as string : null;
        return string.Equals(caller, options.EntraClientId.Trim(), StringComparison.OrdinalIgnoreCase);
    }

    private static bool SameSecret(string expected, string? given) =>
        given is not null && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(expected)), SHA256.HashData(Encoding.UTF8.GetBytes(given)));
}
