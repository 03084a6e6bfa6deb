using PushGov.Domain.Cases;
using PushGov.Domain.Detection;
using PushGov.Domain.Eligibility;
using PushGov.Domain.Residents;

namespace PushGov.Domain.Tests.Cases;

/// <summary>
/// The birth case the case tests share (BIRTH-1): tenant 401307, a child born 2026-11-20 in household h1, the mother the
/// recipient of 児童手当 (<c>jidou-teate</c>), by default with a claim due 2026-12-05.
/// </summary>
internal static class BirthCase
{
    public const string Tenant = "401307";
    public const string CaseId = "BIRTH-1";
    public const string Mother = "mother";
    public const string Service = "jidou-teate";

    public static readonly DateOnly Deadline = new(2026, 12, 5);

    /// <summary>The case as detected, created at <paramref name="createdAt"/>, with <paramref name="matches"/> if given.</summary>
    public static CaseData New(DateTimeOffset createdAt, IReadOnlyList<ServiceMatch>? matches = null) => new()
    {
        Tenant = Tenant,
        CaseId = CaseId,
        CreatedAt = createdAt,
        Event = new LifeEvent
        {
            Kind = LifeEventKind.BIRTH,
            Tenant = Tenant,
            EventId = CaseId,
            ResidentId = "child",
            HouseholdId = "h1",
            EventDate = new DateOnly(2026, 11, 20),
            Source = new EventSource("resident-changes", 2),
        },
        Matches = matches ?? [],
    };

    /// <summary>児童手当 for the mother.</summary>
    public static ServiceMatch ChildAllowance(DateOnly? deadline, bool needsClaim = true, bool needsPerson = false) => new()
    {
        EventId = CaseId,
        ServiceId = Service,
        RecipientIds = [Mother],
        Deadline = deadline,
        NeedsClaim = needsClaim,
        NeedsPerson = needsPerson,
    };

    /// <summary>The first message about the child allowance to <paramref name="resident"/> on <paramref name="channel"/>, with its deterministic id.</summary>
    public static Delivery Initial(Channel channel, string address, string resident = Mother) =>
        new(MessageIds.For(CaseId, Purposes.Initial, resident, channel), resident, channel, address, "ja", [Service], Purposes.Initial);
}
