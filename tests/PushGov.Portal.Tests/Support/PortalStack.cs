using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PushGov.Domain.Tenants;
using PushGov.Functions.Cases;
using PushGov.Infrastructure.Tenants;
using PushGov.Local;
using PushGov.LocalHost;
using PushGov.Testing;

namespace PushGov.Portal.Tests.Support;

/// <summary>
/// Everything the portal's browser tests run against, real and on loopback ports: Azurite, PushGov's function app on the
/// local host (every function, so drops flow exactly as in <c>./run.sh</c>) and the portal, which calls the app over HTTP.
/// </summary>
public sealed class PortalStack : IAsyncDisposable
{
    private Azurite? _azurite;
    private LocalFunctionsHost? _functions;
    private WebApplication? _portal;

    /// <summary>The function app's base URL (its API under <c>/api</c>).</summary>
    public Uri ApiUrl { get; private set; } = null!;

    /// <summary>The portal's base URL.</summary>
    public Uri PortalUrl { get; private set; } = null!;

    public IServiceProvider FunctionServices => _functions?.Services ?? throw new InvalidOperationException("Not started.");

    public IServiceProvider PortalServices => _portal?.Services ?? throw new InvalidOperationException("Not started.");

    /// <summary>The tenants made at start, in the order named: each with a staff key, an admin key, and the portal's ResidentPortal key.</summary>
    public IReadOnlyList<(string Tenant, string StaffKey, string AdminKey)> Tenants { get; private set; } = [];

    /// <summary>Starts everything with a tenant per name; the portal gets each tenant's ResidentPortal key (its residents' side).</summary>
    public static async Task<PortalStack> StartAsync(params string[] tenantNames)
    {
        var stack = new PortalStack();
        stack._azurite = await Azurite.StartAsync();
        (stack._functions, stack.ApiUrl) = await StartFunctionAppAsync(stack._azurite.ConnectionString);
        var tenants = new List<(string, string, string)>();
        var residentKeys = new Dictionary<string, string>();
        foreach (var name in tenantNames)
        {
            var t = await stack.NewTenantAsync(name);
            tenants.Add(t);
            residentKeys[t.Tenant] = (await stack.FunctionServices.GetRequiredService<ApiKeyStore>().CreateAsync(t.Tenant, ApiRole.ResidentPortal, "portal-residents", CancellationToken.None)).Key;
        }

        stack.Tenants = tenants;
        stack._portal = PortalApp.Build(["--urls", "http://127.0.0.1:0", "--contentRoot", PortalContentRoot()], b =>
        {
            b.Configuration["PushGov:Portal:ApiBaseUrl"] = stack.ApiUrl.ToString();
            b.Configuration["Logging:LogLevel:Default"] = "Warning";
            foreach (var (tenant, key) in residentKeys)
            {
                b.Configuration[$"PushGov:Portal:ResidentKeys:{tenant}"] = key;
            }
        });
        await stack._portal.StartAsync();
        stack.PortalUrl = new Uri(stack._portal.Urls.First());
        return stack;
    }

    /// <summary>A tenant with a staff key and an admin key (the admin key is the test's, to read the audit log).</summary>
    private async Task<(string Tenant, string StaffKey, string AdminKey)> NewTenantAsync(string name)
    {
        var code = TestTenants.Next();
        await FunctionServices.GetRequiredService<TenantStore>().SaveAsync(new TenantConfig { Code = code, Name = name }, create: true, CancellationToken.None);
        var keys = FunctionServices.GetRequiredService<ApiKeyStore>();
        var staff = await keys.CreateAsync(code, ApiRole.Staff, "portal-tests", CancellationToken.None);
        var admin = await keys.CreateAsync(code, ApiRole.Admin, "portal-tests", CancellationToken.None);
        return (code, staff.Key, admin.Key);
    }

    /// <summary>An HTTP client on the API with a key, as a municipality's own system would use it.</summary>
    public HttpClient Api(string key)
    {
        var client = new HttpClient { BaseAddress = ApiUrl, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        if (_portal is not null)
        {
            await _portal.StopAsync();
            await _portal.DisposeAsync();
        }

        if (_functions is not null)
        {
            await _functions.DisposeAsync();
        }

        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }

    /// <summary>The function app on the local host on a real loopback port (as <c>./run.sh</c> runs it).</summary>
    private static async Task<(LocalFunctionsHost App, Uri Url)> StartFunctionAppAsync(string connectionString)
    {
        var app = LocalFunctionsHost.Create(LocalApp.Options(
            TestAppSettings.For(connectionString, "portal"),
            hostId: "portal-" + Guid.NewGuid().ToString("N")[..8],
            blobPolling: TimeSpan.FromMilliseconds(300),
            logging: l => l.SetMinimumLevel(LogLevel.Warning)));
        await app.StartAsync();
        app.Services.GetRequiredService<DurableCases>().Use(app.Services.GetRequiredService<DurableTaskClient>());
        return (app, app.HttpAddress);
    }

    private static string PortalContentRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "functions", "PushGov.Portal");
            if (Directory.Exists(Path.Combine(candidate, "wwwroot")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("functions/PushGov.Portal (with wwwroot) not found above the test's directory.");
    }
}
