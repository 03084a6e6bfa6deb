using System.Globalization;
using System.IO.Hashing;
using System.Text;

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
/// the attempts are used up. 429 waits at least what Retry-After asks and uses up no attempt. Permanent failures stop at once.
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
    /// The jitter is deterministic: a stable hash (XxHash3) of <paramref name="jitterKey"/> (the message id) and the
    /// attempt, the same in every process, so a retry decided again after a crash waits as long, while different
    /// messages spread out.
    /// </summary>
    public RetryDecision Next(SendResult result, int attempt, string jitterKey)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(jitterKey);
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);

        switch (result.Outcome)
        {
            case SendOutcome.Accepted:
                return RetryDecision.Stop(NotificationStatus.Sending, "accepted by the provider");
            case SendOutcome.PermanentFailure:
                return RetryDecision.Stop(NotificationStatus.PermanentFailure, result.Detail ?? "permanent failure");
        }

        if (result.Outcome == SendOutcome.Throttled)
        {
            // The provider did not take the request: it does not use up an attempt (the sender counts it back).
            var asked = result.RetryAfter is { } ra && ra > TimeSpan.Zero ? ra : DefaultThrottleDelay;
            // A little jitter on top (never below what the provider asked) so throttled senders do not return in step.
            var spread = TimeSpan.FromMilliseconds(Jitter(jitterKey, attempt) * Math.Min(asked.TotalMilliseconds * 0.2, 5_000));
            return RetryDecision.After(Min(asked + spread, Max(MaxDelay, asked)), "throttled");
        }

        if (attempt >= MaxAttempts)
        {
            return RetryDecision.Stop(NotificationStatus.TechnicalFailure, $"gave up after {attempt} attempts: {result.Detail ?? result.Outcome.ToString()}");
        }

        // Transient: the first retry at once, then BaseDelay·2^(n-2) with "equal jitter" (half fixed, half jitter).
        if (attempt == 1)
        {
            return RetryDecision.After(TimeSpan.Zero, "transient failure: immediate first retry");
        }

        var exponent = Math.Min(attempt - 2, 20);
        var ceiling = Min(TimeSpan.FromTicks(BaseDelay.Ticks * (1L << exponent)), MaxDelay);
        var delay = (ceiling / 2) + (ceiling / 2 * Jitter(jitterKey, attempt));
        return RetryDecision.After(delay, "transient failure: backoff");
    }

    /// <summary>A fraction in [0, 1) from a stable hash of the key and the attempt (not string.GetHashCode, which changes per process).</summary>
    private static double Jitter(string key, int attempt)
    {
        var hash = XxHash3.HashToUInt64(Encoding.UTF8.GetBytes($"{key}#{attempt.ToString(CultureInfo.InvariantCulture)}"));
        return (hash >> 11) * (1.0 / (1UL << 53));
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
