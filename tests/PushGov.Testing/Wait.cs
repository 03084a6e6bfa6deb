using System.Diagnostics;

namespace PushGov.Testing;

/// <summary>
/// Waiting in tests without fixed sleeps: <see cref="Eventually(Func{Task{bool}}, string, TimeSpan?)"/> polls until a
/// condition holds or a deadline passes; <see cref="Consistently"/> checks that a condition keeps holding for a while
/// (for "nothing more happened"). Failures say what was waited for and how long.
/// </summary>
public static class Wait
{
    /// <summary>How long <see cref="Eventually(Func{Task{bool}}, string, TimeSpan?)"/> waits unless told: generous, for a busy machine.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    /// <summary>Polls <paramref name="condition"/> until it is true; throws a <see cref="TimeoutException"/> naming <paramref name="what"/> at the deadline.</summary>
    public static async Task Eventually(Func<Task<bool>> condition, string what, TimeSpan? timeout = null) =>
        await Eventually(async () => await condition() ? (object?)true : null, what, timeout);

    /// <summary>Polls <paramref name="probe"/> until it gives a value, and returns it.</summary>
    public static async Task<T> Eventually<T>(Func<Task<T?>> probe, string what, TimeSpan? timeout = null)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(probe);
        var limit = timeout ?? DefaultTimeout;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            if (clock.Elapsed >= limit)
            {
                throw new TimeoutException($"Waited {limit.TotalSeconds:0.#} s for {what}; it did not happen.");
            }

            await Task.Delay(Interval);
        }
    }

    /// <summary>
    /// Reads a value until <paramref name="done"/> accepts it, and returns it; at the deadline the exception names
    /// <paramref name="what"/> and the last value read (for values that are not "absent until ready": counts, lists).
    /// </summary>
    public static async Task<T> Eventually<T>(Func<Task<T>> read, Func<T, bool> done, string what, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(done);
        var limit = timeout ?? DefaultTimeout;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            if (clock.Elapsed >= limit)
            {
                throw new TimeoutException($"Waited {limit.TotalSeconds:0.#} s for {what}; last value: {value}");
            }

            await Task.Delay(Interval);
        }
    }

    /// <summary>Checks <paramref name="condition"/> every poll for <paramref name="duration"/>; fails at the first poll it is false.</summary>
    public static async Task Consistently(Func<Task<bool>> condition, string what, TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (!await condition())
            {
                throw new InvalidOperationException($"Expected {what} to hold for {duration.TotalSeconds:0.#} s; it stopped after {clock.Elapsed.TotalSeconds:0.#} s.");
            }

            if (clock.Elapsed >= duration)
            {
                return;
            }

            await Task.Delay(Interval);
        }
    }
}
