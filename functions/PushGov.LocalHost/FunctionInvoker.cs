using System.Globalization;
using System.Reflection;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PushGov.LocalHost;

/// <summary>What a trigger hands over for one invocation: how to bind the trigger parameter, and the binding data.</summary>
internal sealed class TriggerInput
{
    /// <summary>Converts the trigger's payload to the trigger parameter's type.</summary>
    public required Func<Type, CancellationToken, ValueTask<object?>> Bind { get; init; }

    /// <summary>Values bound to parameters by name (route values, blob path parts, DequeueCount...), as the worker's BindingData.</summary>
    public IReadOnlyDictionary<string, object?> BindingData { get; init; } = new Dictionary<string, object?>();

    /// <summary>The request of an HTTP trigger (the worker's ASP.NET Core integration keeps it in FunctionContext.Items).</summary>
    public HttpContext? HttpContext { get; init; }
}

/// <summary>
/// Invokes one <c>[Function]</c> method the way the isolated worker does: a DI scope per invocation, the class made by
/// <see cref="ActivatorUtilities"/>, parameters bound from the trigger, the durable client, FunctionContext,
/// CancellationToken, ILogger and binding data by name. Never uses ConfigureAwait(false): orchestrator functions must
/// continue on the Durable Task orchestration thread.
/// </summary>
internal sealed class FunctionInvoker
{
    /// <summary>Deserialization of JSON payloads (queue POCOs, activity inputs): System.Text.Json web defaults, as the worker.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The key under which the worker's ASP.NET Core integration keeps the HttpContext (FunctionContext.GetHttpContext).</summary>
    private const string HttpContextKey = "HttpRequestContext";

    private readonly MethodInfo _method;

