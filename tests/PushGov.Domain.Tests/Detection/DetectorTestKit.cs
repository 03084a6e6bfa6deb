using PushGov.Domain.Detection;
using PushGov.Domain.Drops;
using PushGov.Domain.Residents;

namespace PushGov.Domain.Tests.Detection;

/// <summary>A detector over a fresh view, and row builders, for detection tests.</summary>
internal sealed class DetectorTestKit
{
    public const string Tenant = "141003";

    private long line = 1;
    private int record;

    public DetectorTestKit(LifeEventDetectorOptions? options = null, AgeEventSweepOptions? sweepOptions = null)
    {
        Emitted = new EmittedEvents();
        Sweep = new AgeEventSweep(Tenant, sweepOptions, Emitted);
        Detector = new LifeEventDetector(Tenant, View, Sweep, options, Emitted);
    }

    public ResidentView View { get; } = new();

    public EmittedEvents Emitted { get; }

    public AgeEventSweep Sweep { get; }

    public LifeEventDetector Detector { get; }

    public ResidentChangeRow Change(ChangeCode code, Person person, string date = "2026-11-01", string? recordId = null) =>
        new(++line, recordId ?? $"C{++record:D5}", code, TestPeopleDate(date), null, person);

    public List<LifeEvent> Apply(params DropRow[] rows) => Detector.Detect(rows).ToList();

    /// <summary>Puts people into the view as a first snapshot would, without events.</summary>
    public void Seed(params Person[] people)
    {
        var events = new List<LifeEvent>();
        foreach (var person in people)
        {
            Detector.Apply(new ResidentRow(++line, person), events);
        }

        Assert.Empty(events);
    }

    private static DateOnly TestPeopleDate(string iso) => Residents.TestPeople.D(iso);
}
