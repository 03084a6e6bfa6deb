using PushGov.Domain.Detection;
using PushGov.Tooling.Pipeline;

namespace PushGov.Cli.Tests;

/// <summary>Events are written on a thread of their own: the same lines in the same order, and a failure reaches the caller.</summary>
public sealed class EventWriterTests
{
    // More events than the hand-over holds (4 batches of 1,024), so the caller waits for room.
    private const int Events = 40_000;

    [Fact]
    public void The_lines_are_those_of_the_event_output_in_the_order_the_events_were_given()
    {
        using var direct = new MemoryStream();
        using var threaded = new MemoryStream();
        using (var output = new EventOutput(direct))
        using (var writer = new EventWriter(threaded))
        {
            for (var i = 0; i < Events; i++)
            {
                output.Write(Event(i));
                writer.Write(Event(i));
            }

            output.Flush();
            writer.Complete();
            Assert.Equal(Events, writer.Lines);
        }

        Assert.Equal(direct.ToArray(), threaded.ToArray());
    }

    [Fact]
    public void A_failure_of_the_output_is_thrown_to_the_caller_and_nothing_hangs()
    {
        using var broken = new BrokenStream();
        using var writer = new EventWriter(broken);

        var e = Assert.Throws<IOException>(() =>
        {
            for (var i = 0; i < Events; i++)
            {
                writer.Write(Event(i));
            }

            writer.Complete();
        });

        Assert.Equal("the disk is full", e.Message);
    }

    private static LifeEvent Event(int i) => new()
    {
        Kind = LifeEventKind.MOVE_IN,
        Tenant = "401307",
        EventId = $"MOVE_IN-{i:x20}",
        ResidentId = (1_000_000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture),
        HouseholdId = "5000000002",
        EventDate = new DateOnly(2026, 11, 10),
        Source = new EventSource("resident-changes", i + 2, $"R{i}"),
        RelatedResidentIds = ["1000000007"],
    };

    /// <summary>A stream whose every write fails, as a full disk would.</summary>
    private sealed class BrokenStream : MemoryStream
    {
        public override void Write(ReadOnlySpan<byte> buffer) => throw new IOException("the disk is full");

        public override void Write(byte[] buffer, int offset, int count) => throw new IOException("the disk is full");
    }
}
