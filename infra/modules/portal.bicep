// The staff portal (functions/PushGov.Portal, ASP.NET Core): App Service on Linux (.NET 10) with its own
// user-assigned identity (it only reads its Entra client secret from Key Vault; the function app's identity, which
// owns the storage data, is not shared with it). App Service authentication (Easy Auth, authsettingsV2) puts
// Microsoft Entra ID in front of every page: a request without a signed-in user is redirected to the sign-in page.
// Easy Auth asks for an access token to the PushGov API (scope <apiAudience>/user_impersonation) and passes it to
// the portal (X-MS-TOKEN-AAD-ACCESS-TOKEN), which calls the function app's HTTP API with it like any municipal
// portal; the API checks the token's role and tenant claim and audits entra:{oid}. One portal serves one tenant.
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

@description('Subnet for outbound VNet integration. Empty: none.')
param subnetId string

@description('Key Vault URI (https://<name>.vault.azure.net/).')
param keyVaultUri string

@description('Name of the Key Vault secret holding the Entra ID app registration\'s client secret.')
param authClientSecretName string

@description('URL of the function app whose HTTP API the portal calls (https://<host>; the portal adds /api/...).')
param apiBaseUrl string

@description('Application ID URI of the PushGov API\'s app registration (e.g. api://pushgov): Easy Auth asks for a token to its user_impersonation scope.')
param apiAudience string

@description('Microsoft Entra tenant (directory) id where staff accounts and the portal\'s app registration live.')
param entraTenantId string

@description('Application (client) id of the portal\'s app registration.')
param entraClientId string

@description('The tenant (local government code, 6 digits) this portal serves.')
@minLength(6)
@maxLength(6)
param tenantCode string

func kvRef(vaultUri string, secretName string) string => '@Microsoft.KeyVault(SecretUri=${vaultUri}secrets/${secretName}/)'

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
  properties: {
    MICROSOFT_PROVIDER_AUTHENTICATION_SECRET: kvRef(keyVaultUri, authClientSecretName)
    WEBSITE_RUN_FROM_PACKAGE: '1'
    PushGov__Portal__ApiBaseUrl: apiBaseUrl
    PushGov__Portal__EasyAuth__Enabled: 'true'
    PushGov__Portal__EasyAuth__Tenant: tenantCode
    // The residents' side: the tenant's ResidentPortal key, which the portal calls the API with when a resident opens
    // their signed link (secret resident-portal-key-<tenant>, set by an operator from ./pushgov tenant rotate-key).
    'PushGov__Portal__ResidentKeys__${tenantCode}': kvRef(keyVaultUri, 'resident-portal-key-${tenantCode}')
  }
}

// Easy Auth: every staff request needs a Microsoft Entra sign-in (residents' pages excluded); the token store keeps
// the user's API access token.
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
      // Residents have no staff account: their pages (/r/{tenant}/{caseId}/{token} and …/preferences) are opened by
      // the signed link itself, which the API checks; the stylesheet they load is excluded with them.
      excludedPaths: [
        '/r/*'
        '/css/*'
      ]
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
        login: {
          // An access token for the API (offline_access: Easy Auth can refresh it) besides the sign-in itself.
          loginParameters: [
            'scope=openid profile offline_access ${apiAudience}/user_impersonation'
          ]
        }
        validation: {
          allowedAudiences: [
            entraClientId
          ]
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
