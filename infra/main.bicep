// PushGov on Azure: one resource group holding the function app (Flex Consumption, .NET 10 isolated worker with
// Durable Functions on its own storage account), Event Grid for drops and for ACS delivery reports, Azure
// Communication Services (SMS, e-mail), Key Vault, monitoring, the staff portal (App Service behind Microsoft
// Entra ID), user-assigned identities with least-privilege roles, and optional private networking.
// Deploy: docs/deploy.md. Check offline: infra/check.sh.

targetScope = 'resourceGroup'

@description('Environment name, part of every resource name.')
@allowed([
  'dev'
  'test'
  'stg'
  'prod'
])
param environmentName string

@description('Azure region for regional resources (ACS and e-mail are global, with data kept in acsDataLocation).')
param location string = resourceGroup().location

@description('Owner tag: the team or person answerable for this deployment.')
param owner string

@description('Cost centre tag.')
param costCentre string

@description('Memory per instance in MB (512, 2048 or 4096).')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Most instances the app scales out to (40 to 1000).')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Always-ready instances, e.g. [{ name: \'http\', instanceCount: 1 }]. Empty: scale to zero.')
param alwaysReady { name: string, instanceCount: int }[] = []

@description('Storage replication.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
])
param storageSku string = 'Standard_LRS'

@description('Days a deleted blob can be restored.')
@minValue(1)
@maxValue(365)
param blobSoftDeleteDays int = 7

@description('Days Log Analytics keeps logs.')
@minValue(30)
@maxValue(730)
param logRetentionDays int = 30

@description('Key Vault purge protection (recommended in production; cannot be turned off again).')
param enablePurgeProtection bool = false

@description('Private networking: VNet integration for the app, private endpoints for storage and Key Vault, public network access to both turned off.')
param enablePrivateNetworking bool = false

@description('Virtual network address space (private networking only).')
param vnetAddressPrefix string = '10.60.0.0/16'

@description('App integration subnet (private networking only).')
param appSubnetPrefix string = '10.60.1.0/24'

@description('Private endpoint subnet (private networking only).')
param privateEndpointSubnetPrefix string = '10.60.2.0/24'

@description('Where ACS and the e-mail service keep data at rest.')
param acsDataLocation string = 'Japan'

@description('True: the app calls ACS with its managed identity. False: with the access key from Key Vault.')
param acsUseManagedIdentity bool = true

@description('ACS SMS sender (number or alphanumeric id). Empty: SMS only through the domestic provider.')
param acsSmsFrom string = ''

@description('Custom e-mail domain. Empty: the Azure-managed domain only.')
param customEmailDomain string = ''

@description('True once the custom e-mail domain is verified in DNS.')
param customEmailDomainVerified bool = false

@description('Local part of the sender address on the custom domain.')
param customSenderUsername string = 'noreply'

@description('Display name of the e-mail sender.')
param senderDisplayName string = 'PushGov'

@description('Domestic SMS provider endpoint (HTTPS). Empty: not connected.')
param domesticSmsEndpoint string = ''

@description('HMAC secret shared with the domestic SMS provider. Empty: keep the value in Key Vault.')
@secure()
param domesticSmsSecret string = ''

@description('API key pepper. Empty: keep the value in Key Vault. Set it on the first deployment only.')
@secure()
param apiKeyPepper string = ''

@description('Durable Functions task hub name (host.json hubName reads it from PushGov__TaskHub): letters and digits, 3-45 characters, starting with a letter. Changing it starts an empty hub: open cases stay in the old one.')
@minLength(3)
@maxLength(45)
param taskHubName string = 'pushgov${environmentName}'

@description('HMAC key of the residents\' signed case links (at least 32 characters). Empty: keep the value in Key Vault. Set it on the first deployment only.')
@secure()
param residentLinkKey string = ''

@description('Create the Event Grid subscriptions (drops -> IngestDrop, ACS reports -> /api/events/acs). Needs the code deployed first (docs/deploy.md, step 3).')
param deployEventSubscriptions bool = false

@description('Write a new Event Grid webhook secret (eventGridSecret) to Key Vault: on the first deployment, and to rotate it.')
param writeEventGridSecret bool = false

@description('The Event Grid webhook secret written when writeEventGridSecret is true. Leave the default: a new random value each time.')
@secure()
param eventGridSecret string = '${newGuid()}${newGuid()}'

@description('Local government codes of the tenants with a LINE official account connected (their channel secret and access token are set in Key Vault by an operator).')
param lineTenants string[] = []

@description('Microsoft Entra tenant (directory) id of the staff accounts and the API\'s and portal\'s app registrations.')
param entraTenantId string = subscription().tenantId