    public FunctionInvoker(FunctionMetadata metadata, Assembly assembly)
    {
        Metadata = metadata;
        var split = metadata.EntryPoint.LastIndexOf('.');
        var type = assembly.GetType(metadata.EntryPoint[..split], throwOnError: true)!;
        var methods = type.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance)
            .Where(m => m.Name == metadata.EntryPoint[(split + 1)..]).ToList();
        _method = methods.Count == 1
            ? methods[0]
            : throw new InvalidOperationException($"Function {metadata.Name}: entry point {metadata.EntryPoint} names {methods.Count} public methods, expected one.");
        Definition = new LocalFunctionDefinition(metadata, _method);
        Trigger = metadata.Trigger;
        TriggerParameter = _method.GetParameters().SingleOrDefault(p => p.Name == Trigger.Name);
    }

    public FunctionMetadata Metadata { get; }

    public string Name => Metadata.Name;

    /// <summary>The id the Functions host gives a function in receipts, leases and poison messages.</summary>
    public string HostFunctionId => "Host.Functions." + Name;

    public LocalFunctionDefinition Definition { get; }

    public BindingMetadataEntry Trigger { get; }

    /// <summary>The parameter that takes the trigger's payload (null when the method does not take it).</summary>
    public ParameterInfo? TriggerParameter { get; }

    /// <summary>
    /// Runs the function and hands its (awaited) return value to <paramref name="handleResult"/> inside the invocation's
    /// scope (HTTP executes IActionResult/IResult there); returns that value.
    /// </summary>
    public async Task<object?> InvokeAsync(
        IServiceProvider services, TriggerInput input, CancellationToken cancellationToken, Func<object?, Task>? handleResult = null)
    {
        await using var scope = services.CreateAsyncScope();
        var context = new LocalFunctionContext(Definition, scope.ServiceProvider, input.BindingData, cancellationToken);
        if (input.HttpContext is not null)
        {
            // As the worker's ASP.NET Core integration: the request's services are the invocation's.
            input.HttpContext.RequestServices = scope.ServiceProvider;
            context.Items[HttpContextKey] = input.HttpContext;
        }

        var parameters = _method.GetParameters();
        var arguments = new object?[parameters.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            arguments[i] = await BindAsync(parameters[i], context, input, cancellationToken);
        }

        var instance = _method.IsStatic ? null : ActivatorUtilities.CreateInstance(scope.ServiceProvider, _method.DeclaringType!);
        try
        {
            var result = await AwaitResultAsync(Invoke(instance, arguments));
            if (handleResult is not null)
            {
                await handleResult(result);
            }

            return result;
        }
        finally
        {
            if (instance is IAsyncDisposable asyncDisposable)
            {
                await asyncDisposable.DisposeAsync();
            }
            else if (instance is IDisposable disposable)
            {
                disposable.Dispose();
            }
        }
    }

    private object? Invoke(object? instance, object?[] arguments)
    {
        try
        {
            return _method.Invoke(instance, arguments);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }

    private async Task<object?> AwaitResultAsync(object? returned)
    {
        var declared = _method.ReturnType;
        if (returned is null || declared == typeof(void))
        {
            return null;
        }

        if (returned is Task task)
        {
            await task;
            return declared.IsGenericType ? declared.GetProperty("Result")!.GetValue(task) : null;
        }

        if (returned is ValueTask valueTask)
        {
            await valueTask;
            return null;
        }

        if (declared.IsGenericType && declared.GetGenericTypeDefinition() == typeof(ValueTask<>))
        {
            var asTask = (Task)declared.GetMethod(nameof(ValueTask<>.AsTask))!.Invoke(returned, null)!;
            await asTask;
            return asTask.GetType().GetProperty("Result")!.GetValue(asTask);
        }

        return returned;
    }

    private async ValueTask<object?> BindAsync(ParameterInfo parameter, FunctionContext context, TriggerInput input, CancellationToken cancellationToken)
    {
        var type = parameter.ParameterType;
        if (parameter == TriggerParameter)
        {
            return await input.Bind(type, cancellationToken);
        }

        if (Metadata.Bindings.Any(b => b.Name == parameter.Name && b.IsType("durableClient")))
        {
            return context.InstanceServices.GetRequiredService<DurableTaskClient>();
        }

        if (type == typeof(FunctionContext))
        {
            return context;
        }

        if (type == typeof(CancellationToken))
        {
            return cancellationToken;
        }

        if (type == typeof(ILogger))
        {
            return context.InstanceServices.GetRequiredService<ILoggerFactory>().CreateLogger("Function." + Name);
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ILogger<>))
        {
            return context.InstanceServices.GetRequiredService(type);
        }

        var data = input.BindingData.FirstOrDefault(p => string.Equals(p.Key, parameter.Name, StringComparison.OrdinalIgnoreCase));
        if (data.Key is not null)
        {
            return ConvertBindingData(data.Value, type, parameter.Name!);
        }

        if (parameter.HasDefaultValue)
        {
            return parameter.DefaultValue;
        }

        throw new InvalidOperationException(
            $"Function {Name}: parameter '{parameter.Name}' ({type.Name}) has no binding, no binding data of that name and no default value.");
    }

    private object? ConvertBindingData(object? value, Type type, string name)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        try
        {
            return value switch
            {
                null => null,
                _ when target.IsInstanceOfType(value) => value,
                _ when target == typeof(string) => Convert.ToString(value, CultureInfo.InvariantCulture),
                string text when target == typeof(Guid) => Guid.Parse(text),
                string text when target == typeof(DateTimeOffset) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture),
                IConvertible when typeof(IConvertible).IsAssignableFrom(target) => Convert.ChangeType(value, target, CultureInfo.InvariantCulture),
                string text => JsonSerializer.Deserialize(text, type, Json),
                _ => JsonSerializer.Deserialize(JsonSerializer.Serialize(value, Json), type, Json),
            };
        }
        catch (Exception e) when (e is FormatException or InvalidCastException or JsonException or OverflowException)
        {
            throw new InvalidOperationException($"Function {Name}: binding data '{name}' cannot be converted to {type.Name}.", e);
        }
    }
}
