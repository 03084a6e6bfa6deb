using System.Diagnostics.Metrics;

namespace PushGov.Bench;

/// <summary>
/// Counts every HTTP request this process sends to the storage emulator, whichever client sends it: the app's own Azure
/// SDK clients, the clients the Durable Task Framework's Azure Storage provider makes for itself (which no pipeline policy
/// of the app reaches), the local host's trigger polling and the benchmark's own. It listens to .NET's HttpClient metric
/// <c>http.client.request.duration</c> (meter <c>System.Net.Http</c>), recorded once per request sent (each retry is a
/// request), and keeps the requests whose <c>server.port</c> is one of the emulator's three ports, by service.
/// </summary>
public sealed class StorageRequestMeter : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Dictionary<int, int> _serviceOfPort;
    private readonly long[] _requests = new long[3];
    private long _writes;

    /// <param name="blobPort">Index 0.</param>
    /// <param name="queuePort">Index 1.</param>
    /// <param name="tablePort">Index 2.</param>
    public StorageRequestMeter(int blobPort, int queuePort, int tablePort)
    {
        _serviceOfPort = new Dictionary<int, int> { [blobPort] = 0, [queuePort] = 1, [tablePort] = 2 };
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument is { Name: "http.client.request.duration", Meter.Name: "System.Net.Http" })
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((_, _, tags, _) => Record(tags));
        _listener.Start();
    }

    /// <summary>Requests so far: all, to blob, queue and table, and writes (methods other than GET and HEAD).</summary>
    public StorageRequests Snapshot() => new(
        Interlocked.Read(ref _requests[0]), Interlocked.Read(ref _requests[1]), Interlocked.Read(ref _requests[2]), Interlocked.Read(ref _writes));

    private void Record(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        int? port = null;
        string? method = null;
        foreach (var tag in tags)
        {
            switch (tag.Key)
            {
                case "server.port":
                    port = tag.Value switch { int i => i, long l => (int)l, _ => null };
                    break;
                case "http.request.method":
                    method = tag.Value as string;
                    break;
            }
        }

        if (port is { } p && _serviceOfPort.TryGetValue(p, out var service))
        {
            Interlocked.Increment(ref _requests[service]);
            if (method is not ("GET" or "HEAD"))
            {
                Interlocked.Increment(ref _writes);
            }
        }
    }

    public void Dispose() => _listener.Dispose();
}

/// <summary>A count of storage requests (see <see cref="StorageRequestMeter"/>).</summary>
public readonly record struct StorageRequests(long Blob, long Queue, long Table, long Writes)
{
    public long Total => Blob + Queue + Table;

    public static StorageRequests operator -(StorageRequests a, StorageRequests b) =>
        new(a.Blob - b.Blob, a.Queue - b.Queue, a.Table - b.Table, a.Writes - b.Writes);
}
