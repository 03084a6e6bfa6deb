using PushGov.Functions.Contract;
using PushGov.Infrastructure.Residents;

namespace PushGov.Functions.Api;

/// <summary>
/// The people of a case in clear (names, dates of birth, addresses, contacts), for a member of staff who chooses to
/// open them. Every read is audited with each resident shown.
/// <code>
/// GET /api/tenants/{tenant}/cases/{caseId}/people
/// </code>
/// </summary>
public static class CasePeopleApi
{
    public static RouteGroupBuilder MapCasePeopleApi(this RouteGroupBuilder tenants)
    {
        tenants.MapGet("/{tenant}/cases/{caseId}/people", ReadAsync).Describe(ApiContract.CasePeople);
        return tenants;
    }

    /// <summary>The people, and the audit action this read was recorded under (so a portal can say so).</summary>
    public sealed record CasePeopleView(string CaseId, string AuditedAs, IReadOnlyList<PersonView> People);

    private static async Task<IResult> ReadAsync(string tenant, string caseId, CasePeople people, HttpContext http, CancellationToken ct)
    {
        var list = Problems.IsSafeId(caseId) ? await people.ReadAsync(tenant, caseId, ct) : null;
        if (list is null)
        {
            return Problems.NotFound("case", caseId);
        }

        AuditApi.Note(http, caseId, list.Select(p => p.ResidentId), detail: $"people={list.Count}");
        return Results.Ok(new CasePeopleView(caseId, ApiContract.CasePeople.Audit!, list));
    }
}
