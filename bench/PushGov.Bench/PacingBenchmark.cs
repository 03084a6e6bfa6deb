using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using PushGov.Domain.Messaging;
using PushGov.Domain.Messaging.Pacing;
using PushGov.Domain.Messaging.Statuses;
using PushGov.Domain.Residents;
using PushGov.Infrastructure.Notifications.Sending;
using PushGov.Infrastructure.Storage;
using PushGov.Testing;
using PushGov.Testing.Sending;

namespace PushGov.Bench;

/// <summary>
/// P4b–d (docs/benchmarks.md): a limit of 200 a minute holds to the message under a backlog, checked over every sliding
/// 60 s window (<see cref="SlotBook.MaxInWindow"/>): the slot book alone, the pacing row on Azurite reserved by several
/// workers, and the real <see cref="SendWorker"/> against the domestic fake in simulated time. Each part prints one line
/// and returns false when the limit did not hold (or a send was lost or repeated); how fast is reported, never checked.
/// </summary>
public static class PacingBenchmark
{
    /// <summary>10:00 JST on a Tuesday: inside sending hours.</summary>
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 1, 0, 0, TimeSpan.Zero);

    private const int PerMinute = 200;

    /// <summary>P4b: <paramref name="backlog"/> slots reserved at once in the slot book (simulated time).</summary>
    public static bool SlotBookAlone(int backlog, TextWriter output)
    {
        var slots = new List<long>();
        var granted = new List<long>(backlog);
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < backlog; i++)
        {
            granted.Add(SlotBook.Reserve(slots, [RateLimitRule.PerMinute(PerMinute)], Start, Start).ToUnixTimeMilliseconds());
        }

        watch.Stop();
        granted.Sort();
        var max = SlotBook.MaxInWindow(granted, TimeSpan.FromMinutes(1));
        var span = TimeSpan.FromMilliseconds(granted[^1] - granted[0]);
        output.WriteLine(Invariant($"P4b slot book, {backlog:N0} at once, {PerMinute}/min: max in any 60 s window {max}, span {span.TotalMinutes:F2} min, {watch.Elapsed.TotalMilliseconds:F0} ms to plan"));
        return max == Math.Min(PerMinute, backlog);
    }

    /// <summary>P4c: <paramref name="backlog"/> reservations in one pacing row on a fresh Azurite by <paramref name="workers"/> concurrent workers.</summary>
    public static async Task<bool> PacingRowOnAzuriteAsync(int backlog, int workers, TextWriter output, CancellationToken ct)
    {
        await using var azurite = await Azurite.StartAsync(ct);
        var storage = StorageClients.FromConnectionString(azurite.ConnectionString);
        await storage.EnsureCreatedAsync(ct);
        var pacer = new SendPacer(storage);
        var pacing = new SendPacing(null, "sms|bench", [RateLimitRule.PerMinute(PerMinute)], null, null);

        var granted = new ConcurrentBag<long>();
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, backlog), new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = ct }, async (_, token) =>
            granted.Add((await pacer.ReserveAsync(pacing, Start, token)).ToUnixTimeMilliseconds()));
        watch.Stop();

        var sorted = granted.Order().ToList();
        var max60 = SlotBook.MaxInWindow(sorted, TimeSpan.FromMinutes(1));
        var maxWithGrace = SlotBook.MaxInWindow(sorted, TimeSpan.FromMinutes(1) + SendPacer.Grace);
        var span = TimeSpan.FromMilliseconds(sorted[^1] - sorted[0]);
        output.WriteLine(Invariant($"P4c pacing row on Azurite, {backlog:N0} reservations by {workers} workers: max in any 60 s window {max60}, in any {(TimeSpan.FromMinutes(1) + SendPacer.Grace).TotalSeconds:F0} s {maxWithGrace}, span {span.TotalMinutes:F2} min; {watch.Elapsed.TotalSeconds:F1} s, {backlog / watch.Elapsed.TotalSeconds:F0} reservations/s, {pacer.Conflicts} ETag conflicts retried"));
        return sorted.Count == backlog && maxWithGrace == Math.Min(PerMinute, backlog) && max60 <= PerMinute;
    }

    /// <summary>
    /// P4d: <paramref name="backlog"/> SMS due at once through the real <see cref="SendWorker"/> and the domestic fake, on a
    /// simulated clock; a held message shows again when its queue message would (whole seconds after its slot).
    /// </summary>
    public static async Task<bool> SendWorkerInSimulatedTimeAsync(int backlog, TextWriter output)
    {
        await using var h = await SendingHarness.StartAsync(Start);
        var due = new PriorityQueue<MessageRecord, DateTimeOffset>();
        for (var i = 0; i < backlog; i++)
        {
            var m = SendingHarness.Message($"m-{i:D5}", Channel.Sms, "+8190" + (10_000_000 + i).ToString(CultureInfo.InvariantCulture));
            if (!await h.Messages.TryAddAsync(m, CancellationToken.None))
            {
                throw new InvalidOperationException($"Message {m.MessageId} was already there.");
            }

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
                var visible = h.Clock.GetUtcNow().AddSeconds(Math.Ceiling((row.NotBefore!.Value - h.Clock.GetUtcNow()).TotalSeconds));
                due.Enqueue(m, visible);
            }
        }

        watch.Stop();
        sentAt.Sort();
        var max = SlotBook.MaxInWindow(sentAt, TimeSpan.FromMinutes(1));
        var span = TimeSpan.FromMilliseconds(sentAt[^1] - sentAt[0]);
        output.WriteLine(Invariant($"P4d send worker, {backlog:N0} SMS at once through the domestic fake, {PerMinute}/min: sent {sentAt.Count:N0}, distinct at fake {h.Domestic.DistinctAccepted:N0}, max in any 60 s window {max}, span {span.TotalMinutes:F2} min simulated; {watch.Elapsed.TotalSeconds:F1} s real"));
        return h.Domestic.DistinctAccepted == backlog && sentAt.Count == backlog && max <= PerMinute;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