@description('Application ID URI of the PushGov API\'s app registration (e.g. api://pushgov). Empty: the API takes API keys only, and no portal is deployed.')
param apiEntraAudience string = ''

@description('Application (client) id of the portal\'s Microsoft Entra app registration. Empty: no portal.')
param portalEntraClientId string = ''

@description('The tenant (local government code) the portal serves.')
param portalTenantCode string = ''

@description('App Service plan SKU of the portal.')
@allowed([
  'B1'
  'B2'
  'S1'
  'P0v3'
  'P1v3'
])
param portalSku string = 'B1'

@description('Portal VNet integration subnet (private networking only).')
param portalSubnetPrefix string = '10.60.3.0/24'

@description('Object id of a user or group that uploads drops, runs the CLI and rotates secrets. Empty: none.')
param operatorPrincipalId string = ''

@description('Principal type of operatorPrincipalId.')
@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
param operatorPrincipalType string = 'User'

var suffix = uniqueString(resourceGroup().id)

// The portal signs staff in with Entra ID and calls the API with their token: it needs both app registrations.
var deployPortal = !empty(portalEntraClientId) && !empty(apiEntraAudience)

// The header the ACS subscription carries the webhook secret in (the app checks it on POST /api/events/acs).
var eventGridSecretHeader = 'X-PushGov-EventGrid-Secret'

var tags = {
  environment: environmentName
  system: 'pushgov'
  owner: owner
  costCentre: costCentre
}

var names = {
  identity: 'id-pushgov-${environmentName}-${suffix}'
  workspace: 'log-pushgov-${environmentName}-${suffix}'
  appInsights: 'appi-pushgov-${environmentName}-${suffix}'
  storage: take('stpg${environmentName}${suffix}', 24)
  keyVault: take('kvpg${environmentName}${suffix}', 24)
  communication: 'acs-pushgov-${environmentName}-${suffix}'
  email: 'ecs-pushgov-${environmentName}-${suffix}'
  plan: 'plan-pushgov-${environmentName}-${suffix}'
  functionApp: 'func-pushgov-${environmentName}-${suffix}'
  systemTopic: 'evgt-pushgov-${environmentName}-${suffix}'
  acsTopic: 'evgt-pushgov-acs-${environmentName}-${suffix}'
  vnet: 'vnet-pushgov-${environmentName}-${suffix}'
  portalIdentity: 'id-pushgov-portal-${environmentName}-${suffix}'
  portalPlan: 'plan-pushgov-portal-${environmentName}-${suffix}'
  portal: 'app-pushgov-portal-${environmentName}-${suffix}'
}

// The blob-triggered function (its name in functions.metadata) and its container.
var dropsFunctionName = 'IngestDrop'
var dropsContainerName = 'drops'
var deploymentContainerName = 'app-package'

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: {
    location: location
    tags: tags
    name: names.identity
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    location: location
    tags: tags
    workspaceName: names.workspace
    appInsightsName: names.appInsights
    retentionInDays: logRetentionDays
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    location: location
    tags: tags
    name: names.storage
    skuName: storageSku
    deploymentContainerName: deploymentContainerName
    privateOnly: enablePrivateNetworking
    blobSoftDeleteDays: blobSoftDeleteDays
  }
}

