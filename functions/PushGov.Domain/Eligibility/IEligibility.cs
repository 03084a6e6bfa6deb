using PushGov.Domain.Detection;
using PushGov.Domain.Residents;

namespace PushGov.Domain.Eligibility;

/// <summary>Matching as the case workflow uses it: a pure function of an event and a household snapshot.</summary>
public interface IEligibility
{
    /// <summary>The services the event makes someone eligible for, with recipients, deadlines, amounts and reasons; deterministic.</summary>
    IReadOnlyList<ServiceMatch> Match(string tenant, LifeEvent lifeEvent, HouseholdSnapshot household);
}

/// <summary>Eligibility from each tenant's catalog (the default catalog with the tenant's overrides).</summary>
public sealed class CatalogEligibility(Func<string, ServiceMatcher> matcherFor) : IEligibility
{
    public IReadOnlyList<ServiceMatch> Match(string tenant, LifeEvent lifeEvent, HouseholdSnapshot household) =>
        matcherFor(tenant).Match(lifeEvent, household);
}
