using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using PushGov.Testing;

namespace PushGov.Drills;

/// <summary>
/// PushGov on the local host as a child process: the built <c>PushGov.Local</c> (the executable <c>./run.sh</c> starts,
/// copied beside the drills, and beside the tests that run them, by the project reference) run with <c>dotnet</c>, its
/// settings in environment variables. A drill can kill it as a crash does (<see cref="Kill"/>: SIGKILL on Linux, no
/// shutdown, no drain) and start it again on the same storage. Its console output goes to <see cref="LogPath"/> (the app
/// logs no personal data in clear). The CPU time and peak resident memory of all its starts are kept
/// (<see cref="CpuSeconds"/>, <see cref="PeakResidentBytes"/>).
/// </summary>
public sealed class LocalHostProcess : IAsyncDisposable
{
    private readonly IReadOnlyDictionary<string, string> _settings;
    private readonly StreamWriter _log;
    private readonly Lock _logLock = new();
    private Process? _process;
    private bool _closed;
    private double _cpuOfEndedStarts;
    private long _peakOfEndedStarts;

    public LocalHostProcess(IReadOnlyDictionary<string, string> settings)
    {
        _settings = settings;
        LogPath = Path.Combine(Path.GetTempPath(), $"pushgov-localhost-{Guid.NewGuid():N}.log");
        _log = new StreamWriter(LogPath) { AutoFlush = true };
    }

    /// <summary>Where the output of every start is kept (one file; each start begins with a marked line).</summary>
    public string LogPath { get; }

    public int Starts { get; private set; }

    /// <summary>Where the running start listens (a new free loopback port each start), e.g. <c>http://127.0.0.1:40123/</c>.</summary>
    public Uri? BaseAddress { get; private set; }

    public int Kills { get; private set; }

    /// <summary>CPU seconds (user + system) of every start so far, the running one included; NaN where /proc is not there.</summary>
    public double CpuSeconds => _cpuOfEndedStarts + (_process is { HasExited: false } running ? ProcessCpu.Seconds(running.Id) : 0);

    /// <summary>The largest resident set of any start so far (VmHWM of /proc/&lt;pid&gt;/status), in bytes; 0 where /proc is not there.</summary>
    public long PeakResidentBytes => Math.Max(_peakOfEndedStarts, _process is { HasExited: false } running ? PeakResident(running.Id) : 0);

    /// <summary>True when the current process ended without being killed by the test (a start-up failure, a crash of its own).</summary>
    public bool ExitedByItself => _process is { HasExited: true } && Kills < Starts;

    /// <summary>The entry assembly beside the tests, or a clear failure naming what is missing.</summary>
    public static string AppPath
    {
        get
        {
            var dll = Path.Combine(AppContext.BaseDirectory, "PushGov.Local.dll");
            return File.Exists(dll) && File.Exists(Path.ChangeExtension(dll, ".runtimeconfig.json"))
                ? dll
                : throw new InvalidOperationException($"PushGov.Local.dll and its runtimeconfig.json are not in {AppContext.BaseDirectory}: build drills/PushGov.Drills (it references functions/PushGov.Local).");
        }
    }

    /// <summary>Starts the host on a free loopback port.</summary>
    public void Start()
    {
        if (_process is { HasExited: false })
        {
            throw new InvalidOperationException("The host is running already.");
        }

        _process?.Dispose();
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } dotnet && File.Exists(dotnet) ? dotnet : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(AppPath);
        BaseAddress = new Uri($"http://127.0.0.1:{FreePort()}/");
        start.ArgumentList.Add(BaseAddress.AbsoluteUri.TrimEnd('/'));
        foreach (var (key, value) in _settings)
        {
            start.Environment[key] = value;
        }

        Starts++;
        Write($"===== start {Starts} at {DateTimeOffset.UtcNow:HH:mm:ss.fff} =====");
        _process = Process.Start(start) ?? throw new InvalidOperationException("The local host did not start.");
        _process.OutputDataReceived += (_, e) => Write(e.Data);
        _process.ErrorDataReceived += (_, e) => Write(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Kills the host and everything it started at once (SIGKILL), and waits until it is gone.</summary>
    public async Task Kill()
    {
        var process = _process ?? throw new InvalidOperationException("The host was not started.");
        Kills++;
        Account(process);
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        Write($"===== killed at {DateTimeOffset.UtcNow:HH:mm:ss.fff} =====");
    }

    /// <summary>The last lines of the output, for a failure message.</summary>
    public string Tail(int lines = 40)
    {
        lock (_logLock)
        {
            _log.Flush();
        }

        using var reader = new StreamReader(new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        var all = reader.ReadToEnd().Split('\n');
        return string.Join('\n', all.TakeLast(lines));
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false } running)
        {
            Account(running);
            running.Kill(entireProcessTree: true);
            await running.WaitForExitAsync();
        }

        _process?.Dispose();
        lock (_logLock)
        {
            _closed = true;
            _log.Dispose();
        }
    }

    private void Write(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_logLock)
        {
            if (!_closed)
            {
                _log.WriteLine(line);
            }
        }
    }

    /// <summary>Keeps the CPU time and peak memory of a start that is about to end (/proc forgets them once it has).</summary>
    private void Account(Process process)
    {
        _cpuOfEndedStarts += ProcessCpu.Seconds(process.Id);
        _peakOfEndedStarts = Math.Max(_peakOfEndedStarts, PeakResident(process.Id));
    }

    private static long PeakResident(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
