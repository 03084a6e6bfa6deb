using System.Diagnostics;

namespace PushGov.Functions.CustomHandler;

/// <summary>Finds a function by name and invokes it. The custom-handler endpoint and the local trigger host both come through here.</summary>
public sealed class FunctionDispatcher(IEnumerable<IFunction> functions, ILogger<FunctionDispatcher> logger)
{
    public static readonly ActivitySource Activity = new("PushGov.Functions");

    private readonly Dictionary<string, IFunction> _byName = functions.ToDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);

    public IReadOnlyCollection<string> Names => _byName.Keys;

    public bool Exists(string name) => _byName.ContainsKey(name);

    /// <summary>Invokes the function; exceptions propagate (the caller turns them into a failed invocation).</summary>
    public async Task<InvocationResponse> InvokeAsync(string name, InvocationRequest request, CancellationToken ct)
    {
        if (!_byName.TryGetValue(name, out var function))
        {
            throw new KeyNotFoundException($"No function named '{name}'.");
        }

        using var activity = Activity.StartActivity("invoke " + function.Name);
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["function"] = function.Name });
        try
        {
            return await function.InvokeAsync(request, ct);
        }
        catch (PermanentInvocationException e)
        {
            logger.LogWarning("{Function}: {Reason}", function.Name, e.Message);
            return new InvocationResponse { Logs = [e.Message] };
        }
    }
}
