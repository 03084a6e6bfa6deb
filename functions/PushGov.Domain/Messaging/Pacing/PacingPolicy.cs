using PushGov.Domain.Residents;

namespace PushGov.Domain.Messaging.Pacing;

/// <summary>At most <see cref="Count"/> sends in any window of length <see cref="Window"/>.</summary>
public readonly record struct RateLimitRule(int Count, TimeSpan Window)
{
    public static RateLimitRule PerMinute(int count) => new(count, TimeSpan.FromMinutes(1));

    public static RateLimitRule PerHour(int count) => new(count, TimeSpan.FromHours(1));

    internal void Validate()
    {
        if (Count <= 0 || Window <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(Count), "A rate limit needs a positive count and window.");
        }
    }
}

/// <summary>How one channel is paced: rate limits (all must hold together), a daily cap, quiet hours.</summary>
public sealed record ChannelPacing
{
    public required Channel Channel { get; init; }

    public IReadOnlyList<RateLimitRule> Limits { get; init; } = [];

    /// <summary>At most this many sends on this channel per local calendar day.</summary>
    public int? DailyCap { get; init; }

    /// <summary>No sends in these hours; null: the channel may send at any hour.</summary>
    public QuietHours? QuietHours { get; init; }

    /// <summary>When set, sends are at least this far apart (smooths a burst of <c>Count</c> sends at one instant).</summary>
    public TimeSpan? MinSpacing { get; init; }
}

/// <summary>The pacing of one tenant's messages.</summary>
public sealed record PacingPolicy
{
    /// <summary>
    /// SMS: 200 per minute (per sending number: ACS toll-free), quiet 21:00–08:00. E-mail: 30 per minute and
    /// 100 per hour, any hour. Post: unpaced. No daily cap unless the tenant sets one.
    /// </summary>
    public static PacingPolicy Default { get; } = new()
    {
        Channels =
        [
            new ChannelPacing { Channel = Channel.Sms, Limits = [RateLimitRule.PerMinute(200)], QuietHours = QuietHours.Default },
            new ChannelPacing { Channel = Channel.Email, Limits = [RateLimitRule.PerMinute(30), RateLimitRule.PerHour(100)] },
            new ChannelPacing { Channel = Channel.Post },
        ],
    };

    public IReadOnlyList<ChannelPacing> Channels { get; init; } = [];

    /// <summary>At most this many sends per local calendar day over all channels.</summary>
    public int? TenantDailyCap { get; init; }

    /// <summary>The clock that days (for caps) are counted in.</summary>
    public TimeZoneInfo TimeZone { get; init; } = JapanTime.Tokyo;

    public ChannelPacing For(Channel channel) =>
        Channels.FirstOrDefault(c => c.Channel == channel) ?? new ChannelPacing { Channel = channel };
}
