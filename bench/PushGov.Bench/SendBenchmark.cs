using System.Diagnostics;
using System.Globalization;
using PushGov.Domain.Messaging;
using PushGov.Domain.Residents;
using PushGov.Infrastructure.Notifications.Providers.Acs;
using PushGov.Testing.Fakes;

namespace PushGov.Bench;

/// <summary>Figures of one send benchmark run.</summary>
public sealed record SendBenchmarkResult(
    int Count,
    int Concurrency,
    int Accepted,
    int Failed,
    int DistinctAtFake,
    TimeSpan Elapsed,
    double SendsPerSecond,
    double P50Milliseconds,
    double P99Milliseconds)
{
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Count} signed SMS sends, {Concurrency} concurrent: {SendsPerSecond:F0}/s in {Elapsed.TotalSeconds:F2} s; accepted {Accepted}, failed {Failed}, distinct at fake {DistinctAtFake}; latency p50 {P50Milliseconds:F2} ms, p99 {P99Milliseconds:F2} ms");
}

/// <summary>
/// Benchmark P4: HMAC-signed SMS sends per second through <see cref="AcsSmsClient"/> against <see cref="FakeAcs"/> on
/// loopback (client and fake in one process: both share the machine's cores). A short warm-up is not counted.
/// </summary>
public static class SendBenchmark
{
    public static async Task<SendBenchmarkResult> RunAsync(int count, int concurrency, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1);

        await using var acs = await FakeAcs.StartAsync();
        var options = new AcsOptions { ConnectionString = acs.ConnectionString, SmsFrom = "+18005550100" };
        var transport = new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        using var http = AcsHttp.CreateClient(options, TimeProvider.System, transport: transport);
        var client = new AcsSmsClient(http, options, TimeProvider.System);

        var warmUp = Math.Min(200, Math.Max(1, count / 10));
        await Parallel.ForEachAsync(Enumerable.Range(0, warmUp), new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken }, async (i, ct) =>
            await client.SendAsync(Message("warmup", i), ct));

        var latencies = new double[count];
        var accepted = 0;
        var started = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var t0 = Stopwatch.GetTimestamp();
            var result = await client.SendAsync(Message("bench", i), ct);
            latencies[i] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            if (result.Outcome == SendOutcome.Accepted)
            {
                Interlocked.Increment(ref accepted);
            }
        });
        var elapsed = Stopwatch.GetElapsedTime(started);

        Array.Sort(latencies);
        return new SendBenchmarkResult(
            count,
            concurrency,
            accepted,
            count - accepted,
            acs.DistinctAcceptedSms - warmUp,
            elapsed,
            count / elapsed.TotalSeconds,
            Percentile(latencies, 0.50),
            Percentile(latencies, 0.99));
    }

    private static OutgoingMessage Message(string run, int i) => new()
    {
        Tenant = "141003",
        MessageId = $"{run}-{i}",
        IdempotencyKey = $"{run}/case-{i}/notify",
        Channel = Channel.Sms,
        To = $"+1425555{i % 10_000:D4}",
        TextBody = "横浜市からのお知らせ: 児童手当の申請ができます。詳しくはポータルをご覧ください。",
    };

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
