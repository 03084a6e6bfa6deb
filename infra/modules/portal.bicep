// The staff portal (functions/PushGov.Portal, ASP.NET Core): App Service on Linux (.NET 10) with its own
// user-assigned identity (it only reads its secrets from Key Vault; the function app's identity, which owns the
// storage data, is not shared with it). App Service authentication (Easy Auth, authsettingsV2) puts Microsoft
// Entra ID in front of every page: a request without a signed-in user is redirected to the sign-in page, and
// only members of the staff groups of the tenants listed in portalTenants get through. The portal calls the
// function app's HTTP API like any municipal portal, with the staff key of the tenant whose group the user is in.
// Every app setting is listed in infra/portal-settings.json (a test checks the two agree).

@description('Azure region.')
param location string

@description('Tags for every resource.')
param tags { *: string }

@description('App Service plan name.')
param planName string

@description('Web app name (also the host name: <name>.azurewebsites.net).')
param name string

@description('App Service plan SKU (B1 or higher: VNet integration and always on need it).')
param skuName string

@description('Resource id of the portal\'s user-assigned identity.')
param identityId string

@description('Client id of that identity.')
param identityClientId string

@description('Subnet for outbound VNet integration. Empty: none.')
param subnetId string

@description('Application Insights connection string.')
param appInsightsConnectionString string

@description('Key Vault URI (https://<name>.vault.azure.net/).')
param keyVaultUri string

@description('Name of the Key Vault secret holding the Entra ID app registration\'s client secret.')
param authClientSecretName string

@description('Base URL of the PushGov HTTP API the portal calls (https://<function app>/api/).')
param apiBaseUrl string

@description('Microsoft Entra tenant (directory) id where staff accounts and the portal\'s app registration live.')
param entraTenantId string

@description('Application (client) id of the portal\'s app registration.')
param entraClientId string

@description('Tenants (local government codes) served by this portal and the Entra ID group whose members are that tenant\'s staff.')
param portalTenants { code: string, staffGroupId: string }[]

import { portalStaffKeySecretName } from 'keyvault.bicep'

func kvRef(vaultUri string, secretName string) string => '@Microsoft.KeyVault(SecretUri=${vaultUri}secrets/${secretName}/)'

// PushGov__Portal__Tenants__{code}__StaffKey and __StaffGroupId for every tenant the portal serves.
var tenantSettings = toObject(
  flatten(map(portalTenants, t => [
    { name: 'PushGov__Portal__Tenants__${t.code}__StaffKey', value: kvRef(keyVaultUri, portalStaffKeySecretName(t.code)) }
    { name: 'PushGov__Portal__Tenants__${t.code}__StaffGroupId', value: t.staffGroupId }
  ])),
  s => s.name,
  s => s.value
)

resource plan 'Microsoft.Web/serverfarms@2024-11-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'linux'
  sku: {
    name: skuName
  }
  properties: {
    reserved: true
  }
}

resource site 'Microsoft.Web/sites@2024-11-01' = {
  name: name
  location: location
  tags: tags
  kind: 'app,linux'
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
      // With VNet integration, all outbound traffic (Key Vault through its private endpoint) goes through the VNet.
      vnetRouteAllEnabled: !empty(subnetId)
      linuxFxVersion: 'DOTNETCORE|10.0'
      appCommandLine: 'dotnet PushGov.Portal.dll'
      alwaysOn: true
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
    }
  }
}

// Replaces the whole set of app settings on every deployment, like the function app's.
resource appSettings 'Microsoft.Web/sites/config@2024-11-01' = {
  parent: site
  name: 'appsettings'
  properties: union(
    {
      AZURE_CLIENT_ID: identityClientId
      APPLICATIONINSIGHTS_CONNECTION_STRING: appInsightsConnectionString
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
      MICROSOFT_PROVIDER_AUTHENTICATION_SECRET: kvRef(keyVaultUri, authClientSecretName)
      WEBSITE_RUN_FROM_PACKAGE: '1'
      PushGov__Portal__ApiBaseUrl: apiBaseUrl
    },
    tenantSettings
  )
}

// Easy Auth: every request needs a Microsoft Entra sign-in; the app sees the user in X-MS-CLIENT-PRINCIPAL.
resource auth 'Microsoft.Web/sites/config@2024-11-01' = {
  parent: site
  name: 'authsettingsV2'
  properties: {
    platform: {
      enabled: true
    }
    globalValidation: {
      requireAuthentication: true
      unauthenticatedClientAction: 'RedirectToLoginPage'
      redirectToProvider: 'azureactivedirectory'
    }
    httpSettings: {
      requireHttps: true
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          openIdIssuer: '${environment().authentication.loginEndpoint}${entraTenantId}/v2.0'
          clientId: entraClientId
          clientSecretSettingName: 'MICROSOFT_PROVIDER_AUTHENTICATION_SECRET'
        }
        validation: {
          allowedAudiences: [
            'api://${entraClientId}'
            entraClientId
          ]
          // Only staff: members of one of the tenants' staff groups (the app registration emits group claims).
          defaultAuthorizationPolicy: {
            allowedPrincipals: {
              groups: map(portalTenants, t => t.staffGroupId)
            }
          }
        }
      }
    }
    login: {
      tokenStore: {
        enabled: true
      }
    }
  }
}

output name string = site.name
output defaultHostName string = site.properties.defaultHostName
