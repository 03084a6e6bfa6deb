using PushGov.Tooling.Match;
using Xunit.Abstractions;
using static PushGov.Domain.Tests.Eligibility.Households;

namespace PushGov.Domain.Tests.Eligibility;

/// <summary>
/// The generated benchmark set is deterministic and exercises every default service. Throughput is measured
/// only when PUSHGOV_BENCH is set (figures go to the test output; nothing about time is asserted):
/// <c>PUSHGOV_BENCH=200000 dotnet test tests/PushGov.Domain.Tests -c Release --filter FullyQualifiedName~MatchBenchmarkTests --logger "console;verbosity=detailed"</c>.
/// </summary>
public class MatchBenchmarkTests(ITestOutputHelper output)
{
    [Fact]
    public void The_benchmark_set_is_deterministic_and_reaches_every_default_service()
    {
        var a = MatchBenchmark.Generate(5000);
        var b = MatchBenchmark.Generate(5000);
        var servicesA = a.SelectMany(p => Default.Match(p.Event, p.Snapshot)).Select(m => m.ServiceId + m.AmountYen + string.Join(",", m.RecipientIds)).ToList();
        var servicesB = b.SelectMany(p => Default.Match(p.Event, p.Snapshot)).Select(m => m.ServiceId + m.AmountYen + string.Join(",", m.RecipientIds)).ToList();

        Assert.Equal(servicesA, servicesB);
        var reached = a.SelectMany(p => Default.Match(p.Event, p.Snapshot)).Select(m => m.ServiceId).ToHashSet();
        Assert.Equal(Default.Catalog.Services.Select(s => s.Id).ToHashSet(), reached);
    }

    [Fact]
    public void Throughput_when_asked()
    {
        if (!int.TryParse(Environment.GetEnvironmentVariable("PUSHGOV_BENCH"), out var count) || count <= 0)
        {
            output.WriteLine("Set PUSHGOV_BENCH=<events> to measure.");
            return;
        }

        var pairs = MatchBenchmark.Generate(count);
        var result = MatchBenchmark.Run(Default, pairs);
        output.WriteLine(result.ToString());
        var withReasons = MatchBenchmark.Run(Default, pairs, withReasons: true);
        output.WriteLine(withReasons.ToString());
        Assert.Equal(result.Matches, withReasons.Matches);
    }
}
