using System.Globalization;
using System.Runtime.InteropServices;

namespace PushGov.Testing;

/// <summary>The machine a benchmark or drill ran on: cores, memory, CPU model (from /proc/cpuinfo on Linux) and .NET version.</summary>
public static class MachineInfo
{
    public static string Describe()
    {
        var cpu = "unknown CPU";
        long memoryKb = 0;
        try
        {
            if (File.Exists("/proc/cpuinfo"))
            {
                cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? cpu;
            }

            if (File.Exists("/proc/meminfo"))
            {
                var total = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
                if (total is not null)
                {
                    memoryKb = long.Parse(total.Split(':', 2)[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
            // keep what we have
        }

        var memory = memoryKb > 0 ? $"{memoryKb / 1048576.0:F1} GiB RAM" : $"{GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1073741824.0:F1} GiB available to .NET";
        return string.Create(CultureInfo.InvariantCulture, $"nproc {Environment.ProcessorCount}, {memory}, {cpu}, {RuntimeInformation.FrameworkDescription} ({RuntimeInformation.OSDescription})");
    }
}
