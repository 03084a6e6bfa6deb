// Event Grid system topics: one on the app's storage account (drops) and one on Azure Communication Services
// (delivery reports and inbound SMS, subscribed in acs-subscription.bicep).
// On the storage account: Flex Consumption runs blob triggers only with the
// Event Grid source, so IngestDrop (blobTrigger on drops/{tenant}/{dataset}/{name}, source EventGrid)
// is called when this topic delivers Microsoft.Storage.BlobCreated for the drops container to the
// Functions host's blob extension webhook. The subscription is in drops-subscription.bicep: it needs
// the host's blobs_extension system key, which exists only once the code is deployed and the host has
// started (docs/deploy.md, step 2 of the deployment).

@description('Azure region.')
param location string

@description('Tags for every resource.')
param tags { *: string }

@description('Storage system topic name.')
param name string

@description('Storage account the topic listens to.')
param storageAccountName string

@description('ACS system topic name.')
param acsTopicName string

@description('Communication Services resource the ACS topic listens to.')
param communicationServiceName string

resource storageAccount 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: storageAccountName
}

resource topic 'Microsoft.EventGrid/systemTopics@2025-02-15' = {
  name: name
  location: location
  tags: tags
  properties: {
    source: storageAccount.id
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

resource communicationService 'Microsoft.Communication/communicationServices@2023-04-01' existing = {
  name: communicationServiceName
}

// ACS is a global resource, so is its system topic.
resource acsTopic 'Microsoft.EventGrid/systemTopics@2025-02-15' = {
  name: acsTopicName
  location: 'global'
  tags: tags
  properties: {
    source: communicationService.id
    topicType: 'Microsoft.Communication.CommunicationServices'
  }
}

output name string = topic.name
output acsTopicName string = acsTopic.name
