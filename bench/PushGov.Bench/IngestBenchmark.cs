namespace PushGov.Bench;

/// <summary>What <c>./pushgov bench ingest</c> runs.</summary>
public sealed record IngestBenchmarkOptions
{
    public int Rows { get; init; } = 1_000_000;

    public int Population { get; init; } = 3_800_000;

    public int FirstLoadPopulation { get; init; } = 200_000;

    public double ChangedPercent { get; init; } = 0.2;

    public bool RunP1 { get; init; } = true;

    public bool RunP2 { get; init; } = true;

    public string? WorkDirectory { get; init; }

    public int Runs { get; init; } = 2;

    public string? DocPath { get; init; }

    public string CommandLine { get; init; } = "./pushgov bench ingest";
}

public static partial class IngestBenchmark
{
    public static Task<int> RunAsync(IngestBenchmarkOptions options, TextWriter output, TextWriter error, CancellationToken ct)
    {
        throw new NotImplementedException();
    }
}
