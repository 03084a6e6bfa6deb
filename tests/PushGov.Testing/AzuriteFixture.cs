using PushGov.Domain;
using PushGov.Domain.Tenants;
using Xunit;

namespace PushGov.Testing;

/// <summary>
/// One Azurite per test collection. xunit v2 wants the collection definition in the test assembly itself, so each
/// test project declares <c>[CollectionDefinition("Azurite")] class AzuriteCollection : ICollectionFixture&lt;AzuriteFixture&gt;</c>.
/// Each test should use its own table, queue and container names (see <see cref="Unique"/>), so tests do not see each other.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private Azurite? _azurite;

    public Azurite Azurite => _azurite ?? throw new InvalidOperationException("Azurite has not started.");

    public string ConnectionString => Azurite.ConnectionString;

    public async Task InitializeAsync() => _azurite = await Azurite.StartAsync();

    public async Task DisposeAsync()
    {
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }

    /// <summary>A name unique to this run, valid for tables, queues and containers (lower-case letters and digits).</summary>
    public static string Unique(string prefix) => prefix + Guid.NewGuid().ToString("N")[..12];
}

/// <summary>Valid tenant codes for tests: each test takes its own, so data never mixes (every partition starts with the tenant).</summary>
public static class TestTenants
{
    private static int _next = Random.Shared.Next(10000, 90000);

    /// <summary>A fresh 6-digit local government code with a valid JIS X 0402 check digit.</summary>
    public static string Next()
    {
        var body = Interlocked.Increment(ref _next) % 100000;
        var digits = body.ToString("D5");
        int[] weights = [6, 5, 4, 3, 2];
        var sum = 0;
        for (var i = 0; i < 5; i++)
        {
            sum += (digits[i] - '0') * weights[i];
        }

        return digits + ((11 - (sum % 11)) % 10);
    }

    /// <summary>
    /// The tenant with its SMS quiet hours (by the clock in Asia/Tokyo) moved to one minute half a day from now, so a test
    /// that waits for an SMS passes at whatever time it runs; the default 21:00–08:00 would hold it until morning.
    /// </summary>
    public static TenantConfig QuietHoursAwayFromNow(TenantConfig tenant)
    {
        var start = TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, JapanTime.Tokyo).DateTime).AddHours(12);
        return tenant with { QuietHoursStart = start, QuietHoursEnd = start.AddMinutes(1) };
    }
}
