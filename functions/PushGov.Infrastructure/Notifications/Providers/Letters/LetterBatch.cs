using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using PushGov.Domain.Drops;
using PushGov.Domain.Messaging;
using PushGov.Domain.Serialization;
using PushGov.Infrastructure.Storage;

namespace PushGov.Infrastructure.Notifications.Providers.Letters;

/// <summary>
/// Assembles one print-vendor CSV per tenant and day, <c>letters/{tenant}/{yyyy-MM-dd}.csv</c>, from the letters filed
/// under <c>letters/{tenant}/{yyyy-MM-dd}/</c>: UTF-8 with BOM, CRLF, RFC 4180, one row per letter ordered by message id,
/// columns <c>message_id, postal_code (〒123-4567), address_1, address_2, address_3 (the rest), name (with 様), body, gaiji</c>.
/// A 外字 the tenant's 外字 table does not map (U+E000–U+E757, which only the municipality's fonts show) is printed as 〓
/// and named in <c>gaiji</c>: space-separated <c>{column}[{position}]={code}</c>, e.g. <c>name[1]=F040</c> (1-based character
/// position in that column, CP932 user-defined code), so the vendor sets it from the municipality's 外字 font; empty
/// otherwise. IVS and characters outside the BMP are written as they are (UTF-8).
/// Free text goes through <see cref="CsvEscaping.Text"/> (formula injection). Re-running for a day writes the same file.
/// </summary>
public sealed class LetterBatch(StorageClients storage)
{
    public const string Header = "message_id,postal_code,address_1,address_2,address_3,name,body,gaiji";

    private readonly BlobContainerClient _container = storage.Container(StorageNames.Containers.Letters);

    public static string CsvName(string tenant, DateOnly day) => $"{tenant}/{day:yyyy-MM-dd}.csv";

    /// <summary>Writes the day's CSV for a tenant; returns the number of letters (0: no file written).</summary>
    public async Task<int> AssembleAsync(string tenant, DateOnly day, CancellationToken ct)
    {
        var letters = new List<LetterDocument>();
        await foreach (var blob in _container.GetBlobsAsync(BlobTraits.None, BlobStates.None, $"{tenant}/{day:yyyy-MM-dd}/", ct))
        {
            if (!blob.Name.EndsWith(".json", StringComparison.Ordinal))
            {
                continue;
            }

            var content = await _container.GetBlobClient(blob.Name).DownloadContentAsync(ct);
            if (JsonSerializer.Deserialize<LetterDocument>(content.Value.Content.ToMemory().Span, PushGovJson.Options) is { } letter)
            {
                letters.Add(letter);
            }
        }

        if (letters.Count == 0)
        {
            return 0;
        }

        var csv = ToCsv(letters);
        await _container.GetBlobClient(CsvName(tenant, day)).UploadAsync(
            BinaryData.FromBytes(csv),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "text/csv; charset=utf-8" } },
            ct);
        return letters.Count;
    }

    public static byte[] ToCsv(IEnumerable<LetterDocument> letters)
    {
        var text = new StringBuilder(Header).Append("\r\n");
        foreach (var l in letters.OrderBy(l => l.MessageId, StringComparer.Ordinal))
        {
            var lines = l.AddressLines;
            var third = lines.Count > 2 ? string.Join(' ', lines.Skip(2)) : string.Empty;
            var gaiji = new List<string>();
            text.Append(CsvEscaping.Value(l.MessageId)).Append(',')
                .Append(CsvEscaping.Value("〒" + l.PostalCode)).Append(',')
                .Append(CsvEscaping.Text(GaijiNames.MarkForPrint("address_1", lines.Count > 0 ? lines[0] : string.Empty, gaiji))).Append(',')
                .Append(CsvEscaping.Text(GaijiNames.MarkForPrint("address_2", lines.Count > 1 ? lines[1] : string.Empty, gaiji))).Append(',')
                .Append(CsvEscaping.Text(GaijiNames.MarkForPrint("address_3", third, gaiji))).Append(',')
                .Append(CsvEscaping.Text(GaijiNames.MarkForPrint("name", l.Name, gaiji))).Append(',')
                .Append(CsvEscaping.Text(GaijiNames.MarkForPrint("body", l.Body.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal), gaiji))).Append(',')
                .Append(CsvEscaping.Value(string.Join(' ', gaiji)))
                .Append("\r\n");
        }

        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text.ToString())];
    }
}
