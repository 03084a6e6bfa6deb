using System.Diagnostics;
using System.Globalization;
using PushGov.Domain.Messaging;
using PushGov.Domain.Messaging.Pacing;
using PushGov.Domain.Messaging.Statuses;
using PushGov.Domain.Residents;
using PushGov.Infrastructure.Messaging;
using PushGov.Testing;
using PushGov.Testing.Fakes;
using Xunit.Abstractions;

namespace PushGov.Infrastructure.Tests.Messaging;

/// <summary>Runs only with <c>PUSHGOV_BENCH=1</c> (benchmarks are not tests: they are run by hand, see docs/benchmarks.md).</summary>
public sealed class BenchmarkFactAttribute : FactAttribute
{
    public BenchmarkFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("PUSHGOV_BENCH") != "1")
        {
            Skip = "A benchmark: set PUSHGOV_BENCH=1 to run it.";
        }
    }
}

/// <summary>
/// Benchmark P4 (docs/benchmarks.md): <c>PUSHGOV_BENCH=1 dotnet test tests/PushGov.Infrastructure.Tests --filter
/// FullyQualifiedName~SendingBenchmarks --logger "console;verbosity=detailed"</c>. Figures go to the test output; the
/// assertions check the results are right (every send accepted once, the limit held), never how fast.
/// </summary>
public sealed class SendingBenchmarks(ITestOutputHelper output)
{
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 1, 0, 0, TimeSpan.Zero); // 10:00 JST

    [BenchmarkFact]
    public async Task P4a_signed_sms_sends_per_second_against_the_fake_acs_on_loopback()
    {
        foreach (var concurrency in new[] { 32, 64 })
        {
            var result = await SendBenchmark.RunAsync(20_000, concurrency);
            output.WriteLine(result.ToString());
            Assert.Equal(20_000, result.Accepted);
            Assert.Equal(20_000, result.DistinctAtFake);
        }
    }

    [BenchmarkFact]
    public void P4b_a_limit_of_200_a_minute_holds_over_a_backlog_of_10000_in_the_slot_book()
    {
        var slots = new List<long>();
        var granted = new List<long>(10_000);
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < 10_000; i++)
        {
            granted.Add(SlotBook.Reserve(slots, [RateLimitRule.PerMinute(200)], Start, Start).ToUnixTimeMilliseconds());
        }

        watch.Stop();
        granted.Sort();
        var max = SlotBook.MaxInWindow(granted, TimeSpan.FromMinutes(1));
        var span = TimeSpan.FromMilliseconds(granted[^1] - granted[0]);
        output.WriteLine(Invariant($"slot book, 10,000 at once, 200/min: max in any 60 s window {max}, span {span.TotalMinutes:F2} min, {watch.Elapsed.TotalMilliseconds:F0} ms to plan"));
        Assert.Equal(200, max);
    }

    [BenchmarkFact]
    public async Task P4c_a_limit_of_200_a_minute_holds_over_a_backlog_of_10000_reserved_in_the_pacing_row_by_8_workers()
    {
        await using var azurite = await Azurite.StartAsync();
        var storage = Storage.StorageClients.FromConnectionString(azurite.ConnectionString);
        await storage.EnsureCreatedAsync();
        var pacer = new SendPacer(storage);
        var pacing = new SendPacing(null, "sms|bench", [RateLimitRule.PerMinute(200)], null, null);

        var granted = new System.Collections.Concurrent.ConcurrentBag<long>();
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, 10_000), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (_, ct) =>
            granted.Add((await pacer.ReserveAsync(pacing, Start, ct)).ToUnixTimeMilliseconds()));
        watch.Stop();

        var sorted = granted.Order().ToList();
        var max60 = SlotBook.MaxInWindow(sorted, TimeSpan.FromMinutes(1));
        var max63 = SlotBook.MaxInWindow(sorted, TimeSpan.FromMinutes(1) + SendPacer.Grace);
        var span = TimeSpan.FromMilliseconds(sorted[^1] - sorted[0]);
        output.WriteLine(Invariant($"pacing row on Azurite, 10,000 reservations by 8 workers: max in any 60 s window {max60}, in any 63 s {max63}, span {span.TotalMinutes:F2} min; {watch.Elapsed.TotalSeconds:F1} s, {10_000 / watch.Elapsed.TotalSeconds:F0} reservations/s, {pacer.Conflicts} ETag conflicts retried"));
        Assert.Equal(10_000, sorted.Count);
        Assert.Equal(200, max63);
        Assert.True(max60 <= 200);
    }

    [BenchmarkFact]
    public async Task P4d_the_send_worker_keeps_200_a_minute_over_a_backlog_in_simulated_time()
    {
        const int Backlog = 2_000;
        await using var h = await SendingHarness.StartAsync(Start);
        var due = new PriorityQueue<MessageRecord, DateTimeOffset>();
        for (var i = 0; i < Backlog; i++)
        {
            var m = SendingHarness.Message($"m-{i:D5}", Channel.Sms, "+8190" + (10_000_000 + i).ToString(CultureInfo.InvariantCulture));
            Assert.True(await h.Messages.TryAddAsync(m, CancellationToken.None));
            due.Enqueue(m, Start);
        }

        var sentAt = new List<long>();
        var watch = Stopwatch.StartNew();
        while (due.TryDequeue(out var m, out var at))
        {
            if (at > h.Clock.GetUtcNow())
            {
                h.Clock.SetUtcNow(at);
            }

            await h.SendAsync(m);
            var row = await h.GetAsync(m);
            if (row.Status == NotificationStatus.Sending)
            {
                sentAt.Add(h.Clock.GetUtcNow().ToUnixTimeMilliseconds());
            }
            else
            {
                // Held: the queue would show it again at whole seconds after its slot.
                var visible = h.Clock.GetUtcNow().AddSeconds(Math.Ceiling((row.NotBefore!.Value - h.Clock.GetUtcNow()).TotalSeconds));
                due.Enqueue(m, visible);
            }
        }

        watch.Stop();
        sentAt.Sort();
        var max = SlotBook.MaxInWindow(sentAt, TimeSpan.FromMinutes(1));
        var span = TimeSpan.FromMilliseconds(sentAt[^1] - sentAt[0]);
        output.WriteLine(Invariant($"send worker, {Backlog} SMS at once through the domestic fake, 200/min: sent {sentAt.Count}, distinct at fake {h.Domestic.DistinctAccepted}, max in any 60 s window {max}, span {span.TotalMinutes:F2} min simulated; {watch.Elapsed.TotalSeconds:F1} s real"));
        Assert.Equal(Backlog, h.Domestic.DistinctAccepted);
        Assert.True(max <= 200);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
