using PushGov.Domain.Residents;

namespace PushGov.Domain.Cases;

/// <summary>Starts the case of a life event (case id = event id): starting the same event twice is harmless.</summary>
public interface ICaseStarter
{
    /// <summary>True when this call started the case; false when it existed already.</summary>
    Task<bool> StartAsync(CaseData fresh, CancellationToken ct);
}

/// <summary>
/// Hands an input to a case: applied, declined, a staff action, a delivery report, a consent withdrawal, a death.
/// The case decides what it means (<see cref="CaseWorkflow"/>); callers never change a case themselves.
/// </summary>
public interface ICaseInbox
{
    /// <summary>
    /// Hands <paramref name="input"/> to the case. Returns null for an unknown case, else the decision the workflow takes
    /// on the case as last seen (refused inputs are not handed on).
    /// </summary>
    Task<Decision?> SendAsync(string tenant, string caseId, CaseInput input, CancellationToken ct);

    /// <summary>
    /// Honours a withdrawal of consent at once: every message to that resident on that channel not yet sent is cancelled,
    /// and each case concerned is told, so it re-routes or closes. Returns the number of messages cancelled.
    /// </summary>
    Task<int> WithdrawConsentAsync(string tenant, string residentId, Channel channel, CancellationToken ct);

    /// <summary>
    /// Adds a note of a member of staff to the case's history (not a transition); returns it as stored (with the first
    /// free version from its own: another note may have taken that one at the same moment).
    /// </summary>
    Task<HistoryEntry> AddNoteAsync(string tenant, string caseId, HistoryEntry note, CancellationToken ct);
}

/// <summary>What the staff API reads of cases: the projection of each case's state, and its history.</summary>
public interface ICaseReader
{
    Task<CaseData?> GetAsync(string tenant, string caseId, CancellationToken ct);

    Task<(IReadOnlyList<CaseData> Cases, string? ContinuationToken)> ListAsync(string tenant, CaseQuery query, CancellationToken ct);

    Task<IReadOnlyList<HistoryEntry>> GetHistoryAsync(string tenant, string caseId, CancellationToken ct);

    /// <summary>Every case of a tenant written at or after <paramref name="since"/>, for the staff dashboard's counts.</summary>
    IAsyncEnumerable<CaseData> ListWrittenSinceAsync(string tenant, DateTimeOffset since, CancellationToken ct);
}

/// <summary>A page of a tenant's cases, filtered by state, service and event date (<see cref="ICaseReader.ListAsync"/>).</summary>
public sealed record CaseQuery(CaseState? State = null, string? Service = null, DateOnly? From = null, DateOnly? To = null, string? ContinuationToken = null, int PageSize = 50);
