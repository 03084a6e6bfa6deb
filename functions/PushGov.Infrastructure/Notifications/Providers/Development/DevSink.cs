using Azure.Data.Tables;
using PushGov.Domain.Messaging;
using PushGov.Infrastructure.Storage;

namespace PushGov.Infrastructure.Notifications.Providers.Development;

/// <summary>
/// The development sink: records what would be sent instead of sending it (locally, and for test keys).
/// Keyed by message id, so a repeated send overwrites the same row and is counted once.
/// </summary>
public sealed class DevSink(StorageClients storage, TimeProvider clock) : IMessageSender
{
    private readonly TableClient _table = storage.Table(StorageNames.Tables.Sink);

    public string Provider => "dev-sink";

    public async Task<SendResult> SendAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        await _table.UpsertEntityAsync(
            new TableEntity(message.Tenant, message.MessageId)
            {
                ["Channel"] = message.Channel.ToString(),
                ["To"] = message.To,
                ["Subject"] = message.Subject,
                ["Text"] = message.TextBody,
                ["Language"] = message.Language,
                ["TemplateVersion"] = message.TemplateVersion,
                ["RecordedAt"] = clock.GetUtcNow(),
            },
            TableUpdateMode.Replace,
            cancellationToken);
        return SendResult.Accepted("sink-" + message.MessageId);
    }

    public async Task<IReadOnlyList<SinkEntry>> ListAsync(string tenant, int max, CancellationToken ct)
    {
        var list = new List<SinkEntry>();
        await foreach (var e in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {tenant}"), cancellationToken: ct))
        {
            list.Add(new SinkEntry(
                e.RowKey,
                e.GetString("Channel"),
                e.GetString("To"),
                e.GetString("Subject"),
                e.GetString("Text"),
                e.GetString("Language"),
                e.GetString("TemplateVersion"),
                e.GetDateTimeOffset("RecordedAt") ?? default));
            if (list.Count >= max)
            {
                break;
            }
        }

        return list.OrderBy(e => e.RecordedAt).ToList();
    }
}

public sealed record SinkEntry(string MessageId, string Channel, string To, string? Subject, string Text, string Language, string? TemplateVersion, DateTimeOffset RecordedAt);
