namespace PushGov.Portal;

/// <summary>The portal's entry point: <see cref="PortalApp"/> builds it (the browser tests build it the same way).</summary>
public static class PortalProgram
{
    public static async Task Main(string[] args)
    {
        var app = PortalApp.Build(args);
        await app.RunAsync();
    }
}
