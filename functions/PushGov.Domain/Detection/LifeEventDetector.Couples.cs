using PushGov.Domain.Drops;
using PushGov.Domain.Residents;

namespace PushGov.Domain.Detection;

/// <summary>
/// Marriage and divorce: the couple a row makes or breaks (<see cref="FindPartner"/>), one event per couple and day
/// (<see cref="EmitCouple"/>), and what a 修正 (CORRECTION) row shows without saying so: MARRIAGE when it makes the resident
/// and another registered resident 世帯主 and 夫/妻 of one household, DIVORCE when a former spouse heads a household of
/// their own with children of the old household (whose rows may come before or after the parent's).
/// </summary>
public sealed partial class LifeEventDetector
{
    private readonly Dictionary<string, string> previousHousehold = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PendingDivorce> pendingDivorces = new(StringComparer.Ordinal);

    private void InferFromCorrection(ICollection<LifeEvent> events, ResidentChangeRow row, Person? before, Person? beforePartner, Person after, int index)
    {
        // Only a correction of a resident the view already held can be said to have made them spouses.
        if (before is null || after.Status != RegistryStatus.Registered)
        {
            return;
        }

        var afterPartner = FindPartner(index);
        if (afterPartner is not null && afterPartner.ResidentId != beforePartner?.ResidentId)
        {
            EmitCouple(events, LifeEventKind.MARRIAGE, after, afterPartner, row, inferred: true, null);
        }

        if (beforePartner is null || before.HouseholdId == after.HouseholdId || !after.IsHead)
        {
            return;
        }

        // A spouse now heads a household of their own: a divorce when children of the old household come with them.
        var oldHousehold = before.HouseholdId;
        var children = new List<string>();
        foreach (var member in RegisteredMembers(after.HouseholdId))
        {
            if (member.ResidentId != after.ResidentId && Relationships.IsChild(member.Relationship)
                && previousHousehold.TryGetValue(member.ResidentId, out var from) && from == oldHousehold)
            {
                children.Add(member.ResidentId);
            }
        }

        if (children.Count > 0)
        {
            EmitCouple(events, LifeEventKind.DIVORCE, after, beforePartner, row, inferred: true, before.HouseholdId, children);
            return;
        }

        foreach (var member in RegisteredMembers(oldHousehold))
        {
            if (Relationships.IsChild(member.Relationship))
            {
                pendingDivorces[oldHousehold] = new PendingDivorce(after, beforePartner, row, after.HouseholdId);
                return;
            }
        }
    }

    private void OnHouseholdChanged(ICollection<LifeEvent> events, Person before, Person after)
    {
        previousHousehold[after.ResidentId] = before.HouseholdId;
        if (pendingDivorces.TryGetValue(before.HouseholdId, out var pending)
            && pending.NewHouseholdId == after.HouseholdId
            && after.ResidentId != pending.Parent.ResidentId
            && Relationships.IsChild(after.Relationship))
        {
            pendingDivorces.Remove(before.HouseholdId);
            EmitCouple(events, LifeEventKind.DIVORCE, pending.Parent, pending.Partner, pending.Row, inferred: true, before.HouseholdId, [after.ResidentId]);
        }
    }

    private void EmitCouple(ICollection<LifeEvent> events, LifeEventKind kind, Person person, Person? partner, ResidentChangeRow row, bool inferred, string? previousHouseholdId, List<string>? alsoRelated = null)
    {
        // With both spouses known the fact is the couple's, whichever spouse's row shows it: one event per couple and day.
        var subject = partner is null ? person.ResidentId : EventIds.PairSubject(person.ResidentId, partner.ResidentId);
        var hash = EventIds.Hash(tenant, kind, subject, row.ChangeDate, partner is null ? row.RecordId : null);
        if (!emitted.TryAdd(hash))
        {
            return;
        }

        var related = new List<string>(1 + (alsoRelated?.Count ?? 0));
        if (partner is not null)
        {
            related.Add(partner.ResidentId);
        }

        if (alsoRelated is not null)
        {
            related.AddRange(alsoRelated);
        }

        events.Add(ChangeEvent(kind, hash, person, row, related, Details(previousHouseholdId, wasHead: false), inferred));
    }

    /// <summary>
    /// The legal spouse pair the person at the index is part of in their household: the head when they are 夫/妻 (or, with
    /// no head, the other 夫/妻), or the registered 夫/妻 when they are the head. Common-law 夫(未届)/妻(未届) do not count.
    /// </summary>
    private Person? FindPartner(int index)
    {
        if (View.StatusOf(index) != RegistryStatus.Registered)
        {
            return null;
        }

        var relationship = View.RelationshipOf(index);
        var isSpouse = relationship is Relationships.Wife or Relationships.Husband;
        if (!isSpouse && relationship != Relationships.Head)
        {
            return null;
        }

        // A 夫/妻 pairs with the head; while a correction swaps head and spouse over two rows, the household
        // briefly has no head and a 夫 and a 妻, who are the same couple.
        var otherSpouse = -1;
        for (var m = View.FirstMember(View.HouseholdOf(index)); m >= 0; m = View.NextMember(m))
        {
            if (m == index || View.StatusOf(m) != RegistryStatus.Registered)
            {
                continue;
            }

            var other = View.RelationshipOf(m);
            if (isSpouse && other == Relationships.Head)
            {
                return View.PersonAt(m);
            }

            if (other is Relationships.Wife or Relationships.Husband)
            {
                if (!isSpouse)
                {
                    return View.PersonAt(m);
                }

                if (otherSpouse < 0)
                {
                    otherSpouse = m;
                }
            }
        }

        return otherSpouse < 0 ? null : View.PersonAt(otherSpouse);
    }

    private sealed record PendingDivorce(Person Parent, Person Partner, ResidentChangeRow Row, string NewHouseholdId);
}
