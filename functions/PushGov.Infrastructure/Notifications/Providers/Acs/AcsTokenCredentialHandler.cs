using System.Net.Http.Headers;
using Azure.Core;

namespace PushGov.Infrastructure.Notifications.Providers.Acs;

/// <summary>
/// Microsoft Entra ID for ACS: a bearer token for <see cref="Scope"/> from a <see cref="TokenCredential"/> (a managed
/// identity in Azure), cached until five minutes before it expires (or until the credential's refresh time).
/// </summary>
public sealed class AcsTokenCredentialHandler : DelegatingHandler
{
    /// <summary>The ACS data-plane scope (the double slash is part of it).</summary>
    public const string Scope = "https://communication.azure.com//.default";

    private static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);

    private readonly TokenCredential credential;
    private readonly TimeProvider time;
    private readonly SemaphoreSlim gate = new(1, 1);
    private AccessToken? cached;

    public AcsTokenCredentialHandler(TokenCredential credential, TimeProvider time)
    {
        this.credential = credential ?? throw new ArgumentNullException(nameof(credential));
        this.time = time ?? throw new ArgumentNullException(nameof(time));
    }

    public AcsTokenCredentialHandler(TokenCredential credential, TimeProvider time, HttpMessageHandler innerHandler)
        : this(credential, time) => InnerHandler = innerHandler;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var token = await GetTokenAsync(cancellationToken);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await base.SendAsync(request, cancellationToken);
    }

    private async Task<string> GetTokenAsync(CancellationToken cancellationToken)
    {
        if (cached is { } fresh && !NeedsRefresh(fresh))
        {
            return fresh.Token;
        }

        await gate.WaitAsync(cancellationToken);
        try
        {
            if (cached is { } again && !NeedsRefresh(again))
            {
                return again.Token;
            }

            var token = await credential.GetTokenAsync(new TokenRequestContext([Scope]), cancellationToken);
            cached = token;
            return token.Token;
        }
        finally
        {
            gate.Release();
        }
    }

    private bool NeedsRefresh(AccessToken token)
    {
        var now = time.GetUtcNow();
        return now >= token.ExpiresOn - RefreshMargin || (token.RefreshOn is { } refreshOn && now >= refreshOn);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            gate.Dispose();
        }

        base.Dispose(disposing);
    }
}
