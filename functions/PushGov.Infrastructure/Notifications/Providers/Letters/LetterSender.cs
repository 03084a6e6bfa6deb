using System.Text;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using PushGov.Domain;
using PushGov.Domain.Messaging;
using PushGov.Domain.Residents;
using PushGov.Domain.Serialization;
using PushGov.Infrastructure.Storage;

namespace PushGov.Infrastructure.Notifications.Providers.Letters;

/// <summary>One rendered letter as filed for the print vendor. Personal data: never logged.</summary>
public sealed record LetterDocument(
    string Tenant,
    string MessageId,
    string PostalCode,
    IReadOnlyList<string> AddressLines,
    string Name,
    string Body,
    string Language,
    string? TemplateVersion,
    DateOnly Day);

/// <summary>
/// "Sends" a letter by filing it: each rendered letter becomes its own blob <c>letters/{tenant}/{yyyy-MM-dd}/{messageId}.json</c>,
/// the day being the local day (Asia/Tokyo) of the message's first send attempt, so a retry files it under the same
/// name; the blob is created only if absent (a repeat is a no-op). The daily <see cref="LetterBatch"/> gathers a day's
/// letters into the vendor's CSV. Accepted means filed: the message is then delivered as far as PushGov can tell.
/// </summary>
public sealed class LetterSender(StorageClients storage, TimeProvider clock) : IMessageSender
{
    public const string ProviderName = "letters";

    private readonly BlobContainerClient _container = storage.Container(StorageNames.Containers.Letters);

    public string Provider => ProviderName;

    public static string BlobName(string tenant, DateOnly day, string messageId) => $"{tenant}/{day:yyyy-MM-dd}/{messageId}.json";

    public async Task<SendResult> SendAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Channel != Channel.Post)
        {
            return new SendResult(SendOutcome.PermanentFailure, Detail: $"{ProviderName}: channel {message.Channel} is not post");
        }

        var day = JapanTime.LocalDay(message.FirstAttemptAt ?? clock.GetUtcNow(), JapanTime.Tokyo);
        var letter = Parse(message, day);
        if (letter is null)
        {
            return new SendResult(SendOutcome.PermanentFailure, Detail: $"{ProviderName}: the address has no 7-digit postal code");
        }

        var name = BlobName(message.Tenant, day, message.MessageId);
        try
        {
            await _container.GetBlobClient(name).UploadAsync(
                BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(letter, PushGovJson.Options)),
                new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All }, HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } },
                cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // Filed before: the same letter, once.
        }

        return SendResult.Accepted($"{StorageNames.Containers.Letters}/{name}");
    }

    /// <summary>
    /// The parts the vendor prints. <see cref="OutgoingMessage.To"/> is "{postal code}\n{address}"; the rendered text starts
    /// with the address block (〒 line, address lines, "{name}　様") and a blank line, then the letter.
    /// </summary>
    internal static LetterDocument? Parse(OutgoingMessage message, DateOnly day)
    {
        var to = message.To.Split('\n', 2);
        var digits = new string((to.Length == 2 ? to[0] : string.Empty).Normalize(NormalizationForm.FormKC).Where(char.IsAsciiDigit).ToArray());
        if (digits.Length != 7)
        {
            return null;
        }

        var address = to[^1].Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        var name = string.Empty;
        var body = message.TextBody;
        var blank = body.IndexOf("\n\n", StringComparison.Ordinal);
        if (body.StartsWith('〒') && blank > 0)
        {
            var block = body[..blank].Split('\n');
            if (block.Length >= 3 && block[^1].EndsWith('様'))
            {
                name = block[^1];
                address = [.. block[1..^1]];
                body = body[(blank + 2)..];
            }
        }

        return new LetterDocument(message.Tenant, message.MessageId, $"{digits[..3]}-{digits[3..]}", address, name, body, message.Language, message.TemplateVersion, day);
    }
}
