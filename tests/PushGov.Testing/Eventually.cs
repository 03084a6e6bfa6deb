namespace PushGov.Testing;

/// <summary>Waits for a condition with a deadline (never a fixed sleep): polls every 100 ms, throws naming what it waited for.</summary>
public static class Eventually
{
    public static async Task Async(Func<Task<bool>> condition, string what, TimeSpan? within = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = DateTimeOffset.UtcNow + (within ?? TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited {(within ?? TimeSpan.FromSeconds(30)).TotalSeconds} s for {what}.");
            }

            await Task.Delay(100);
        }
    }
}
