using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using PushGov.Domain.Detection;
using PushGov.Domain.Residents;
using PushGov.Domain.Serialization;

namespace PushGov.Infrastructure.Drops;

/// <summary>
/// The plan of a drop (events to start as cases, persons to write, the households they were in before), kept in the state
/// container under <c>{tenant}/plans/{dropKey}/</c> until it is applied, so a crash resumes with the same plan instead of
/// detecting again. It is never held whole: chunk k is two blobs, its persons (<c>00000.json</c>, …: at most
/// <see cref="ChunkSize"/>, as detection hands them over) and its events (<c>00000.events.json</c>, …: the k-th slice of
/// <see cref="ChunkSize"/> events, written as each slice fills), then a small manifest written last (<c>manifest.json</c>:
/// the chunk count and totals). Without a manifest the plan is incomplete and is detected again (detection is
/// deterministic: the same chunks are written over the old ones).
/// </summary>
public sealed class DropPlan(BlobContainerClient state, string tenant, string dropKey, int chunkSize)
{
    private readonly string _folder = $"{tenant}/plans/{dropKey}/";

    /// <summary>Persons (and events) in one chunk at most; a household whose members are listed together is not split.</summary>
    public int ChunkSize { get; } = chunkSize > 0 ? chunkSize : throw new ArgumentOutOfRangeException(nameof(chunkSize), "A chunk holds at least one person.");

    /// <summary>One chunk: its events are started as cases before its persons are written.</summary>
    public sealed record Chunk(List<LifeEvent> Events, List<Person> Persons, Dictionary<string, string?> PreviousHouseholds);

    /// <summary>The persons' blob of a chunk: the persons and the households they were in before (absent: new or unknown).</summary>
    private sealed record PersonsBlob(List<Person> Persons, Dictionary<string, string?> PreviousHouseholds);

    /// <summary>The plan as a whole, written after its last chunk.</summary>
    public sealed record Manifest(int Chunks, int Events, int Persons);

    /// <summary>The manifest, or null when no complete plan was written.</summary>
    public async Task<Manifest?> ManifestAsync(CancellationToken ct)
    {
        try
        {
            var content = (await Blob("manifest.json").DownloadContentAsync(ct)).Value.Content;
            return JsonSerializer.Deserialize<Manifest>(content.ToStream(), PushGovJson.Options);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public async Task<Chunk> ChunkAsync(int index, CancellationToken ct)
    {
        var persons = ReadAsync<PersonsBlob>(PersonsName(index), ct);
        var events = ReadAsync<List<LifeEvent>>(EventsName(index), ct);
        var (p, e) = (await persons, await events);
        return new Chunk(e, p.Persons, p.PreviousHouseholds);
    }

    /// <summary>Starts writing the plan: hand the writer its persons and events in order, then complete it.</summary>
    public Writer Write() => new(this);

    /// <summary>
    /// Writes a plan as it is handed over, holding one chunk of persons and one slice of events at a time: persons in the
    /// order given (a chunk closed only between two households; a person given again while their chunk is open replaces
    /// the earlier entry), events in order (chunk k holding the k-th slice). <see cref="CompleteAsync"/> writes what is
    /// left, an empty blob for each chunk that has persons but no events or the reverse, and the manifest last.
    /// </summary>
    public sealed class Writer
    {
        private readonly DropPlan _plan;
        private readonly Dictionary<string, int> _positions = new(StringComparer.Ordinal);
        private List<Person> _persons = [];
        private Dictionary<string, string?> _previous = new(StringComparer.Ordinal);
        private List<LifeEvent> _events = [];
        private int _personChunks;
        private int _eventChunks;
        private int _personCount;
        private int _eventCount;

        internal Writer(DropPlan plan) => _plan = plan;

        /// <summary>Adds a person, with the household they were in before the drop (null: new or unknown).</summary>
        public async Task AddAsync(Person person, string? previousHousehold, CancellationToken ct)
        {
            if (_positions.TryGetValue(person.ResidentId, out var at))
            {
                _persons[at] = person;
                return;
            }

            if (_persons.Count >= _plan.ChunkSize && _persons[^1].HouseholdId != person.HouseholdId)
            {
                await FlushPersonsAsync(ct);
            }

            _positions[person.ResidentId] = _persons.Count;
            _persons.Add(person);
            if (previousHousehold is not null)
            {
                _previous[person.ResidentId] = previousHousehold;
            }
        }

        /// <summary>Adds events, in order.</summary>
        public async Task AddAsync(IEnumerable<LifeEvent> events, CancellationToken ct)
        {
            foreach (var e in events)
            {
                _events.Add(e);
                if (_events.Count == _plan.ChunkSize)
                {
                    await FlushEventsAsync(ct);
                }
            }
        }

        /// <summary>Writes the last chunk, the empty halves of chunks, then the manifest; the plan is then whole.</summary>
        public async Task<Manifest> CompleteAsync(CancellationToken ct)
        {
            if (_persons.Count > 0)
            {
                await FlushPersonsAsync(ct);
            }

            if (_events.Count > 0)
            {
                await FlushEventsAsync(ct);
            }

            while (_personChunks < _eventChunks)
            {
                await FlushPersonsAsync(ct);
            }

            while (_eventChunks < _personChunks)
            {
                await FlushEventsAsync(ct);
            }

            var manifest = new Manifest(_personChunks, _eventCount, _personCount);
            await _plan.WriteAsync("manifest.json", manifest, ct);
            return manifest;
        }

        private async Task FlushPersonsAsync(CancellationToken ct)
        {
            await _plan.WriteAsync(PersonsName(_personChunks), new PersonsBlob(_persons, _previous), ct);
            _personCount += _persons.Count;
            _personChunks++;
            _persons = [];
            _previous = new(StringComparer.Ordinal);
            _positions.Clear();
        }

        private async Task FlushEventsAsync(CancellationToken ct)
        {
            await _plan.WriteAsync(EventsName(_eventChunks), _events, ct);
            _eventCount += _events.Count;
            _eventChunks++;
            _events = [];
        }
    }

    /// <summary>Deletes the plan: the manifest first (so a crash part way leaves no plan that looks complete), then every chunk.</summary>
    public async Task DeleteAsync(CancellationToken ct)
    {
        await Blob("manifest.json").DeleteIfExistsAsync(cancellationToken: ct);
        await foreach (var item in state.GetBlobsAsync(BlobTraits.None, BlobStates.None, _folder, ct))
        {
            await state.GetBlobClient(item.Name).DeleteIfExistsAsync(cancellationToken: ct);
        }
    }

    private async Task<T> ReadAsync<T>(string name, CancellationToken ct) =>
        JsonSerializer.Deserialize<T>((await Blob(name).DownloadContentAsync(ct)).Value.Content.ToStream(), PushGovJson.Options)
        ?? throw new InvalidOperationException($"Plan blob {name} of drop {dropKey} is empty.");

    private Task WriteAsync<T>(string name, T value, CancellationToken ct) =>
        Blob(name).UploadAsync(new BinaryData(JsonSerializer.SerializeToUtf8Bytes(value, PushGovJson.Options)), overwrite: true, ct);

    private static string PersonsName(int index) => index.ToString("D5", CultureInfo.InvariantCulture) + ".json";

    private static string EventsName(int index) => index.ToString("D5", CultureInfo.InvariantCulture) + ".events.json";

    private BlobClient Blob(string name) => state.GetBlobClient(_folder + name);
}
