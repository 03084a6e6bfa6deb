using System.Net;
using System.Text.RegularExpressions;
using PushGov.Domain.Messaging;

namespace PushGov.Infrastructure.Notifications.Providers;

/// <summary>
/// Turns HTTP answers and transport failures into <see cref="SendResult"/>s, the same way for every provider:
/// 429 → Throttled with Retry-After (seconds or an HTTP date); 408, 5xx, timeout, connection failure → TransientFailure;
/// any other 4xx → PermanentFailure. Details never carry a phone number or e-mail address (see <see cref="Redact"/>).
/// </summary>
public static partial class HttpSendAnswers
{
    public static SendResult FromStatus(HttpResponseMessage response, string provider, string? providerDetail, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(response);
        var code = (int)response.StatusCode;
        var detail = $"{provider}: HTTP {code}" + (string.IsNullOrWhiteSpace(providerDetail) ? string.Empty : $" {Redact(providerDetail)}");
        return code switch
        {
            429 => new SendResult(SendOutcome.Throttled, RetryAfter: RetryAfter(response, time), Detail: detail),
            408 or >= 500 => new SendResult(SendOutcome.TransientFailure, RetryAfter: RetryAfter(response, time), Detail: detail),
            >= 400 => new SendResult(SendOutcome.PermanentFailure, Detail: detail),
            _ => new SendResult(SendOutcome.TransientFailure, Detail: $"{provider}: unexpected HTTP {code}"),
        };
    }

    /// <summary>Runs one send; a timeout or a failed connection becomes TransientFailure. Cancellation by the caller still throws.</summary>
    public static async Task<SendResult> GuardAsync(string provider, Func<Task<SendResult>> send, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(send);
        try
        {
            return await send();
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new SendResult(SendOutcome.TransientFailure, Detail: $"{provider}: timeout");
        }
        catch (HttpRequestException ex)
        {
            return new SendResult(SendOutcome.TransientFailure, Detail: $"{provider}: connection failed ({ex.HttpRequestError})");
        }
    }

    /// <summary>Retry-After as a delay: delta-seconds, or an HTTP date minus now (never negative); null when absent.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(response);
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    /// <summary>Removes anything that looks like a phone number or an e-mail address from provider text.</summary>
    public static string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var noMail = EmailPattern().Replace(text, m => Masking.Mask(m.Value));
        var noPhone = PhonePattern().Replace(noMail, "(number)");
        return noPhone.Length > 300 ? noPhone[..300] + "…" : noPhone;
    }

    internal static bool IsSuccess(HttpStatusCode status) => (int)status is >= 200 and <= 299;

    [GeneratedRegex(@"[^\s@""'<>(),;:]+@[^\s@""'<>(),;:]+")]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"\+?\d[\d\-\s().]{6,}\d")]
    private static partial Regex PhonePattern();
}
