using Azure.Storage.Blobs;
using Microsoft.Azure.Functions.Worker;

namespace PushGov.LocalHost.SampleApp;

/// <summary>Blob-triggered functions (Event Grid source, as Flex Consumption requires); containers come from settings.</summary>
public sealed class BlobFunctions(Probe probe)
{
    [Function("Drop")]
    public async Task DropAsync(
        [BlobTrigger("%DropContainer%/{tenant}/{dataset}/{name}", Source = BlobTriggerSource.EventGrid)] Stream content,
        string tenant, string dataset, string name, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(content);
        var text = await reader.ReadToEndAsync(cancellationToken);
        probe.Record($"drop {tenant} {dataset} {name} {text}");
    }

    [Function("DropClient")]
    public async Task DropClientAsync([BlobTrigger("%ClientContainer%/{name}")] BlobClient blob, string name)
    {
        var properties = await blob.GetPropertiesAsync();
        probe.Record($"client {name} {properties.Value.ContentLength}");
    }

    [Function("BadDrop")]
    public void BadDrop([BlobTrigger("%BadContainer%/{name}")] string content, string name)
    {
        probe.Record($"bad {name} {content}");
        throw new InvalidOperationException("This drop cannot be read.");
    }
}
