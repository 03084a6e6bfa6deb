using System.Collections.Concurrent;
using PushGov.Domain.Cases;
using PushGov.Domain.Residents;

namespace PushGov.Testing.Sending;

/// <summary>The cases' side of the sender in its tests and benchmarks: records what the sender hands to cases.</summary>
public sealed class RecordingInbox : ICaseInbox
{
    public sealed record Handed(string Tenant, string CaseId, CaseInput Input);

    public ConcurrentQueue<Handed> Inputs { get; } = new();

    public Task<Decision?> SendAsync(string tenant, string caseId, CaseInput input, CancellationToken ct)
    {
        Inputs.Enqueue(new Handed(tenant, caseId, input));
        return Task.FromResult<Decision?>(null);
    }

    public Task<int> WithdrawConsentAsync(string tenant, string residentId, Channel channel, CancellationToken ct) =>
        throw new NotSupportedException("The sender never withdraws consent.");

    public Task<HistoryEntry> AddNoteAsync(string tenant, string caseId, HistoryEntry note, CancellationToken ct) =>
        throw new NotSupportedException("The sender never adds notes.");
}
