using PushGov.Domain.Residents;

namespace PushGov.Domain.Messaging.Pacing;

/// <summary>A message waiting to be sent. <see cref="Deadline"/> is the resident's deadline (for lateness only).</summary>
public sealed record PendingMessage(string MessageId, Channel Channel, DateOnly? Deadline = null);

/// <summary>When a message may be sent; <see cref="LateForDeadline"/> when that is after its deadline day.</summary>
public sealed record PlannedSend(string MessageId, Channel Channel, DateTimeOffset NotBefore, bool LateForDeadline);

/// <summary>
/// Plans a backlog: gives each message, in the order given (by deadline), the earliest not-before time at
/// which every limit still holds — each rate limit in every window (at most N sends in any span shorter than
/// the window), quiet hours, the channel's and the tenant's daily caps (local days). Sends on one channel keep
/// the given order. Pure: no clock, no I/O; a 100,000-message mass event is spread over the hours and days
/// it needs.
/// </summary>
public sealed class PacingPlanner
{
    private readonly PacingPolicy policy;

    public PacingPlanner(PacingPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        foreach (var rule in policy.Channels.SelectMany(c => c.Limits))
        {
            rule.Validate();
        }

        if (policy.TenantDailyCap <= 0 || policy.Channels.Any(c => c.DailyCap <= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(policy), "A daily cap must be positive.");
        }

        this.policy = policy;
    }

    /// <summary>Plans lazily, in order; enumerate once.</summary>
    public IEnumerable<PlannedSend> Plan(IEnumerable<PendingMessage> orderedByDeadline, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(orderedByDeadline);
        return PlanCore(orderedByDeadline, now);
    }

    private IEnumerable<PlannedSend> PlanCore(IEnumerable<PendingMessage> messages, DateTimeOffset now)
    {
        var lanes = new Dictionary<Channel, Lane>();
        var tenantDaily = new Dictionary<DateOnly, int>();
        foreach (var message in messages)
        {
            if (!lanes.TryGetValue(message.Channel, out var lane))
            {
                lane = new Lane(policy.For(message.Channel), now);
                lanes.Add(message.Channel, lane);
            }

            var at = Earliest(lane, tenantDaily);
            lane.Record(at);
            var day = JapanTime.LocalDay(at, policy.TimeZone);
            lane.Daily[day] = lane.Daily.GetValueOrDefault(day) + 1;
            tenantDaily[day] = tenantDaily.GetValueOrDefault(day) + 1;
            yield return new PlannedSend(message.MessageId, message.Channel, at, message.Deadline is { } d && day > d);
        }
    }

    private DateTimeOffset Earliest(Lane lane, Dictionary<DateOnly, int> tenantDaily)
    {
        var t = lane.NextFree;
        while (true)
        {
            var start = t;
            if (lane.Pacing.QuietHours is { } quiet)
            {
                t = quiet.NextAllowed(t);
            }

            t = lane.EarliestByRate(t);

            var day = JapanTime.LocalDay(t, policy.TimeZone);
            if ((lane.Pacing.DailyCap is { } cap && lane.Daily.GetValueOrDefault(day) >= cap)
                || (policy.TenantDailyCap is { } tenantCap && tenantDaily.GetValueOrDefault(day) >= tenantCap))
            {
                t = JapanTime.At(day.AddDays(1), TimeOnly.MinValue, policy.TimeZone);
            }

            if (t == start)
            {
                return t;
            }
        }
    }

    /// <summary>The sends planned so far on one channel, newest last (only as many as the largest limit needs).</summary>
    private sealed class Lane(ChannelPacing pacing, DateTimeOffset now)
    {
        private readonly Queue<DateTimeOffset>[] recent = pacing.Limits.Select(_ => new Queue<DateTimeOffset>()).ToArray();

        public ChannelPacing Pacing { get; } = pacing;

        public Dictionary<DateOnly, int> Daily { get; } = [];

        /// <summary>Sends keep their order: never before the previous one (plus the minimum spacing).</summary>
        public DateTimeOffset NextFree { get; private set; } = now;

        public DateTimeOffset EarliestByRate(DateTimeOffset t)
        {
            for (var i = 0; i < recent.Length; i++)
            {
                var rule = Pacing.Limits[i];
                if (recent[i].Count == rule.Count)
                {
                    // The N-th previous send must have left the window: s[k] >= s[k-N] + W.
                    var leaves = recent[i].Peek() + rule.Window;
                    if (leaves > t)
                    {
                        t = leaves;
                    }
                }
            }

            return t;
        }

        public void Record(DateTimeOffset at)
        {
            for (var i = 0; i < recent.Length; i++)
            {
                if (recent[i].Count == Pacing.Limits[i].Count)
                {
                    recent[i].Dequeue();
                }

                recent[i].Enqueue(at);
            }

            NextFree = Pacing.MinSpacing is { } spacing ? at + spacing : at;
        }
    }
}
