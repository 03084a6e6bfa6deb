// Least-privilege role assignments for the app's identity (and, optionally, the portal's and an operator):
//   storage account : Storage Blob Data Owner (the Functions host's AzureWebJobsStorage needs Owner for the
//                     blob trigger and its receipts; the Durable Functions task hub's lease and large-message
//                     containers), Storage Queue Data Contributor (queue triggers, the blob trigger's poison queue,
//                     the task hub's control and work-item queues), Storage Table Data Contributor (the app's
//                     tables, the task hub's History and Instances tables). These are the three roles Durable
//                     Functions' Azure Storage provider needs with an identity-based connection.
//   Key Vault       : Key Vault Secrets User (read secrets for Key Vault references)
//   App Insights    : Monitoring Metrics Publisher (Entra ID telemetry ingestion; local auth is off)
//   ACS             : a custom role with just the send actions, only when ACS is called with Entra ID
//   portal          : Key Vault Secrets User (its Entra client secret for App Service authentication); nothing on
//                     storage (it reads PushGov only through the HTTP API, with the signed-in user's Entra token)
//   operator        : Storage Blob Data Contributor (upload drops with `az storage blob upload --auth-mode login`),
//                     Storage Table Data Contributor (`pushgov tenant ...` writes the tenants and apikeys tables),
//                     Key Vault Secrets Officer (set and rotate the secrets)

@description('Name of the app\'s user-assigned identity.')
param identityName string

@description('Storage account name.')
param storageAccountName string

@description('Key Vault name.')
param keyVaultName string

@description('Application Insights component name.')
param appInsightsName string

@description('Communication Services resource name.')
param communicationServiceName string

@description('True when the app calls ACS with its managed identity.')
param acsUseManagedIdentity bool

@description('Name of the portal\'s user-assigned identity. Empty: no portal.')
param portalIdentityName string

@description('Object id of a user or group that uploads drops, runs the CLI and rotates secrets. Empty: none.')
param operatorPrincipalId string

@description('Principal type of operatorPrincipalId.')
@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
param operatorPrincipalType string

// Built-in role definition ids (the same in every tenant).
var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  keyVaultSecretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: identityName
}

var principalId = identity.properties.principalId

resource portalIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = if (!empty(portalIdentityName)) {
  name: empty(portalIdentityName) ? 'unused' : portalIdentityName
}

resource storageAccount 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: storageAccountName
}

resource vault 'Microsoft.KeyVault/vaults@2024-11-01' existing = {
  name: keyVaultName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource communicationService 'Microsoft.Communication/communicationServices@2023-04-01' existing = {
  name: communicationServiceName
}

resource storageRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for role in [roles.storageBlobDataOwner, roles.storageQueueDataContributor, roles.storageTableDataContributor]: {
    name: guid(storageAccount.id, identity.id, role)
    scope: storageAccount
    properties: {
      principalId: principalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
    }
  }
]

resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identity.id, roles.keyVaultSecretsUser)
  scope: vault
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
  }
}

resource metricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, identity.id, roles.monitoringMetricsPublisher)
  scope: appInsights
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
  }
}

resource portalSecretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(portalIdentityName)) {
  name: guid(vault.id, portalIdentity.id, roles.keyVaultSecretsUser)
  scope: vault
  properties: {
    principalId: portalIdentity!.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
  }
}

// ACS has no built-in data-plane "sender" role; this custom role carries only what sending SMS and e-mail
// with a Microsoft Entra token needs, instead of Contributor on the resource.
resource acsSenderRole 'Microsoft.Authorization/roleDefinitions@2022-04-01' = if (acsUseManagedIdentity) {
  name: guid(resourceGroup().id, 'pushgov-acs-sender')
  properties: {
    roleName: 'PushGov ACS sender (${resourceGroup().name})'
    description: 'Send SMS and e-mail through Azure Communication Services with Microsoft Entra ID.'
    type: 'CustomRole'
    assignableScopes: [
      resourceGroup().id
    ]
    permissions: [
      {
        actions: [
          'Microsoft.Communication/CommunicationServices/Read'
          'Microsoft.Communication/CommunicationServices/Write'
          'Microsoft.Communication/EmailServices/Write'
        ]
        notActions: []
      }
    ]
  }
}

resource acsSender 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (acsUseManagedIdentity) {
  name: guid(communicationService.id, identity.id, 'pushgov-acs-sender')
  scope: communicationService
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: acsSenderRole.id
  }
}

resource operatorStorage 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for role in [roles.storageBlobDataContributor, roles.storageTableDataContributor]: if (!empty(operatorPrincipalId)) {
    name: guid(storageAccount.id, operatorPrincipalId, role)
    scope: storageAccount
    properties: {
      principalId: operatorPrincipalId
      principalType: operatorPrincipalType
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
    }
  }
]

resource operatorSecrets 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(operatorPrincipalId)) {
  name: guid(vault.id, operatorPrincipalId, roles.keyVaultSecretsOfficer)
  scope: vault
  properties: {
    principalId: operatorPrincipalId
    principalType: operatorPrincipalType
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsOfficer)
  }
}
