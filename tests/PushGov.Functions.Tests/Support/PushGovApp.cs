using System.Net.Http.Headers;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using PushGov.Domain.Tenants;
using PushGov.Functions.Cases;
using PushGov.Infrastructure.Storage;
using PushGov.Infrastructure.Tenants;
using PushGov.Local;
using PushGov.LocalHost;
using PushGov.Testing;

namespace PushGov.Functions.Tests.Support;

/// <summary>
/// The whole app on the local host (every function of functions.metadata, the blob trigger included) against the test
/// run's Azurite, so a blob dropped into Azurite flows through the app exactly as in <c>./run.sh</c>. Each app has a task
/// hub and host id of its own unless given.
/// </summary>
public sealed class PushGovApp : IAsyncDisposable
{
    private readonly LocalFunctionsHost _host;
    private readonly SemaphoreSlim _start = new(1, 1);
    private bool _started;

    public PushGovApp(string connectionString, Action<IServiceCollection>? services = null, string? hostId = null, IReadOnlyDictionary<string, string>? settings = null, string? taskHub = null)
    {
        var all = TestAppSettings.For(connectionString);
        if (taskHub is not null)
        {
            all["PushGov:TaskHub"] = taskHub;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            all[key] = value;
        }

        _host = LocalFunctionsHost.Create(LocalApp.Options(all, hostId: hostId ?? "test-" + Guid.NewGuid().ToString("N")[..8], blobPolling: TimeSpan.FromMilliseconds(300), services: services));
    }

    public IServiceProvider Services => _host.Services;

    public StorageClients Storage => Services.GetRequiredService<StorageClients>();

    public async Task StartAsync()
    {
        await _start.WaitAsync();
        try
        {
            if (!_started)
            {
                await _host.StartAsync();
                Services.GetRequiredService<DurableCases>().Use(Services.GetRequiredService<DurableTaskClient>());
                _started = true;
            }
        }
        finally
        {
            _start.Release();
        }
    }

    /// <summary>Creates a tenant and returns an HTTP client carrying a key of <paramref name="role"/> for it.</summary>
    public async Task<(string Tenant, HttpClient Client, string Key)> NewTenantAsync(ApiRole role = ApiRole.Admin, string? code = null)
    {
        await StartAsync();
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

    /// <summary>A client of the app (started on first use), which does not follow redirects.</summary>
    public HttpClient CreateClient()
    {
        StartAsync().GetAwaiter().GetResult();
        return new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _host.HttpAddress };
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        _start.Dispose();
    }
}
