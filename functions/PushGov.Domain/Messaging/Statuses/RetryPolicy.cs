namespace PushGov.Domain.Messaging.Statuses;

/// <summary>
/// What to do after one send attempt: send again after <see cref="Delay"/> (<see cref="Status"/> stays created), or
/// stop and record <see cref="Status"/>.
/// </summary>
public sealed record RetryDecision(bool Retry, TimeSpan Delay, NotificationStatus Status, string Reason)
{
    public static RetryDecision Stop(NotificationStatus status, string reason) => new(false, TimeSpan.Zero, status, reason);

    public static RetryDecision After(TimeSpan delay, string reason) => new(true, delay, NotificationStatus.Created, reason);
}

/// <summary>
/// When to try a send again, as a pure function: the queue-driven sender asks it after every attempt and schedules
/// the next one (a queue message with a visibility delay), so nothing sleeps in process. Like GOV.UK Notify: the
/// first retry of a transient failure is immediate, then jittered exponential backoff, then technical-failure when
/// the attempts are used up. 429 waits at least what Retry-After asks. Permanent failures stop at once.
/// </summary>
public sealed record RetryPolicy
{
    /// <summary>Attempts in all, the first one included.</summary>
    public int MaxAttempts { get; init; } = 8;

    /// <summary>The backoff of the second retry; doubles each retry after it.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>No backoff longer than this. A provider's Retry-After is honoured even when longer: we never come back earlier than asked.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>A 429 without Retry-After waits this long.</summary>
    public TimeSpan DefaultThrottleDelay { get; init; } = TimeSpan.FromSeconds(30);

    public static RetryPolicy Default { get; } = new();

    /// <summary>
    /// Decides after attempt number <paramref name="attempt"/> (1 = the first send) ended in <paramref name="result"/>.
    /// <paramref name="random"/> supplies the jitter; pass a seeded one in tests.
    /// </summary>
    public RetryDecision Next(SendResult result, int attempt, Random random)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);

        switch (result.Outcome)
        {
            case SendOutcome.Accepted:
                return RetryDecision.Stop(NotificationStatus.Sending, "accepted by the provider");
            case SendOutcome.PermanentFailure:
                return RetryDecision.Stop(NotificationStatus.PermanentFailure, result.Detail ?? "permanent failure");
        }

        if (attempt >= MaxAttempts)
        {
            return RetryDecision.Stop(NotificationStatus.TechnicalFailure, $"gave up after {attempt} attempts ({result.Outcome})");
        }

        if (result.Outcome == SendOutcome.Throttled)
        {
            var asked = result.RetryAfter is { } ra && ra > TimeSpan.Zero ? ra : DefaultThrottleDelay;
            // A little jitter on top (never below what the provider asked) so throttled senders do not return in step.
            var spread = TimeSpan.FromMilliseconds(random.NextDouble() * Math.Min(asked.TotalMilliseconds * 0.2, 5_000));
            return RetryDecision.After(Min(asked + spread, Max(MaxDelay, asked)), "throttled");
        }

        // Transient: the first retry at once, then BaseDelay·2^(n-2) with "equal jitter" (half fixed, half random).
        if (attempt == 1)
        {
            return RetryDecision.After(TimeSpan.Zero, "transient failure: immediate first retry");
        }

        var exponent = Math.Min(attempt - 2, 20);
        var ceiling = Min(TimeSpan.FromTicks(BaseDelay.Ticks * (1L << exponent)), MaxDelay);
        var delay = (ceiling / 2) + (ceiling / 2 * random.NextDouble());
        return RetryDecision.After(delay, "transient failure: backoff");
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
