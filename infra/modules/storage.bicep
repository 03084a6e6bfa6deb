// The app's storage account: AzureWebJobsStorage for the Functions host, the Durable Functions task hub (its
// control and work-item queues, History and Instances tables and lease containers, which the extension creates
// and names after PushGov__TaskHub), and the app's own containers, queues and tables (functions/PushGov.Infrastructure/Storage/StorageNames.cs is the list; the test
// tests/PushGov.Deployment.Tests checks that these literal lists still match it). The app also creates any that
// are missing at start, so a name added to StorageNames works before the template catches up, but the
// drift test fails until it does.
// Shared-key access is off: the app, the Functions host and operators use Microsoft Entra ID only.

@description('Azure region.')
param location string

@description('Tags for every resource.')
param tags { *: string }

@description('Storage account name (3-24 lowercase letters and digits).')
@minLength(3)
@maxLength(24)
param name string

@description('Replication: ZRS where the region has zones (production), LRS for development.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
])
param skuName string

@description('Container that holds the Flex Consumption deployment package.')
param deploymentContainerName string

@description('When true, the account refuses public network access and is reached through private endpoints.')
param privateOnly bool

@description('Days a deleted blob (a drop, a report, a letter batch) can still be restored.')
@minValue(1)
@maxValue(365)
param blobSoftDeleteDays int

// StorageNames.Containers.All
var containerNames = [
  'drops'
  'drop-reports'
  'letters'
  'azure-webjobs-hosts'
  'pushgov-state'
  'applications'
]

// StorageNames.Queues.All, StorageNames.Queues.Poison(q) for each, and StorageNames.Queues.BlobPoison
var queueNames = [
  'send'
  'send-poison'
  'webjobs-blobtrigger-poison'
]

// StorageNames.Tables.All
var tableNames = [
  'tenants'
  'apikeys'
  'residents'
  'residentindex'
  'birthdays'
  'facts'
  'drops'
  'events'
  'cases'
  'casehistory'
  'messages'
  'devsink'
  'audit'
  'pacing'
  'sendindex'
  'residentlinks'
  'applications'
]

resource account 'Microsoft.Storage/storageAccounts@2024-01-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: skuName
  }
  properties: {
    accessTier: 'Hot'
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: privateOnly ? 'Disabled' : 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: privateOnly ? 'Deny' : 'Allow'
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2024-01-01' = {
  parent: account
  name: 'default'
  properties: {
    deleteRetentionPolicy: {
      enabled: true
      days: blobSoftDeleteDays
    }
    containerDeleteRetentionPolicy: {
      enabled: true
      days: blobSoftDeleteDays
    }
  }
}

resource containers 'Microsoft.Storage/storageAccounts/blobServices/containers@2024-01-01' = [
  for container in containerNames: {
    parent: blobService
    name: container
    properties: {
      publicAccess: 'None'
    }
  }
]

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2024-01-01' = {
  parent: blobService
  name: deploymentContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2024-01-01' = {
  parent: account
  name: 'default'
}

resource queues 'Microsoft.Storage/storageAccounts/queueServices/queues@2024-01-01' = [
  for queue in queueNames: {
    parent: queueService
    name: queue
  }
]

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2024-01-01' = {
  parent: account
  name: 'default'
}

resource tables 'Microsoft.Storage/storageAccounts/tableServices/tables@2024-01-01' = [
  for table in tableNames: {
    parent: tableService
    name: table
  }
]

output name string = account.name
output id string = account.id
output blobEndpoint string = account.properties.primaryEndpoints.blob
output deploymentContainerUrl string = '${account.properties.primaryEndpoints.blob}${deploymentContainer.name}'
