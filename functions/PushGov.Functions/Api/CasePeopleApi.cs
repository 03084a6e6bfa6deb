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
    /// <summary>The people, and the audit action this read was recorded under (so a portal can say so).</summary>
    public sealed record CasePeopleView(string CaseId, string AuditedAs, IReadOnlyList<PersonView> People);

    internal static async Task<IResult> ReadAsync(string tenant, string caseId, CasePeople people, HttpContext http, CancellationToken ct)
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

/// <summary>The audited read of a case's people as an HTTP function.</summary>
public sealed class CasePeopleFunctions(ApiGate gate, CasePeople people)
{
    [Function("GetCasePeople")]
    public Task<IResult> GetCasePeople([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "tenants/{tenant}/cases/{caseId}/people")] HttpRequest req, string tenant, string caseId) =>
        gate.RunAsync(req, ApiContract.CasePeople, new { tenant, caseId }, (http, ct) => CasePeopleApi.ReadAsync(tenant, caseId, people, http, ct));
}
