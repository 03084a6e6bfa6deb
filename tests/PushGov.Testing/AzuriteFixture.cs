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
