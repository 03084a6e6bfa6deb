using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using PushGov.Domain.Tenants;
using PushGov.Infrastructure.Storage;
using PushGov.Infrastructure.Tenants;
using PushGov.Testing;

namespace PushGov.Functions.Tests.Support;

/// <summary>
/// The real app in-process (TestServer) against the test run's Azurite. With <c>triggerHost</c> its local trigger host
/// runs too, so a blob dropped into Azurite flows through the app exactly as in <c>./run.sh</c>.
/// </summary>
public sealed class PushGovApp(string connectionString, bool triggerHost, Action<IServiceCollection>? services = null, string? hostId = null, string? scriptRoot = null, IReadOnlyDictionary<string, string>? settings = null) : WebApplicationFactory<Program>
{
    public const string Pepper = "test-pepper-0123456789abcdef";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("AzureWebJobsStorage", connectionString);
        builder.UseSetting("PushGov:ApiKeyPepper", Pepper);
        builder.UseSetting("PushGov:ResidentLinks:Key", "push-gov-app-resident-link-key-0123456789");
        builder.UseSetting("PushGov:TriggerHost:Enabled", triggerHost ? "true" : "false");
        builder.UseSetting("PushGov:TriggerHost:BlobPollingInterval", "00:00:00.300");
        builder.UseSetting("PushGov:TriggerHost:HostId", hostId ?? "test-" + Guid.NewGuid().ToString("N")[..8]);
        if (scriptRoot is not null)
        {
            builder.UseSetting("PushGov:TriggerHost:ScriptRoot", scriptRoot);
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            builder.UseSetting(key, value);
        }

        if (services is not null)
        {
            builder.ConfigureServices(services);
        }
    }

    public StorageClients Storage => Services.GetRequiredService<StorageClients>();

    /// <summary>Creates a tenant and returns an HTTP client carrying a key of <paramref name="role"/> for it.</summary>
    public async Task<(string Tenant, HttpClient Client, string Key)> NewTenantAsync(ApiRole role = ApiRole.Admin, string? code = null)
    {
        var tenant = code ?? TestTenants.Next();
        await Storage.EnsureCreatedAsync();
        await Services.GetRequiredService<TenantStore>().SaveAsync(new TenantConfig { Code = tenant, Name = "テスト市" }, create: true, CancellationToken.None);
        var (key, _) = await Services.GetRequiredService<ApiKeyStore>().CreateAsync(tenant, role, "test", CancellationToken.None);
        return (tenant, ClientWith(key), key);
    }

    public HttpClient ClientWith(string key)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }
}
