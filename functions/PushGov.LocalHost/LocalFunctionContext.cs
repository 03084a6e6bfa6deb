using System.Collections;
using System.Collections.Immutable;
using System.Reflection;
using Microsoft.Azure.Functions.Worker;

namespace PushGov.LocalHost;

/// <summary>The worker's <see cref="FunctionContext"/> for one in-process invocation.</summary>
internal sealed class LocalFunctionContext(
    LocalFunctionDefinition definition, IServiceProvider services, IReadOnlyDictionary<string, object?> bindingData, CancellationToken cancellationToken)
    : FunctionContext
{
    public override string InvocationId { get; } = Guid.NewGuid().ToString();

    public override string FunctionId => definition.Id;

    public override TraceContext TraceContext { get; } = new LocalTraceContext();

    public override BindingContext BindingContext { get; } = new LocalBindingContext(bindingData);

    public override RetryContext RetryContext { get; } = new LocalRetryContext();

    public override IServiceProvider InstanceServices { get; set; } = services;

    public override FunctionDefinition FunctionDefinition => definition;

    public override IDictionary<object, object> Items { get; set; } = new Dictionary<object, object>();

    public override IInvocationFeatures Features { get; } = new LocalInvocationFeatures();

    public override CancellationToken CancellationToken => cancellationToken;

    private sealed class LocalBindingContext(IReadOnlyDictionary<string, object?> bindingData) : BindingContext
    {
        public override IReadOnlyDictionary<string, object?> BindingData => bindingData;
    }

    private sealed class LocalTraceContext : TraceContext
    {
        public override string TraceParent => System.Diagnostics.Activity.Current?.Id ?? string.Empty;

        public override string TraceState => System.Diagnostics.Activity.Current?.TraceStateString ?? string.Empty;
    }

    /// <summary>The local host has no retry policies (the Functions host's retry options); queues and blobs retry by dequeue count.</summary>
    private sealed class LocalRetryContext : RetryContext
    {
        public override int RetryCount => 0;

        public override int MaxRetryCount => 0;
    }

    private sealed class LocalInvocationFeatures : IInvocationFeatures
    {
        private readonly Dictionary<Type, object> _features = [];

        public T? Get<T>() => _features.TryGetValue(typeof(T), out var feature) ? (T)feature : default;

        public void Set<T>(T instance)
        {
            if (instance is null)
            {
                _features.Remove(typeof(T));
            }
            else
            {
                _features[typeof(T)] = instance;
            }
        }

        public IEnumerator<KeyValuePair<Type, object>> GetEnumerator() => _features.GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}

/// <summary>The worker's <see cref="FunctionDefinition"/> built from a metadata entry and the method it names.</summary>
internal sealed class LocalFunctionDefinition : FunctionDefinition
{
    public LocalFunctionDefinition(FunctionMetadata metadata, MethodInfo method)
    {
        Name = metadata.Name;
        EntryPoint = metadata.EntryPoint;
        PathToAssembly = method.DeclaringType!.Assembly.Location;
        Parameters = [.. method.GetParameters().Select(p => new FunctionParameter(p.Name!, p.ParameterType, p.HasDefaultValue, p.DefaultValue))];
        InputBindings = metadata.Bindings.Where(b => b.IsInput)
            .ToImmutableDictionary(b => b.Name, b => (BindingMetadata)new LocalBindingMetadata(b.Name, b.Type, BindingDirection.In));
        OutputBindings = metadata.Bindings.Where(b => !b.IsInput)
            .ToImmutableDictionary(b => b.Name, b => (BindingMetadata)new LocalBindingMetadata(b.Name, b.Type, BindingDirection.Out));
    }

    public override ImmutableArray<FunctionParameter> Parameters { get; }

    public override string PathToAssembly { get; }

    public override string EntryPoint { get; }

    /// <summary>The function's name (the Functions host uses an opaque id; names are unique within an app).</summary>
    public override string Id => Name;

    public override string Name { get; }

    public override IImmutableDictionary<string, BindingMetadata> InputBindings { get; }

    public override IImmutableDictionary<string, BindingMetadata> OutputBindings { get; }

    private sealed class LocalBindingMetadata(string name, string type, BindingDirection direction) : BindingMetadata
    {
        public override string Name => name;

        public override string Type => type;

        public override BindingDirection Direction => direction;
    }
}
