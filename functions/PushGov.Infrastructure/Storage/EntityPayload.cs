using System.IO.Compression;
using System.Text.Json;
using Azure.Data.Tables;
using PushGov.Domain.Serialization;

namespace PushGov.Infrastructure.Storage;

/// <summary>
/// Stores a JSON document in a table entity as Brotli-compressed binary, split over properties
/// <c>{name}0</c>, <c>{name}1</c>, … (a binary property holds at most 64 KiB; an entity 1 MiB).
/// </summary>
public static class EntityPayload
{
    private const int ChunkSize = 60 * 1024;
    private const int MaxChunks = 14;

    public static void Write<T>(TableEntity entity, string name, T value)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(value, PushGovJson.Options);
        using var buffer = new MemoryStream();
        using (var brotli = new BrotliStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            brotli.Write(json);
        }

        var bytes = buffer.ToArray();
        var chunks = (bytes.Length + ChunkSize - 1) / ChunkSize;
        if (chunks > MaxChunks)
        {
            throw new InvalidOperationException($"The {name} document is {bytes.Length} bytes compressed, over what one table entity holds.");
        }

        for (var i = 0; i < MaxChunks; i++)
        {
            var key = name + i;
            if (i < chunks)
            {
                entity[key] = bytes.AsSpan(i * ChunkSize, Math.Min(ChunkSize, bytes.Length - (i * ChunkSize))).ToArray();
            }
            else
            {
                entity.Remove(key);
            }
        }
    }

    public static T? Read<T>(TableEntity entity, string name)
    {
        using var compressed = new MemoryStream();
        for (var i = 0; entity.TryGetValue(name + i, out var chunk) && chunk is byte[] bytes; i++)
        {
            compressed.Write(bytes);
        }

        if (compressed.Length == 0)
        {
            return default;
        }

        compressed.Position = 0;
        using var brotli = new BrotliStream(compressed, CompressionMode.Decompress);
        return JsonSerializer.Deserialize<T>(brotli, PushGovJson.Options);
    }
}
