using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace PushGov.Testing.Fakes;

/// <summary>The ways a flaky provider answers a send (<see cref="FakeFaults"/>).</summary>
public enum FakeFault
{
    /// <summary>429 with Retry-After: 1.</summary>
    Throttled,

    /// <summary>503 at once.</summary>
    ServerError,

    /// <summary>503 after <see cref="FakeFaults.LongDelay"/> (longer than the client's timeout: it gives up first).</summary>
    SlowServerError,

    /// <summary>The message is taken and recorded, then the connection is dropped before any answer.</summary>
    AnswerDropped,

    /// <summary>The message is taken and recorded, then the answer is held back <see cref="FakeFaults.LongDelay"/> and the connection dropped.</summary>
    AnswerTimedOut,

    /// <summary>A recipient in <see cref="FakeFaults.Refused"/>: always refused for good (a 4xx, or ACS's unsuccessful recipient).</summary>
    Refused,
}

/// <summary>
/// A flaky provider, for a fake (<see cref="FakeAcs.Faults"/>, <see cref="FakeDomesticSmsProvider.Faults"/>; none by
/// default): <see cref="Rate"/> of the first <see cref="FaultyAttempts"/> requests of each send (counted by its idempotency
/// key) get one of the faults of <see cref="FakeFault"/> but <see cref="FakeFault.Refused"/>, in equal shares; a recipient
/// in <see cref="Refused"/> is refused for good on every attempt. Which request gets which fault is a hash of the seed, the
/// key and the attempt number, so a seed gives the same faults to the same sends whatever order they come in.
/// </summary>
public sealed class FakeFaults(int seed)
{
    private static readonly FakeFault[] Transient = [FakeFault.Throttled, FakeFault.ServerError, FakeFault.SlowServerError, FakeFault.AnswerDropped, FakeFault.AnswerTimedOut];

    private readonly ConcurrentDictionary<string, int> attempts = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<FakeFault, int> counts = new();

    public int Seed { get; } = seed;

    /// <summary>The share of requests (of a send's first <see cref="FaultyAttempts"/>) that get a fault.</summary>
    public double Rate { get; init; } = 0.3;

    /// <summary>How long a slow answer is held back: make it longer than the client's timeout.</summary>
    public TimeSpan LongDelay { get; init; } = TimeSpan.FromSeconds(35);

    /// <summary>The attempts of one send that may get a fault; later ones are answered normally (the provider recovers).</summary>
    public int FaultyAttempts { get; init; } = 4;

    /// <summary>Recipients (phone numbers, e-mail addresses) whose sends can never succeed.</summary>
    public IReadOnlySet<string> Refused { get; init; } = new HashSet<string>();

    /// <summary>How many requests got each fault so far.</summary>
    public IReadOnlyDictionary<FakeFault, int> Counts => counts.ToDictionary(p => p.Key, p => p.Value);

    /// <summary>
    /// The fault for this request of the send <paramref name="key"/> to <paramref name="to"/>, counted; null: answer it as
    /// usual.
    /// </summary>
    public FakeFault? Next(string key, string to)
    {
        var attempt = attempts.AddOrUpdate(key, 1, (_, n) => n + 1);
        FakeFault? fault = Refused.Contains(to) ? FakeFault.Refused
            : attempt <= FaultyAttempts && Draw(key, attempt) is var draw && draw < Rate ? Transient[(int)(draw / Rate * Transient.Length)]
            : null;
        if (fault is { } f)
        {
            counts.AddOrUpdate(f, 1, (_, n) => n + 1);
        }

        return fault;
    }

    /// <summary>The answer a fault gives, <paramref name="refusal"/> for a refused recipient (it differs by provider).</summary>
    public FakeAnswer Answer(FakeFault fault, FakeAnswer refusal) => fault switch
    {
        FakeFault.Throttled => FakeAnswer.Throttled("1"),
        FakeFault.ServerError => new FakeAnswer(503),
        FakeFault.SlowServerError => new FakeAnswer(503, Delay: LongDelay),
        FakeFault.AnswerDropped => new FakeAnswer(202, AnswerLost: true),
        FakeFault.AnswerTimedOut => new FakeAnswer(202, Delay: LongDelay, AnswerLost: true),
        _ => refusal,
    };

    /// <summary>A fraction in [0, 1) from a stable hash of the seed, the key and the attempt.</summary>
    private double Draw(string key, int attempt)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{Seed}|{key.ToLowerInvariant()}|{attempt}"));
        return (BitConverter.ToUInt64(hash, 0) >> 11) * (1.0 / (1UL << 53));
    }
}
