using System.Collections;
using PushGov.Domain.Drops;

namespace PushGov.Domain.Residents;

public enum SnapshotChangeKind
{
    /// <summary>In this snapshot, not in the previous one.</summary>
    New,

    /// <summary>In both, with different person fields.</summary>
    Changed,

    /// <summary>In the previous snapshot, not in this one: the resident has left the registry (died or moved out; the snapshot does not say which).</summary>
    Missing,
}

/// <summary>One difference between two <c>residents</c> snapshots. <see cref="Row"/> is null for <see cref="SnapshotChangeKind.Missing"/>.</summary>
public readonly record struct SnapshotChange(SnapshotChangeKind Kind, string ResidentId, ResidentRow? Row);

/// <summary>
/// Compares a new <c>residents</c> snapshot, streamed row by row, with the fingerprints of the previous one,
/// and yields only the new and changed residents and, once the rows are exhausted, the missing ones. It
/// holds the previous fingerprints, one bit per previous resident, and the fingerprints of the new
/// snapshot being built (<see cref="Current"/>, to persist for next time), never the rows themselves.
/// </summary>
/// <remarks>A resident listed twice in one snapshot is compared twice; the later row's fingerprint is kept.</remarks>
public sealed class SnapshotDiff(ResidentFingerprints previous)
{
    private ResidentFingerprints? current;

    /// <summary>Rows whose resident was in the previous snapshot with the same fingerprint.</summary>
    public long Unchanged { get; private set; }

    public long New { get; private set; }

    public long Changed { get; private set; }

    public long Missing { get; private set; }

    /// <summary>The fingerprints of the snapshot just compared; available once <see cref="Compare"/> has been enumerated to the end.</summary>
    public ResidentFingerprints Current =>
        current ?? throw new InvalidOperationException("The snapshot has not been compared to the end yet.");

    public IEnumerable<SnapshotChange> Compare(IEnumerable<ResidentRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var seen = new BitArray(previous.Count);
        var builder = new ResidentFingerprints.Builder(previous.Count);
        foreach (var row in rows)
        {
            var id = row.Person.ResidentId;
            var fingerprint = ResidentFingerprint.Of(row.Person);
            var idHash = ResidentFingerprint.IdHash(id);
            builder.Add(id, idHash, fingerprint);
            var i = previous.IndexOf(id, idHash);
            if (i < 0)
            {
                New++;
                yield return new SnapshotChange(SnapshotChangeKind.New, id, row);
                continue;
            }

            seen[i] = true;
            if (previous.FingerprintAt(i) == fingerprint)
            {
                Unchanged++;
                continue;
            }

            Changed++;
            yield return new SnapshotChange(SnapshotChangeKind.Changed, id, row);
        }

        for (var i = 0; i < previous.Count; i++)
        {
            if (!seen[i])
            {
                Missing++;
                yield return new SnapshotChange(SnapshotChangeKind.Missing, previous.ResidentIdAt(i), null);
            }
        }

        current = builder.Build();
    }
}
