namespace PushGov.Portal;

/// <summary>
/// Settings under <c>PushGov:Portal</c> (environment: <c>PushGov__Portal__…</c>).
/// </summary>
public sealed class PortalOptions
{
    public const string Section = "PushGov:Portal";

    /// <summary>Where PushGov's API is, e.g. <c>https://pushgov-func.azurewebsites.net</c> (the portal adds <c>/api/…</c>).</summary>
    public string ApiBaseUrl { get; set; } = string.Empty;

    /// <summary>How long a sign-in lasts (not sliding).</summary>
    public TimeSpan SignInLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>Where Data Protection keeps its keys (cookies survive a restart); unset: the default location.</summary>
    public string? DataProtectionKeysPath { get; set; }

    /// <summary>
    /// The residents' side: per tenant code, the ResidentPortal API key the portal calls PushGov with when a resident
    /// follows their signed link (<c>PushGov__Portal__ResidentKeys__{tenant}</c>; a Key Vault reference in Azure). A tenant
    /// without a key here gets the "link cannot be used" page for every link.
    /// </summary>
    public Dictionary<string, string> ResidentKeys { get; set; } = [];

    /// <summary>Behind App Service Authentication (Entra ID): staff sign in there, not with a key. See docs/deploy.md.</summary>
    public EasyAuthOptions EasyAuth { get; set; } = new();
}

/// <summary>
/// App Service Authentication ("Easy Auth") in front of the portal: the platform signs staff in with Entra ID and passes
/// their access token for the PushGov API (<c>X-MS-TOKEN-AAD-ACCESS-TOKEN</c>, token store on, login scope the API's);
/// the portal forwards it as the bearer. The tenant is this deployment's (the API checks the token's tenant claim).
/// </summary>
public sealed class EasyAuthOptions
{
    public bool Enabled { get; set; }

    /// <summary>The tenant (local government code) this portal deployment serves.</summary>
    public string Tenant { get; set; } = string.Empty;
}
