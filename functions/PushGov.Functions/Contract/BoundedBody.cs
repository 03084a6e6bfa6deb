namespace PushGov.Functions.Contract;

/// <summary>Reads a request body up to a limit, counting while reading (with or without Content-Length), whatever the host.</summary>
public static class BoundedBody
{
    /// <summary>The body's bytes, or null when it is longer than <paramref name="limit"/> (413).</summary>
    public static async Task<byte[]?> ReadAsync(Stream body, long? contentLength, long limit, CancellationToken ct)
    {
        if (contentLength > limit)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await body.ReadAsync(chunk, ct)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > limit)
            {
                return null;
            }
        }

        return buffer.ToArray();
    }
}
