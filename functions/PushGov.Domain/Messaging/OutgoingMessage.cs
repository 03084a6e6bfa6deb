using PushGov.Domain.Residents;

namespace PushGov.Domain.Messaging;

/// <summary>
/// A rendered message ready for a provider. <see cref="IdempotencyKey"/> is derived from the case and step
/// (never random), so a repeated send is recognised by the provider (ACS repeatability headers) and by us.
/// <see cref="To"/> is personal data: never log it in clear (see <see cref="Masking"/>).
/// </summary>
public sealed record OutgoingMessage
{
    public required string Tenant { get; init; }

    public required string MessageId { get; init; }

    public required string IdempotencyKey { get; init; }

    public required Channel Channel { get; init; }

    public required string To { get; init; }

    public string? Subject { get; init; }

    public required string TextBody { get; init; }

    public string? HtmlBody { get; init; }

    /// <summary>LINE: the label of the button under the text and the https page it opens (the case page).</summary>
    public string? ActionLabel { get; init; }

    public string? ActionUrl { get; init; }

    /// <summary>The BCP 47 language the message was rendered in.</summary>
    public string Language { get; init; } = "ja";

    /// <summary>Template id and version, recorded on each message (as GOV.UK Notify does).</summary>
    public string? TemplateVersion { get; init; }

    /// <summary>
    /// The one-click unsubscribe URL for this recipient (e-mail only). When set, the e-mail sender adds the RFC 8058
    /// headers <c>List-Unsubscribe</c> and <c>List-Unsubscribe-Post: List-Unsubscribe=One-Click</c>.
    /// </summary>
    public string? UnsubscribeUrl { get; init; }

    /// <summary>
    /// When the first attempt to send this message was made, kept by the caller on the message row. Providers with
    /// repeatable requests (ACS: <c>repeatabilityFirstSent</c>) need the same value on every retry; null means
    /// "this is the first attempt" and the sender uses its clock.
    /// </summary>
    public DateTimeOffset? FirstAttemptAt { get; init; }
}

/// <summary>What a provider said to one send attempt.</summary>
public enum SendOutcome
{
    /// <summary>The provider took the message (202); delivery is reported later.</summary>
    Accepted,

    /// <summary>429: try again after <see cref="SendResult.RetryAfter"/>.</summary>
    Throttled,

    /// <summary>5xx, timeout, connection failure: retry with backoff.</summary>
    TransientFailure,

    /// <summary>The provider will never deliver this (bad number, unsupported destination, 4xx other than 429).</summary>
    PermanentFailure,
}

public sealed record SendResult(SendOutcome Outcome, string? ProviderMessageId = null, TimeSpan? RetryAfter = null, string? Detail = null)
{
    public static SendResult Accepted(string? providerMessageId) => new(SendOutcome.Accepted, providerMessageId);
}

/// <summary>Sends one message on one channel through one provider. Implementations must be safe to call twice with the same message.</summary>
public interface IMessageSender
{
    /// <summary>A short name recorded on the message ("acs-sms", "domestic-sms", "acs-email", "line", "dev-sink", "letters").</summary>
    string Provider { get; }

    Task<SendResult> SendAsync(OutgoingMessage message, CancellationToken cancellationToken);
}

/// <summary>Masks personal data for logs: keeps just enough to tell two values apart.</summary>
public static class Masking
{
    /// <summary><c>+819012345678</c> → <c>+81*******678</c>; <c>taro@example.jp</c> → <c>t***@e***</c>; anything else → its length only.</summary>
    public static string Mask(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "(empty)";
        }

        var at = value.IndexOf('@', StringComparison.Ordinal);
        if (at > 0 && at < value.Length - 1)
        {
            return $"{value[0]}***@{value[at + 1]}***";
        }

        if (value.StartsWith('+') && value.Length > 6)
        {
            return value[..3] + new string('*', value.Length - 6) + value[^3..];
        }

        return $"(redacted, {value.Length} chars)";
    }
}
