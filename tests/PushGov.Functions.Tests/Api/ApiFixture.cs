using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PushGov.Domain.Tenants;
using PushGov.Infrastructure.Cases;
using PushGov.Infrastructure.Drops;
using PushGov.Infrastructure.Messaging;
using PushGov.Infrastructure.Storage;
using PushGov.Infrastructure.Tenants;
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
    public const string Pepper = "api-tests-pepper-0123456789";

    /// <summary>The app's key for residents' signed links (tests sign their own links with it).</summary>
    public const string LinkKey = "api-tests-resident-link-key-0123456789";

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
        _ = Factory.Server; // start the app
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
        var client = Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    /// <summary>Uploads a drop and ingests it in-process (no trigger host in these tests).</summary>
    public async Task<DropIngestor.Result> IngestAsync(string tenant, string dataset, string csv)
    {
        var name = $"{tenant}/{dataset}/{DateTime.UtcNow:yyyyMMdd-HHmmssfff}-{Guid.NewGuid():N}.csv";
        await Storage.Container(StorageNames.Containers.Drops).GetBlobClient(name).UploadAsync(new BinaryData(Encoding.UTF8.GetBytes(csv)), overwrite: true);
        return await Service<DropIngestor>().IngestAsync(name, CancellationToken.None);
    }

    /// <summary>Runs every visible message of <c>case-steps</c> and <c>send</c> until both are empty: a case runs to where it waits.</summary>
    public async Task DrainAsync()
    {
        var engine = Service<CaseEngine>();
        var sender = Service<SendWorker>();
        var steps = Storage.Queue(StorageNames.Queues.CaseSteps);
        var send = Storage.Queue(StorageNames.Queues.Send);
        for (var round = 0; round < 200; round++)
        {
            var work = 0;
            foreach (var m in (await steps.ReceiveMessagesAsync(32)).Value)
            {
                await engine.HandleAsync(CaseStepMessage.Parse(m.Body.ToString()), CancellationToken.None);
                await steps.DeleteMessageAsync(m.MessageId, m.PopReceipt);
                work++;
            }

            foreach (var m in (await send.ReceiveMessagesAsync(32)).Value)
            {
                await sender.HandleAsync(SendQueueMessage.Parse(m.Body.ToString()), CancellationToken.None);
                await send.DeleteMessageAsync(m.MessageId, m.PopReceipt);
                work++;
            }

            if (work == 0)
            {
                return;
            }
        }

        throw new InvalidOperationException("The queues did not drain in 200 rounds.");
    }
}

public sealed record TestTenant(string Code, string PortalKey, string StaffKey, string AdminKey, string TestKey, string PortalKeyId, string StaffKeyId, string AdminKeyId);

/// <summary>The app on a test server, on the given storage, with every log line captured.</summary>
public sealed class ApiFactory(string connectionString, IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null) : WebApplicationFactory<Program>
{
    public LogCapture Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("AzureWebJobsStorage", connectionString);
        builder.UseSetting("PushGov:ApiKeyPepper", ApiFixture.Pepper);
        builder.UseSetting("PushGov:ResidentLinks:Key", ApiFixture.LinkKey);
        builder.UseSetting("PushGov:TriggerHost:Enabled", "false");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(l => l.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace));
        if (services is not null)
        {
            builder.ConfigureServices(services);
        }
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
