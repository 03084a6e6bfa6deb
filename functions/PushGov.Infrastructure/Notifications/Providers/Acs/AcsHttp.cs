using Azure.Core;
using Azure.Identity;

namespace PushGov.Infrastructure.Notifications.Providers.Acs;

/// <summary>Builds the HTTP pipeline for the ACS clients: transport, then the authentication chosen by <see cref="AcsOptions"/>.</summary>
public static class AcsHttp
{
    /// <summary>
    /// The authentication handler: HMAC signing with the access key, or an Entra ID bearer token when
    /// <see cref="AcsOptions.UseManagedIdentity"/> (from <paramref name="credential"/>, default a managed identity).
    /// </summary>
    public static DelegatingHandler CreateAuthenticationHandler(AcsOptions options, TimeProvider time, TokenCredential? credential = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var (_, key) = options.Resolve();
        if (options.UseManagedIdentity)
        {
            return new AcsTokenCredentialHandler(credential ?? CreateManagedIdentityCredential(options), time);
        }

        return new AcsHmacSigningHandler(key!, time);
    }

    /// <summary>The system-assigned managed identity, or the user-assigned one named by <see cref="AcsOptions.ManagedIdentityClientId"/>.</summary>
    public static TokenCredential CreateManagedIdentityCredential(AcsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return string.IsNullOrEmpty(options.ManagedIdentityClientId)
            ? new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned)
            : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(options.ManagedIdentityClientId));
    }

    /// <summary>An HttpClient for the ACS clients, outside dependency injection (CLI, benchmarks, tests).</summary>
    public static HttpClient CreateClient(AcsOptions options, TimeProvider time, TokenCredential? credential = null, HttpMessageHandler? transport = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var auth = CreateAuthenticationHandler(options, time, credential);
        auth.InnerHandler = transport ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        return new HttpClient(auth) { Timeout = options.RequestTimeout };
    }
}
