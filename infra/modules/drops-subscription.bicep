// Event Grid subscription: BlobCreated in the drops container -> the Functions host's blob extension
// webhook for IngestDrop (the isolated worker's [BlobTrigger(..., Source = BlobTriggerSource.EventGrid)]).
// Deployed only with deployEventSubscriptions=true, after the code is deployed:
// the webhook URL carries the host's blobs_extension system key (read here with listKeys) and Event Grid
// validates the endpoint when the subscription is created, so the host must already be running.

@description('Event Grid system topic name.')
param systemTopicName string

@description('Function app name.')
param functionAppName string

@description('Function that handles the blob (its name in functions.metadata).')
param functionName string

@description('Container whose new blobs trigger the function.')
param containerName string

resource topic 'Microsoft.EventGrid/systemTopics@2025-02-15' existing = {
  name: systemTopicName
}

resource site 'Microsoft.Web/sites@2024-11-01' existing = {
  name: functionAppName
}

// Microsoft.Web/sites/host has no Bicep type, so its keys are read with the listKeys function.
var blobsExtensionKey = listKeys('${site.id}/host/default', '2024-11-01').systemKeys.blobs_extension

resource subscription 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2025-02-15' = {
  parent: topic
  name: '${toLower(functionName)}-${containerName}'
  properties: {
    destination: {
      endpointType: 'WebHook'
      properties: {
        endpointUrl: 'https://${site.properties.defaultHostName}/runtime/webhooks/blobs?functionName=Host.Functions.${functionName}&code=${blobsExtensionKey}'
        maxEventsPerBatch: 1
        preferredBatchSizeInKilobytes: 64
      }
    }
    eventDeliverySchema: 'EventGridSchema'
    filter: {
      includedEventTypes: [
        'Microsoft.Storage.BlobCreated'
      ]
      subjectBeginsWith: '/blobServices/default/containers/${containerName}/blobs/'
    }
    retryPolicy: {
      maxDeliveryAttempts: 30
      eventTimeToLiveInMinutes: 1440
    }
  }
}
