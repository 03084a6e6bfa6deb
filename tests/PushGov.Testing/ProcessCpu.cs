using System.Globalization;

namespace PushGov.Testing;

/// <summary>
/// CPU time (user + system) of processes from <c>/proc/&lt;pid&gt;/stat</c> (fields 14 and 15, in clock ticks of 1/100 s,
/// Linux's USER_HZ): this process (a benchmark or drill, the local host it runs, or the bare Durable Task floor), and the storage emulator,
/// a separate Node.js process started by this one (<see cref="Azurite.ProcessId"/>).
/// </summary>
public static class ProcessCpu
{
    private const double TicksPerSecond = 100;

    /// <summary>CPU seconds used so far by the process, or NaN where /proc is not there.</summary>
    public static double Seconds(int pid)
    {
        var fields = Stat(pid);
        return fields is null ? double.NaN : (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
    }

    /// <summary>CPU seconds used so far by all of the processes.</summary>
    public static double Seconds(IEnumerable<int> pids) => pids.Sum(Seconds);

    /// <summary>
    /// The main thread's time on a CPU and waiting in the run queue, in seconds (<c>/proc/&lt;pid&gt;/task/&lt;pid&gt;/schedstat</c>);
    /// for Node.js the main thread is the event loop, so over a window (on CPU + waiting) / wall time near 1 means the
    /// loop always had work. NaN where schedstat is not there.
    /// </summary>
    public static (double OnCpu, double Waiting) MainThread(int pid)
    {
        try
        {
            var parts = File.ReadAllText($"/proc/{pid}/task/{pid}/schedstat").Split(' ');
            return (long.Parse(parts[0], CultureInfo.InvariantCulture) / 1e9, long.Parse(parts[1], CultureInfo.InvariantCulture) / 1e9);
        }
        catch (IOException)
        {
            return (double.NaN, double.NaN);
        }
    }

    /// <summary>The machine's load averages (1, 5, 15 minutes) as /proc/loadavg gives them.</summary>
    public static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    /// <summary>The Node.js processes this process started, directly or below a child (Azurite runs as one).</summary>
    public static IReadOnlyList<int> NodeDescendants()
    {
        if (!Directory.Exists("/proc"))
        {
            return [];
        }

        var parents = new Dictionary<int, (int Parent, string Name)>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && Stat(pid, out var name) is { } fields)
            {
                parents[pid] = (int.Parse(fields[1], CultureInfo.InvariantCulture), name);
            }
        }

        var self = Environment.ProcessId;
        bool Below(int pid)
        {
            for (var p = pid; parents.TryGetValue(p, out var entry) && p != 1; p = entry.Parent)
            {
                if (entry.Parent == self)
                {
                    return true;
                }
            }

            return false;
        }

        return parents.Where(p => p.Value.Name == "node" && Below(p.Key)).Select(p => p.Key).ToList();
    }

    private static string[]? Stat(int pid) => Stat(pid, out _);

    /// <summary>The fields after the command name (index 0 = field 3, state), and the command name.</summary>
    private static string[]? Stat(int pid, out string name)
    {
        name = string.Empty;
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        var open = text.IndexOf('(', StringComparison.Ordinal);
        var close = text.LastIndexOf(')');
        if (open < 0 || close < open)
        {
            return null;
        }

        name = text[(open + 1)..close];
        return text[(close + 2)..].Split(' ');
    }
}
