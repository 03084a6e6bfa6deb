// Key Vault (Azure RBAC, no access policies) holding the app's secrets. The function app reads them
// through Key Vault references in its app settings, resolved with the user-assigned identity.
// Secrets given as parameters are written only when a value is given, so a later deployment without
// them leaves the stored values alone (rotate with `az keyvault secret set`, see docs/deploy.md).

@description('Azure region.')
param location string

@description('Tags for every resource.')
param tags { *: string }

@description('Key Vault name (3-24 characters).')
@minLength(3)
@maxLength(24)
param name string

@description('When true, the vault refuses public network access and is reached through a private endpoint.')
param privateOnly bool

@description('Purge protection: on in production (a deleted vault or secret cannot be purged before the retention ends).')
param enablePurgeProtection bool

@description('Azure Communication Services resource whose primary key is copied into the vault.')
param communicationServiceName string

@description('HMAC secret shared with the domestic SMS provider. Empty: keep what the vault holds.')
@secure()
param domesticSmsSecret string

@description('Pepper mixed into API key hashes. Empty: keep what the vault holds. Changing it invalidates every API key.')
@secure()
param apiKeyPepper string

// Secret names, also used to build the Key Vault references in function-app.bicep.
var secretNames = {
  acsAccessKey: 'acs-access-key'
  domesticSmsSecret: 'domestic-sms-secret'
  apiKeyPepper: 'api-key-pepper'
}

resource vault 'Microsoft.KeyVault/vaults@2024-11-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: enablePurgeProtection ? true : null
    publicNetworkAccess: privateOnly ? 'Disabled' : 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: privateOnly ? 'Deny' : 'Allow'
    }
  }
}

resource communicationService 'Microsoft.Communication/communicationServices@2023-04-01' existing = {
  name: communicationServiceName
}

resource acsAccessKey 'Microsoft.KeyVault/vaults/secrets@2024-11-01' = {
  parent: vault
  name: secretNames.acsAccessKey
  properties: {
    value: communicationService.listKeys().primaryKey
    contentType: 'Azure Communication Services access key (HMAC-SHA256 request signing)'
  }
}

resource domesticSms 'Microsoft.KeyVault/vaults/secrets@2024-11-01' = if (!empty(domesticSmsSecret)) {
  parent: vault
  name: secretNames.domesticSmsSecret
  properties: {
    value: domesticSmsSecret
    contentType: 'HMAC-SHA256 secret for the domestic SMS provider (X-Signature)'
  }
}

resource pepper 'Microsoft.KeyVault/vaults/secrets@2024-11-01' = if (!empty(apiKeyPepper)) {
  parent: vault
  name: secretNames.apiKeyPepper
  properties: {
    value: apiKeyPepper
    contentType: 'Pepper for API key hashes'
  }
}

output name string = vault.name
output id string = vault.id
output uri string = vault.properties.vaultUri
output secretNames { acsAccessKey: string, domesticSmsSecret: string, apiKeyPepper: string } = secretNames
output acsAccessKeySecretName string = acsAccessKey.name