module communication 'modules/communication.bicep' = {
  name: 'communication'
  params: {
    tags: tags
    communicationServiceName: names.communication
    emailServiceName: names.email
    dataLocation: acsDataLocation
    customEmailDomain: customEmailDomain
    customEmailDomainVerified: customEmailDomainVerified
    customSenderUsername: customSenderUsername
    senderDisplayName: senderDisplayName
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  dependsOn: [
    communication
  ]
  params: {
    location: location
    tags: tags
    name: names.keyVault
    privateOnly: enablePrivateNetworking
    enablePurgeProtection: enablePurgeProtection
    communicationServiceName: names.communication
    domesticSmsSecret: domesticSmsSecret
    apiKeyPepper: apiKeyPepper
    residentLinkKey: residentLinkKey
    writeEventGridSecret: writeEventGridSecret
    eventGridSecret: eventGridSecret
  }
}

// Read back by getSecret() for the ACS subscription's delivery header.
resource vault 'Microsoft.KeyVault/vaults@2024-11-01' existing = {
  name: names.keyVault
}

module portalIdentity 'modules/identity.bicep' = if (deployPortal) {
  name: 'portal-identity'
  params: {
    location: location
    tags: tags
    name: names.portalIdentity
  }
}

module network 'modules/network.bicep' = if (enablePrivateNetworking) {
  name: 'network'
  dependsOn: [
    storage
    keyVault
  ]
  params: {
    location: location
    tags: tags
    vnetName: names.vnet
    addressPrefix: vnetAddressPrefix
    appSubnetPrefix: appSubnetPrefix
    privateEndpointSubnetPrefix: privateEndpointSubnetPrefix
    portalSubnetPrefix: portalSubnetPrefix
    storageAccountName: names.storage
    keyVaultName: names.keyVault
  }
}

module roles 'modules/roles.bicep' = {
  name: 'roles'
  dependsOn: [
    identity
    portalIdentity
    storage
    keyVault
    monitoring
    communication
  ]
  params: {
    identityName: names.identity
    portalIdentityName: deployPortal ? names.portalIdentity : ''
    storageAccountName: names.storage
    keyVaultName: names.keyVault
    appInsightsName: names.appInsights
    communicationServiceName: names.communication
    acsUseManagedIdentity: acsUseManagedIdentity
    operatorPrincipalId: operatorPrincipalId
    operatorPrincipalType: operatorPrincipalType
  }
}

module functionApp 'modules/function-app.bicep' = {
  name: 'function-app'
  // The app reads storage and Key Vault with its identity from the first start: roles first.
  dependsOn: [
    roles
  ]
  params: {
    location: location
    tags: tags
    planName: names.plan
    name: names.functionApp
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    alwaysReady: alwaysReady
    subnetId: enablePrivateNetworking ? network!.outputs.appSubnetId : ''
    storageAccountName: storage.outputs.name
    appInsightsConnectionString: monitoring.outputs.connectionString
    keyVaultUri: keyVault.outputs.uri
    secretNames: keyVault.outputs.secretNames
    acsEndpoint: communication.outputs.endpoint
    acsUseManagedIdentity: acsUseManagedIdentity
    acsSmsFrom: acsSmsFrom
    acsEmailSender: communication.outputs.emailSender
    domesticSmsEndpoint: domesticSmsEndpoint
    taskHubName: taskHubName
    lineTenants: lineTenants
    entraAuthority: empty(apiEntraAudience) ? '' : '${environment().authentication.loginEndpoint}${entraTenantId}/v2.0'
    entraAudience: apiEntraAudience
  }
}

module eventGrid 'modules/eventgrid.bicep' = {
  name: 'eventgrid'
  dependsOn: [
    storage
    communication
  ]
  params: {
    location: location
    tags: tags
    name: names.systemTopic
    storageAccountName: names.storage
    acsTopicName: names.acsTopic
    communicationServiceName: names.communication
  }
}

module dropsSubscription 'modules/drops-subscription.bicep' = if (deployEventSubscriptions) {
  name: 'drops-subscription'
  dependsOn: [
    eventGrid
    functionApp
  ]
  params: {
    systemTopicName: names.systemTopic
    functionAppName: names.functionApp
    functionName: dropsFunctionName
    containerName: dropsContainerName
  }
}

module acsSubscription 'modules/acs-subscription.bicep' = if (deployEventSubscriptions) {
  name: 'acs-subscription'
  dependsOn: [
    eventGrid
    functionApp
  ]
  params: {
    systemTopicName: names.acsTopic
    functionAppName: names.functionApp
    deliveryHeaderName: eventGridSecretHeader
    secret: vault.getSecret(keyVault.outputs.secretNames.eventGridSecret)
  }
}

module portal 'modules/portal.bicep' = if (deployPortal) {
  name: 'portal'
  // The portal resolves its Key Vault references with its identity from the first start: roles first.
  dependsOn: [
    roles
  ]
  params: {
    location: location
    tags: tags
    planName: names.portalPlan
    name: names.portal
    skuName: portalSku
    identityId: portalIdentity!.outputs.id
    subnetId: enablePrivateNetworking ? network!.outputs.portalSubnetId : ''
    keyVaultUri: keyVault.outputs.uri
    authClientSecretName: keyVault.outputs.secretNames.portalAuthClientSecret
    apiBaseUrl: 'https://${functionApp.outputs.defaultHostName}'
    apiAudience: apiEntraAudience
    entraTenantId: entraTenantId
    entraClientId: portalEntraClientId
    tenantCode: portalTenantCode
  }
}

output functionAppName string = functionApp.outputs.name
output functionAppHostName string = functionApp.outputs.defaultHostName
output storageAccountName string = storage.outputs.name
output keyVaultName string = keyVault.outputs.name
output communicationServiceName string = communication.outputs.name
output acsEndpoint string = communication.outputs.endpoint
output emailSender string = communication.outputs.emailSender
output identityClientId string = identity.outputs.clientId
output systemTopicName string = eventGrid.outputs.name
output acsSystemTopicName string = eventGrid.outputs.acsTopicName
output eventSubscriptionsDeployed bool = deployEventSubscriptions
output taskHubName string = taskHubName
output portalName string = deployPortal ? portal!.outputs.name : ''
output portalHostName string = deployPortal ? portal!.outputs.defaultHostName : ''
