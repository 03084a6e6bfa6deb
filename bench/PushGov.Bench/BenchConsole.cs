namespace PushGov.Bench;

/// <summary>Where a benchmark writes: its figures to <paramref name="Out"/>, progress and problems to <paramref name="Error"/>.</summary>
public sealed record BenchConsole(TextWriter Out, TextWriter Error)
{
    public static BenchConsole System() => new(Console.Out, Console.Error);
}
