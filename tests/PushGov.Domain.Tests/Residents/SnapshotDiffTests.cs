using PushGov.Domain.Drops;
using PushGov.Domain.Residents;
using static PushGov.Domain.Tests.Residents.TestPeople;

namespace PushGov.Domain.Tests.Residents;

public sealed class SnapshotDiffTests
{
    [Fact]
    public void The_fingerprint_changes_with_any_snapshot_field_and_not_with_the_status()
    {
        var person = Make("1", "H1");
        var fingerprint = ResidentFingerprint.Of(person);

        Assert.Equal(fingerprint, ResidentFingerprint.Of(Make("1", "H1")));
        Assert.Equal(fingerprint, ResidentFingerprint.Of(person with { Status = RegistryStatus.Left, StatusDate = D("2026-01-01") }));
        Assert.NotEqual(fingerprint, ResidentFingerprint.Of(person with { Address = "横浜市中区本町1-2" }));
        Assert.NotEqual(fingerprint, ResidentFingerprint.Of(person with { Relationship = Relationships.Child }));
        Assert.NotEqual(fingerprint, ResidentFingerprint.Of(person with { PostalCode = "" }));
        Assert.NotEqual(fingerprint, ResidentFingerprint.Of(WithBirth(person, DatePrecision.Unknown, "年月日不詳")));

        // Field boundaries count: moving a character from one field to the next is a change.
        Assert.NotEqual(
            ResidentFingerprint.Of(person with { FamilyName = "山田太", GivenName = "郎" }),
            ResidentFingerprint.Of(person with { FamilyName = "山田", GivenName = "太郎" }));
    }

    [Fact]
    public void A_new_snapshot_yields_the_changed_and_new_residents_then_the_missing_ones()
    {
        var previous = Fingerprints(Make("1", "H1"), Make("2", "H1", Relationships.Wife), Make("3", "H3"));
        var diff = new SnapshotDiff(previous);

        var changes = diff.Compare(Rows(
            Make("1", "H1"),
            Make("2", "H1", Relationships.Wife, address: "横浜市西区1-1"),
            Make("4", "H4"))).ToList();

        Assert.Equal(
            [(SnapshotChangeKind.Changed, "2"), (SnapshotChangeKind.New, "4"), (SnapshotChangeKind.Missing, "3")],
            changes.Select(c => (c.Kind, c.ResidentId)));
        Assert.Equal("横浜市西区1-1", changes[0].Row!.Person.Address);
        Assert.Null(changes[2].Row);
        Assert.Equal((1L, 1L, 1L, 1L), (diff.Unchanged, diff.Changed, diff.New, diff.Missing));
    }

    [Fact]
    public void The_current_fingerprints_make_the_same_snapshot_yield_nothing_next_time()
    {
        var people = new[] { Make("1", "H1"), Make("2", "H1", Relationships.Wife), Make("3", "H3") };
        var first = new SnapshotDiff(ResidentFingerprints.Empty);
        Assert.Equal(3, first.Compare(Rows(people)).Count(c => c.Kind == SnapshotChangeKind.New));

        var second = new SnapshotDiff(first.Current);

        Assert.Empty(second.Compare(Rows(people)));
        Assert.Equal(3, second.Unchanged);
    }

    [Fact]
    public void Fingerprints_survive_a_serialise_deserialise_round_trip()
    {
        var people = Enumerable.Range(0, 1000).Select(i => Make($"R{i:D6}", $"H{i / 3}")).ToArray();
        var original = Fingerprints(people);

        var copy = ResidentFingerprints.Deserialize(original.Serialize());

        Assert.Equal(1000, copy.Count);
        foreach (var person in people)
        {
            Assert.True(copy.TryGet(person.ResidentId, out var fingerprint));
            Assert.Equal(ResidentFingerprint.Of(person), fingerprint);
        }

        Assert.False(copy.TryGet("R999999", out _));
        Assert.Equal(original.Serialize(), copy.Serialize());
    }

    [Fact]
    public void An_empty_fingerprint_set_round_trips()
    {
        Assert.Equal(0, ResidentFingerprints.Deserialize(ResidentFingerprints.Empty.Serialize()).Count);
    }

    [Fact]
    public void A_blob_that_is_not_a_fingerprint_set_or_is_cut_short_is_refused()
    {
        var blob = Fingerprints(Make("1", "H1"), Make("2", "H2")).Serialize();

        Assert.Throws<InvalidDataException>(() => ResidentFingerprints.Deserialize(blob.AsSpan(0, blob.Length - 1)));
        Assert.Throws<InvalidDataException>(() => ResidentFingerprints.Deserialize("XXXX0000000000000000"u8));
    }

    [Fact]
    public void The_builder_keeps_the_last_fingerprint_added_for_a_resident()
    {
        var builder = new ResidentFingerprints.Builder();
        builder.Add("1", 10);
        builder.Add("2", 20);
        builder.Add("1", 11);

        var built = builder.Build();

        Assert.Equal(2, built.Count);
        Assert.True(built.TryGet("1", out var fingerprint));
        Assert.Equal(11UL, fingerprint);
    }

    private static ResidentFingerprints Fingerprints(params Person[] people)
    {
        var builder = new ResidentFingerprints.Builder();
        foreach (var person in people)
        {
            builder.Add(person.ResidentId, ResidentFingerprint.Of(person));
        }

        return builder.Build();
    }

    private static IEnumerable<ResidentRow> Rows(params Person[] people) =>
        people.Select((p, i) => new ResidentRow(i + 2, p));
}
