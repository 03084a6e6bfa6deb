using System.Globalization;
using System.Text;
using PushGov.Domain.Drops;
using PushGov.Tooling.Pipeline;

namespace PushGov.Cli.Tests;

/// <summary>The drop is read on a thread of its own: what goes wrong on either side reaches the caller, and nothing hangs.</summary>
public sealed class DropPipelineTests
{
    // More rows than the hand-over holds (4 batches of 1,024), so the reading thread is waiting for room when it fails.
    private const int Rows = 40_000;

    [Fact]
    public void A_failure_while_handling_an_event_is_thrown_to_the_caller_and_stops_the_reading_thread()
    {
        var pipeline = new DropPipeline("401307", new DateOnly(2026, 11, 22));
        using var drop = new MemoryStream(Drop());
        var handled = 0;

        var e = Assert.Throws<InvalidOperationException>(() => pipeline.Apply(drop, Dataset.ResidentChanges, _ =>
        {
            if (++handled == 10)
            {
                throw new InvalidOperationException("the output is gone");
            }
        }));

        Assert.Equal("the output is gone", e.Message);
        Assert.Equal(10, handled);
    }

    [Fact]
    public void A_read_failure_on_the_reading_thread_is_thrown_to_the_caller_after_the_rows_before_it_were_applied()
    {
        var pipeline = new DropPipeline("401307", new DateOnly(2026, 11, 22));
        var bytes = Drop();
        using var drop = new FailingStream(bytes, failAt: bytes.Length / 2);
        var handled = 0;

        var e = Assert.Throws<IOException>(() => pipeline.Apply(drop, Dataset.ResidentChanges, _ => handled++));

        Assert.Equal("the disk is gone", e.Message);
        Assert.InRange(handled, 1, Rows - 1);
    }

    [Fact]
    public void A_cancelled_drop_throws_operation_cancelled_to_the_caller()
    {
        var pipeline = new DropPipeline("401307", new DateOnly(2026, 11, 22));
        using var drop = new MemoryStream(Drop());
        using var cancel = new CancellationTokenSource();
        var handled = 0;

        Assert.ThrowsAny<OperationCanceledException>(() => pipeline.Apply(drop, Dataset.ResidentChanges, _ =>
        {
            if (++handled == 100)
            {
                cancel.Cancel();
            }
        }, cancel.Token));

        Assert.InRange(handled, 100, Rows - 1);
    }

    private static byte[] Drop()
    {
        var csv = new StringBuilder(TempDrops.ChangesHeader).Append('\n');
        for (var i = 0; i < Rows; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"R{i},{1_000_000 + i},{2_000_000 + i},MOVE_IN,2026-11-10,2026-11-12,田中,太郎,タナカ,タロウ,1990-04-01,1,世帯主,810-0001,福岡市中央区天神1丁目\n");
        }

        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    /// <summary>Reads like a file until <c>failAt</c> bytes, then fails as a lost disk would.</summary>
    private sealed class FailingStream(byte[] bytes, int failAt) : MemoryStream(bytes, writable: false)
    {
        // MemoryStream's span overloads come back here for a derived type.
        public override int Read(byte[] buffer, int offset, int count)
        {
            if (Position >= failAt)
            {
                throw new IOException("the disk is gone");
            }

            return base.Read(buffer, offset, (int)Math.Min(count, failAt - Position));
        }
    }
}
