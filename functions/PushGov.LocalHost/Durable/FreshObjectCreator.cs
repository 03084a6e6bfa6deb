using DurableTask.Core;

namespace PushGov.LocalHost.Durable;

/// <summary>
/// Registers a name with Durable Task Framework's worker and makes a fresh object per work item (the Durable shims hold
/// the state of one execution, so they cannot be shared). Public for a benchmark that runs bare DTFx beside the host.
/// </summary>
public sealed class FreshObjectCreator<T> : ObjectCreator<T>
{
    private readonly Func<T> _create;

    public FreshObjectCreator(string name, Func<T> create)
    {
        Name = name;
        Version = string.Empty;
        _create = create;
    }

    public override T Create() => _create();
}
