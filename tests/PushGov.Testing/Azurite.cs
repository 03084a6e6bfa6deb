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

    private readonly StringBuilder _output;
    private readonly string? _location;
    private Process _process;
    private double _cpuOfEndedStarts;

    private Azurite(Process process, StringBuilder output, string? location, int blobPort, int queuePort, int tablePort)
    {
        _process = process;
        _output = output;
        _location = location;
        BlobPort = blobPort;
        QueuePort = queuePort;
        TablePort = tablePort;
    }

    public int BlobPort { get; }

    public int QueuePort { get; }

    public int TablePort { get; }

    /// <summary>The emulator's Node.js process, for its CPU time (<see cref="ProcessCpu"/>).</summary>
    public int ProcessId => _process.Id;

    /// <summary>CPU seconds of every start of the emulator (<see cref="StopAsync"/>, <see cref="StartAgainAsync"/>), the running one included.</summary>
    public double CpuSeconds => _cpuOfEndedStarts + (_process.HasExited ? 0 : ProcessCpu.Seconds(_process.Id));

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
        for (var attempt = 0; ; attempt++)
        {
            var (blob, queue, table) = (FreePort(), FreePort(), FreePort());
            var output = new StringBuilder();
            var instance = new Azurite(Launch(location, blob, queue, table, output), output, location, blob, queue, table);
            if (await instance.WaitUntilListeningAsync(cancellationToken))
            {
                return instance;
            }

            var exited = instance._process.HasExited;
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
    /// Stops the emulator as its operator would: SIGTERM, upon which it stops listening, answers no more requests and
    /// writes its data to <c>--location</c>; once its three services say they closed, the process is killed, as it would
    /// otherwise linger until every client gives up on its open connections; the ports close.
    /// <see cref="StartAgainAsync"/> brings it back on the same ports and folder.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (_location is null)
        {
            throw new InvalidOperationException("An Azurite in memory loses its data when stopped: start it with a location.");
        }

        if (_process.HasExited)
        {
            return;
        }

        var closedBefore = Closed();
        using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) ?? throw new InvalidOperationException("kill did not start."))
        {
            await term.WaitForExitAsync(cancellationToken);
        }

        var deadline = DateTime.UtcNow + StartDeadline;
        while (Closed() < closedBefore + 3 && !_process.HasExited)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"Azurite did not close its services within {StartDeadline.TotalSeconds:0} s of SIGTERM: {Output}");
            }

            await Task.Delay(50, cancellationToken);
        }

        if (!_process.HasExited)
        {
            _cpuOfEndedStarts += ProcessCpu.Seconds(_process.Id);
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync(cancellationToken);
    }

    /// <summary>How many times a service of the emulator said it closed (its output on SIGTERM).</summary>
    private int Closed()
    {
        var output = Output;
        var count = 0;
        for (var at = output.IndexOf(" service successfully closed", StringComparison.Ordinal); at >= 0; at = output.IndexOf(" service successfully closed", at + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    /// <summary>Starts the emulator again after <see cref="StopAsync"/>, on the same ports and with the same folder.</summary>
    public async Task StartAgainAsync(CancellationToken cancellationToken = default)
    {
        if (!_process.HasExited)
        {
            throw new InvalidOperationException("Azurite is running already.");
        }

        _process.Dispose();
        _process = Launch(_location, BlobPort, QueuePort, TablePort, _output);
        if (!await WaitUntilListeningAsync(cancellationToken))
        {
            throw new InvalidOperationException($"Azurite did not listen again on its ports within {StartDeadline.TotalSeconds:0} s: {Output}");
        }
    }

    private static Process Launch(string? location, int blob, int queue, int table, StringBuilder output)
    {
        var root = RepositoryRoot.Find();
        var azurite = Path.Combine(root, "node_modules", ".bin", "azurite");
        if (!File.Exists(azurite))
        {
            throw new InvalidOperationException($"Azurite is not installed at {azurite}: run `npm ci` at the repository root (./test.sh does).");
        }

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

        var process = Process.Start(start) ?? throw new InvalidOperationException("Azurite did not start.");
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
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
