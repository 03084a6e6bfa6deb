using PushGov.Tooling.Match;
using static PushGov.Domain.Tests.Eligibility.Households;

namespace PushGov.Domain.Tests.Eligibility;

/// <summary>
/// The generated set the match benchmark (<c>./pushgov bench match</c>) runs on is deterministic and exercises every
/// default service.
/// </summary>
public class MatchBenchmarkTests
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
}
