using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using Azure.Data.Tables;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PushGov.Domain.Tenants;
using PushGov.Functions.Cases;
using PushGov.Infrastructure.Drops;
using PushGov.Infrastructure.Storage;
using PushGov.Infrastructure.Tenants;
using PushGov.Local;
using PushGov.LocalHost;
using PushGov.Testing;

namespace PushGov.Functions.Tests.Api;

/// <summary>
/// The API tests share one Azurite of their own (not the "Azurite" collection's), so draining the queues here never
/// touches another test's messages. Each test works in its own tenant.
/// </summary>
[CollectionDefinition("Api")]
public sealed class ApiCollection : ICollectionFixture<ApiFixture>;

public sealed class ApiFixture : IAsyncLifetime
{
    private static int _nextTenant = 10_000 + Random.Shared.Next(0, 50_000);
    private Azurite? _azurite;

    public Azurite Azurite => _azurite ?? throw new InvalidOperationException("Azurite has not started.");

    public ApiFactory Factory { get; private set; } = null!;

    public StorageClients Storage { get; private set; } = null!;

    public T Service<T>()
        where T : notnull => Factory.Services.GetRequiredService<T>();

    public async Task InitializeAsync()
    {
        _azurite = await Azurite.StartAsync();
        Storage = StorageClients.FromConnectionString(_azurite.ConnectionString);
        await Storage.EnsureCreatedAsync();
        Factory = new ApiFactory(_azurite.ConnectionString);
        await Factory.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }

    /// <summary>A fresh valid tenant code (5 digits and the check digit).</summary>
    public static string NewTenantCode()
    {
        var n = Interlocked.Increment(ref _nextTenant) % 100_000;
        var digits = n.ToString("D5");
        int[] weights = [6, 5, 4, 3, 2];
        var sum = 0;
        for (var i = 0; i < 5; i++)
        {
            sum += (digits[i] - '0') * weights[i];
        }

        return digits + ((11 - (sum % 11)) % 10);
    }

    /// <summary>Creates a tenant with one key per role.</summary>
    public async Task<TestTenant> NewTenantAsync(Func<TenantConfig, TenantConfig>? configure = null)
    {
        var code = NewTenantCode();
        var config = new TenantConfig { Code = code, Name = "テスト市" };
        await Service<TenantStore>().SaveAsync(configure?.Invoke(config) ?? config, create: true, CancellationToken.None);
        var keys = Service<ApiKeyStore>();
        var portal = await keys.CreateAsync(code, ApiRole.ResidentPortal, "portal", CancellationToken.None);
        var staff = await keys.CreateAsync(code, ApiRole.Staff, "staff", CancellationToken.None);
        var admin = await keys.CreateAsync(code, ApiRole.Admin, "admin", CancellationToken.None);
        var test = await keys.CreateAsync(code, ApiRole.Test, "test", CancellationToken.None);
        return new TestTenant(code, portal.Key, staff.Key, admin.Key, test.Key, portal.Record.KeyId, staff.Record.KeyId, admin.Record.KeyId);
    }

    public HttpClient Client(string? key)
    {
        var client = Factory.CreateClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    /// <summary>Uploads a drop and ingests it in-process (the blob trigger does not run in these tests).</summary>
    public async Task<DropIngestor.Result> IngestAsync(string tenant, string dataset, string csv)
    {
        var name = $"{tenant}/{dataset}/{DateTime.UtcNow:yyyyMMdd-HHmmssfff}-{Guid.NewGuid():N}.csv";
        await Storage.Container(StorageNames.Containers.Drops).GetBlobClient(name).UploadAsync(new BinaryData(Encoding.UTF8.GetBytes(csv)), overwrite: true);
        return await Service<DropIngestor>().IngestAsync(name, CancellationToken.None);
    }

    /// <summary>
    /// Waits until the app is quiet: no message left on <c>send</c> and no case still detected or matched, twice in a
    /// row (the sender and the case orchestrations run on the local host by themselves).
    /// </summary>
    public async Task DrainAsync()
    {
        var send = Storage.Queue(StorageNames.Queues.Send);
        var cases = Storage.Table(StorageNames.Tables.Cases);
        var quiet = 0;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (quiet < 2)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The app did not become quiet within 60 s.");
            }

            await Task.Delay(250);
            var queued = (await send.GetPropertiesAsync()).Value.ApproximateMessagesCount;
            var inFlight = false;
            await foreach (var _ in cases.QueryAsync<TableEntity>("State eq 'Detected' or State eq 'Matched'", maxPerPage: 1, select: ["RowKey"]))
            {
                inFlight = true;
                break;
            }

            quiet = queued == 0 && !inFlight ? quiet + 1 : 0;
        }
    }
}

public sealed record TestTenant(string Code, string PortalKey, string StaffKey, string AdminKey, string TestKey, string PortalKeyId, string StaffKeyId, string AdminKeyId);

/// <summary>
/// The app on the local host (the same [Function] methods as in Azure) on the given storage, with every log line
/// captured. Every function runs but the blob trigger: the tests ingest drops in-process.
/// </summary>
public sealed class ApiFactory : IAsyncDisposable
{
    private readonly LocalFunctionsHost _host;
    private readonly SemaphoreSlim _start = new(1, 1);
    private bool _started;

    public ApiFactory(string connectionString, IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var all = TestAppSettings.For(connectionString, "api");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var metadata = Path.Combine(Path.GetDirectoryName(typeof(Hosting.PushGovServices).Assembly.Location)!, "functions.metadata");
        var functions = System.Text.Json.JsonDocument.Parse(File.ReadAllText(metadata)).RootElement.EnumerateArray()
            .Select(f => f.GetProperty("name").GetString()!).Where(n => n != "IngestDrop").ToList();
        _host = LocalFunctionsHost.Create(LocalApp.Options(all, functions: functions, logging: l => l.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace), services: services));
    }

    public LogCapture Logs { get; } = new();

    public IServiceProvider Services => _host.Services;

    public async Task StartAsync()
    {
        await _start.WaitAsync();
        try
        {
            if (!_started)
            {
                await _host.StartAsync();
                _host.Services.GetRequiredService<DurableCases>().Use(_host.Services.GetRequiredService<DurableTaskClient>());
                _started = true;
            }
        }
        finally
        {
            _start.Release();
        }
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

/// <summary>Captures every log entry as text: message, every scope's values and the exception with its inner ones.</summary>
public sealed class LogCapture : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<string> _lines = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyCollection<string> Lines => _lines;

    public string Text => string.Join("\n", _lines);

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = new StringBuilder($"{logLevel} {category}: {formatter(state, exception)}");
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
            {
                foreach (var (k, v) in values)
                {
                    line.Append($" [{k}={v}]");
                }
            }

            owner._scopes.ForEachScope(
                (scope, sb) =>
                {
                    sb.Append(" scope:");
                    if (scope is IEnumerable<KeyValuePair<string, object>> pairs)
                    {
                        foreach (var (k, v) in pairs)
                        {
                            sb.Append($" {k}={v}");
                        }
                    }
                    else
                    {
                        sb.Append(scope);
                    }
                },
                line);
            for (var e = exception; e is not null; e = e.InnerException)
            {
                line.Append($" exception: {e}");
            }

            owner._lines.Enqueue(line.ToString());
        }
    }
}
