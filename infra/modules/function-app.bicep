// The function app: Flex Consumption (FC1, Linux) running PushGov.Functions as a .NET isolated-worker app
// (functionAppConfig.runtime dotnet-isolated 10.0) with Durable Functions on the Azure Storage backend in the
// app's own storage account (task hub name: PushGov__TaskHub, read by host.json extensions.durableTask.hubName).
// The deployment package (./pushgov package) lives in a blob container of the app's storage account, read with
// the user-assigned identity.
// On Flex Consumption FUNCTIONS_WORKER_RUNTIME, FUNCTIONS_EXTENSION_VERSION, WEBSITE_RUN_FROM_PACKAGE and
// the WEBSITE_CONTENT* settings are not used (functionAppConfig carries them); the template sets none.
// Every app setting the app reads is listed with its meaning in infra/app-settings.json; the drift test
// checks that this resource sets exactly those names.

@description('Azure region.')
param location string

@description('Tags for every resource.')
param tags { *: string }

@description('Flex Consumption plan name.')
param planName string

@description('Function app name (also the host name: <name>.azurewebsites.net).')
param name string

@description('Resource id of the user-assigned identity the app runs as.')
param identityId string

@description('Client id of that identity.')
param identityClientId string

@description('URL of the blob container holding the deployment package.')
param deploymentContainerUrl string

@description('Memory per instance in MB (Flex Consumption: 512, 2048 or 4096).')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int

@description('Most instances the app scales out to (Flex Consumption: 40 to 1000).')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int

@description('Always-ready instances per trigger group (\'http\', \'blob\') or per function (\'function:<Name>\'). Empty: scale to zero.')
param alwaysReady { name: string, instanceCount: int }[]

@description('Subnet for outbound VNet integration. Empty: none.')
param subnetId string

@description('Storage account used as AzureWebJobsStorage and by the app.')
param storageAccountName string

@description('Application Insights connection string.')
param appInsightsConnectionString string

@description('Key Vault URI (https://<name>.vault.azure.net/).')
param keyVaultUri string

@description('Key Vault secret names.')
param secretNames secretNamesType

@description('Durable Functions task hub name (letters and digits, 3-45 characters, starting with a letter).')
@minLength(3)
@maxLength(45)
param taskHubName string

@description('Microsoft Entra authority of the API\'s tokens (https://login.microsoftonline.com/<tenant>/v2.0). Empty: Entra tokens off, API keys only.')
param entraAuthority string

@description('Application ID URI of the API\'s app registration (e.g. api://pushgov). Empty: Entra tokens off.')
param entraAudience string

@description('Local government codes of the tenants whose LINE official account is connected; each gets its channel access token and channel secret as Key Vault references.')
param lineTenants string[]

@description('Azure Communication Services endpoint.')
param acsEndpoint string

@description('True: call ACS with the managed identity (Microsoft Entra ID). False: sign requests with the access key from Key Vault.')
param acsUseManagedIdentity bool

@description('ACS sender for SMS (an E.164 number or an alphanumeric sender id). Empty: SMS goes through the domestic provider only.')
param acsSmsFrom string

@description('ACS e-mail sender address.')
param acsEmailSender string

@description('Domestic SMS provider endpoint (HTTPS). Empty: not connected.')
param domesticSmsEndpoint string

import { secretNamesType, lineSecretName } from 'keyvault.bicep'

func kvRef(vaultUri string, secretName string) string => '@Microsoft.KeyVault(SecretUri=${vaultUri}secrets/${secretName}/)'

// PushGov__Line__Tenants__{code}__ChannelAccessToken and __ChannelSecret for every connected tenant.
var lineSettings = toObject(
  flatten(map(lineTenants, code => [
    { name: 'PushGov__Line__Tenants__${code}__ChannelAccessToken', value: kvRef(keyVaultUri, lineSecretName(code, 'channel-access-token')) }
    { name: 'PushGov__Line__Tenants__${code}__ChannelSecret', value: kvRef(keyVaultUri, lineSecretName(code, 'channel-secret')) }
  ])),
  s => s.name,
  s => s.value
)

resource plan 'Microsoft.Web/serverfarms@2024-11-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

resource site 'Microsoft.Web/sites@2024-11-01' = {
  name: name
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    virtualNetworkSubnetId: empty(subnetId) ? null : subnetId
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
        alwaysReady: alwaysReady
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }
}

// Replaces the whole set of app settings on every deployment: settings added by hand are removed.
resource appSettings 'Microsoft.Web/sites/config@2024-11-01' = {
  parent: site
  name: 'appsettings'
  properties: union({
    AzureWebJobsStorage__accountName: storageAccountName
    AzureWebJobsStorage__credential: 'managedidentity'
    AzureWebJobsStorage__clientId: identityClientId
    AZURE_CLIENT_ID: identityClientId
    APPLICATIONINSIGHTS_CONNECTION_STRING: appInsightsConnectionString
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
    PushGov__Acs__Endpoint: acsEndpoint
    PushGov__Acs__UseManagedIdentity: acsUseManagedIdentity ? 'true' : 'false'
    PushGov__Acs__AccessKey: kvRef(keyVaultUri, secretNames.acsAccessKey)
    PushGov__Acs__SmsFrom: acsSmsFrom
    PushGov__Acs__EmailSender: acsEmailSender
    PushGov__DomesticSms__Endpoint: domesticSmsEndpoint
    PushGov__DomesticSms__Secret: kvRef(keyVaultUri, secretNames.domesticSmsSecret)
    PushGov__ApiKeyPepper: kvRef(keyVaultUri, secretNames.apiKeyPepper)
    PushGov__ResidentLinks__Key: kvRef(keyVaultUri, secretNames.residentLinkKey)
    PushGov__EventGrid__Secret: kvRef(keyVaultUri, secretNames.eventGridSecret)
    PushGov__PublicBaseUrl: 'https://${site.properties.defaultHostName}'
    PushGov__TaskHub: taskHubName
    PushGov__Entra__Authority: entraAuthority
    PushGov__Entra__Audience: entraAudience
  }, lineSettings)
}

output name string = site.name
output id string = site.id
output defaultHostName string = site.properties.defaultHostName
