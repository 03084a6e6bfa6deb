using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace PushGov.Testing;

/// <summary>
/// A real Azurite (the Azure Storage emulator from the repository's npm lockfile), started for a test run on
/// free loopback ports with in-memory persistence, or keeping its data in a folder (as a deployed storage account keeps
/// it), and stopped when disposed. Nothing is assumed to be running.
/// </summary>
public sealed class Azurite : IAsyncDisposable
{
    // Azurite's well-known development account (documented, not a secret).
    public const string AccountName = "devstoreaccount1";
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly Process _process;
    private readonly StringBuilder _output;

    private Azurite(Process process, StringBuilder output, int blobPort, int queuePort, int tablePort)
    {
        _process = process;
        _output = output;
        BlobPort = blobPort;
        QueuePort = queuePort;
        TablePort = tablePort;
    }

    public int BlobPort { get; }

    public int QueuePort { get; }

    public int TablePort { get; }

    /// <summary>The emulator's Node.js process, for its CPU time (<see cref="ProcessCpu"/>).</summary>
    public int ProcessId => _process.Id;

    /// <summary>A connection string for this Azurite, in the shape Azure's storage SDKs take.</summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/{AccountName};" +
        $"QueueEndpoint=http://127.0.0.1:{QueuePort}/{AccountName};" +
        $"TableEndpoint=http://127.0.0.1:{TablePort}/{AccountName};";

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts Azurite from <c>node_modules/.bin/azurite</c> at the repository root, keeping its data in memory.</summary>
    public static Task<Azurite> StartAsync(CancellationToken cancellationToken = default) => StartAsync(location: null, cancellationToken);

    /// <summary>
    /// Starts Azurite keeping its data in the folder <paramref name="location"/> (created if missing), or in memory when it
    /// is null.
    /// </summary>
    public static async Task<Azurite> StartAsync(string? location, CancellationToken cancellationToken = default)
    {
        var root = RepositoryRoot.Find();
        var azurite = Path.Combine(root, "node_modules", ".bin", "azurite");
        if (!File.Exists(azurite))
        {
            throw new InvalidOperationException($"Azurite is not installed at {azurite}: run `npm ci` at the repository root (./test.sh does).");
        }

        for (var attempt = 0; ; attempt++)
        {
            var (blob, queue, table) = (FreePort(), FreePort(), FreePort());
            var start = new ProcessStartInfo(azurite)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = Path.GetTempPath(),
            };
            if (location is null)
            {
                start.ArgumentList.Add("--inMemoryPersistence");
            }
            else
            {
                Directory.CreateDirectory(location);
                start.ArgumentList.Add("--location");
                start.ArgumentList.Add(location);
            }

            foreach (var arg in new[]
            {
                "--silent", "--skipApiVersionCheck", "--loose", "--disableProductStyleUrl",
                "--blobHost", "127.0.0.1", "--blobPort", blob.ToString(),
                "--queueHost", "127.0.0.1", "--queuePort", queue.ToString(),
                "--tableHost", "127.0.0.1", "--tablePort", table.ToString(),
            })
            {
                start.ArgumentList.Add(arg);
            }

            var output = new StringBuilder();
            var process = Process.Start(start) ?? throw new InvalidOperationException("Azurite did not start.");
            process.OutputDataReceived += (_, e) => Append(output, e.Data);
            process.ErrorDataReceived += (_, e) => Append(output, e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();

            var instance = new Azurite(process, output, blob, queue, table);
            if (await instance.WaitUntilListeningAsync(cancellationToken))
            {
                return instance;
            }

            var exited = process.HasExited;
            await instance.DisposeAsync();
            // A process that exited lost a port to another process between FreePort and its bind: try new ports. One
            // still starting after the deadline is not helped by a restart (a loaded machine would only start over).
            if (!exited || attempt >= 2)
            {
                throw new InvalidOperationException(
                    (exited ? "Azurite exited before it listened" : $"Azurite did not listen within {StartDeadline.TotalSeconds:0} s") + $": {instance.Output}");
            }
        }
    }

    /// <summary>
    /// How long Azurite may take to listen. Node loads Azurite in about a second on an idle machine; on a shared machine
    /// under heavy load it has taken more than a minute, so the deadline is generous: it only bounds a hung start.
    /// </summary>
    private static readonly TimeSpan StartDeadline = TimeSpan.FromMinutes(3);

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private async Task<bool> WaitUntilListeningAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + StartDeadline;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                return false;
            }

            if (await IsOpen(BlobPort) && await IsOpen(QueuePort) && await IsOpen(TablePort))
            {
                return true;
            }

            await Task.Delay(100, cancellationToken);
        }

        return false;
    }

    private static async Task<bool> IsOpen(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}

/// <summary>Finds the repository root (the folder with PushGov.Functions.sln) from the test's base directory.</summary>
public static class RepositoryRoot
{
    public static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PushGov.Functions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (with PushGov.Functions.sln) was not found above " + AppContext.BaseDirectory);
    }
}
