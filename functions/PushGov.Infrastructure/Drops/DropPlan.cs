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
/// detecting again. It is never held whole: numbered chunks (<c>00000.json</c>, …) of at most <see cref="ChunkSize"/>
/// persons and as many events each, written as detection hands them over, then a small manifest written last
/// (<c>manifest.json</c>: the chunk count and totals). Without a manifest the plan is incomplete and is detected again
/// (detection is deterministic: the same chunks are written over the old ones).
/// </summary>
public sealed class DropPlan(BlobContainerClient state, string tenant, string dropKey, int chunkSize)
{
    private readonly string _folder = $"{tenant}/plans/{dropKey}/";

    /// <summary>Persons (and events) in one chunk at most; a household whose members are listed together is not split.</summary>
    public int ChunkSize { get; } = chunkSize > 0 ? chunkSize : throw new ArgumentOutOfRangeException(nameof(chunkSize), "A chunk holds at least one person.");

    /// <summary>One chunk: its events are started as cases before its persons are written.</summary>
    public sealed record Chunk(List<LifeEvent> Events, List<Person> Persons, Dictionary<string, string?> PreviousHouseholds);

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

    public async Task<Chunk> ChunkAsync(int index, CancellationToken ct) =>
        JsonSerializer.Deserialize<Chunk>((await Blob(ChunkName(index)).DownloadContentAsync(ct)).Value.Content.ToStream(), PushGovJson.Options)
        ?? throw new InvalidOperationException($"Plan chunk {index} of drop {dropKey} is empty.");

    /// <summary>
    /// Writes <paramref name="persons"/> (in the order given, a chunk closed only between two households) and
    /// <paramref name="events"/> (in order, chunk k holding the k-th slice) as chunks, then the manifest. Only
    /// one chunk is held at a time; <paramref name="previousHousehold"/> gives each person's household before the drop
    /// (absent or null: new or unknown).
    /// </summary>
    public async Task<Manifest> WriteAsync(IReadOnlyList<LifeEvent> events, IEnumerable<Person> persons, Func<string, string?> previousHousehold, CancellationToken ct)
    {
        var chunks = 0;
        var personCount = 0;
        var current = new List<Person>();
        async Task FlushAsync()
        {
            var previous = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var p in current)
            {
                if (previousHousehold(p.ResidentId) is { } old)
                {
                    previous[p.ResidentId] = old;
                }
            }

            await WriteChunkAsync(chunks, new Chunk(EventsOf(events, chunks), current, previous), ct);
            personCount += current.Count;
            chunks++;
            current = [];
        }

        foreach (var p in persons)
        {
            if (current.Count >= ChunkSize && current[^1].HouseholdId != p.HouseholdId)
            {
                await FlushAsync();
            }

            current.Add(p);
        }

        if (current.Count > 0)
        {
            await FlushAsync();
        }

        while ((long)chunks * ChunkSize < events.Count)
        {
            await WriteChunkAsync(chunks, new Chunk(EventsOf(events, chunks), [], []), ct);
            chunks++;
        }

        var manifest = new Manifest(chunks, events.Count, personCount);
        await Blob("manifest.json").UploadAsync(new BinaryData(JsonSerializer.SerializeToUtf8Bytes(manifest, PushGovJson.Options)), overwrite: true, ct);
        return manifest;
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

    private List<LifeEvent> EventsOf(IReadOnlyList<LifeEvent> events, int chunk)
    {
        var from = (long)chunk * ChunkSize;
        return from >= events.Count ? [] : events.Skip((int)from).Take(ChunkSize).ToList();
    }

    private Task WriteChunkAsync(int index, Chunk chunk, CancellationToken ct) =>
        Blob(ChunkName(index)).UploadAsync(new BinaryData(JsonSerializer.SerializeToUtf8Bytes(chunk, PushGovJson.Options)), overwrite: true, ct);

    private static string ChunkName(int index) => index.ToString("D5", CultureInfo.InvariantCulture) + ".json";

    private BlobClient Blob(string name) => state.GetBlobClient(_folder + name);
}
