using PushGov.Domain.Detection;
using PushGov.Domain.Residents;
using static PushGov.Domain.Tests.Residents.TestPeople;

namespace PushGov.Domain.Tests.Residents;

/// <summary>The compact storage behind <see cref="ResidentView"/> and <see cref="AgeEventSweep"/>: ids as keys, tables of indexes, emitted hashes.</summary>
public sealed class CompactStorageTests
{
    [Theory]
    [InlineData("1")]
    [InlineData("0000012345")]
    [InlineData("1000000007")]
    [InlineData("9999999999999999")]
    [InlineData("12345678901234567")]
    [InlineData("H1")]
    [InlineData("１２３")]
    [InlineData("-12")]
    public void An_id_comes_back_from_its_key_as_it_was_written(string id)
    {
        var ids = new IdKeys();

        var key = ids.KeyOf(id);

        Assert.NotEqual(0, key);
        Assert.Equal(id, ids.IdOf(key));
        Assert.True(ids.TryGetKey(id, out var again));
        Assert.Equal(key, again);
    }

    [Fact]
    public void Ids_that_differ_only_in_leading_zeros_have_different_keys()
    {
        var ids = new IdKeys();

        Assert.NotEqual(ids.KeyOf("007"), ids.KeyOf("7"));
    }

    [Fact]
    public void A_key_index_finds_every_entry_through_growth_and_removal()
    {
        var index = new KeyIndex();
        var keys = new long[4096];
        for (var i = 0; i < 3000; i++)
        {
            keys[i] = 1000 + (i * 7919L);
            index.Add(i, keys);
        }

        for (var i = 0; i < 3000; i += 2)
        {
            index.Remove(i, keys);
            keys[i] = 0;
        }

        for (var i = 0; i < 3000; i += 2)
        {
            keys[i] = -1 - i;
            index.Add(i, keys);
        }

        for (var i = 0; i < 3000; i++)
        {
            Assert.Equal(i, index.Find(keys[i], keys));
        }

        Assert.Equal(-1, index.Find(1000, keys));
    }

    [Fact]
    public void Emitted_events_remember_every_hash_once_including_zero()
    {
        var emitted = new EmittedEvents();
        var random = new Random(7);
        var hashes = Enumerable.Range(0, 5000).Select(_ => new UInt128((ulong)random.NextInt64(), (ulong)random.NextInt64())).Append(UInt128.Zero).ToList();

        Assert.All(hashes, h => Assert.True(emitted.TryAdd(h)));
        Assert.All(hashes, h => Assert.False(emitted.TryAdd(h)));
        Assert.All(hashes, h => Assert.True(emitted.Contains(h)));
        Assert.False(emitted.Contains(UInt128.One));
        Assert.Equal(hashes.Count, emitted.Count);
    }

    [Fact]
    public void A_view_for_detection_only_gives_persons_without_names_and_keeps_the_rest()
    {
        var view = new ResidentView(detectionOnly: true);
        var person = Make("0012", "H1") with
        {
            BirthDate = new RegistryDate(DatePrecision.Approximate, D("1926-01-01"), "大正15年頃"),
            Nationality = "VN",
            MovedInDate = D("2026-11-02"),
        };
        view.Upsert(person);
        view.SetStatus("0012", RegistryStatus.Left, D("2026-11-20"));

        var kept = view.GetPerson("0012")!;

        Assert.Equal(person with { FamilyName = string.Empty, GivenName = string.Empty, FamilyNameKana = null, GivenNameKana = null, PostalCode = null, Address = null, Gaiji = null, Status = RegistryStatus.Left, StatusDate = D("2026-11-20") }, kept);
        Assert.Equal(["0012"], view.ChangedResidents);
        Assert.Equal(["H1"], view.ChangedHouseholds);
    }
}
