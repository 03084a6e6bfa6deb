// Production: zone-redundant storage, purge protection, private networking, one always-ready instance for
// the portals' HTTP API. Secrets come from the environment of the deploying shell (docs/deploy.md).
using '../main.bicep'

param environmentName = 'prod'
param owner = readEnvironmentVariable('PUSHGOV_OWNER')
param costCentre = readEnvironmentVariable('PUSHGOV_COST_CENTRE')

param instanceMemoryMB = 2048
param maximumInstanceCount = 100
param alwaysReady = [
  {
    name: 'http'
    instanceCount: 1
  }
]

param storageSku = 'Standard_ZRS'
param blobSoftDeleteDays = 30
param logRetentionDays = 90
param enablePurgeProtection = true

param enablePrivateNetworking = true
param vnetAddressPrefix = readEnvironmentVariable('PUSHGOV_VNET_PREFIX', '10.60.0.0/16')
param appSubnetPrefix = readEnvironmentVariable('PUSHGOV_APP_SUBNET_PREFIX', '10.60.1.0/24')
param privateEndpointSubnetPrefix = readEnvironmentVariable('PUSHGOV_PE_SUBNET_PREFIX', '10.60.2.0/24')
param portalSubnetPrefix = readEnvironmentVariable('PUSHGOV_PORTAL_SUBNET_PREFIX', '10.60.3.0/24')
param portalSku = 'P0v3'

param acsDataLocation = 'Japan'
param acsUseManagedIdentity = true
param customEmailDomain = readEnvironmentVariable('PUSHGOV_EMAIL_DOMAIN', '')
param customEmailDomainVerified = bool(readEnvironmentVariable('PUSHGOV_EMAIL_DOMAIN_VERIFIED', 'false'))
param senderDisplayName = readEnvironmentVariable('PUSHGOV_SENDER_DISPLAY_NAME', 'PushGov')

param domesticSmsEndpoint = readEnvironmentVariable('PUSHGOV_DOMESTIC_SMS_ENDPOINT', '')
param domesticSmsSecret = readEnvironmentVariable('PUSHGOV_DOMESTIC_SMS_SECRET', '')
param apiKeyPepper = readEnvironmentVariable('PUSHGOV_API_KEY_PEPPER', '')
param residentLinkKey = readEnvironmentVariable('PUSHGOV_RESIDENT_LINK_KEY', '')

param deployEventSubscriptions = bool(readEnvironmentVariable('PUSHGOV_DEPLOY_EVENT_SUBSCRIPTIONS', 'false'))
param writeEventGridSecret = bool(readEnvironmentVariable('PUSHGOV_WRITE_EVENTGRID_SECRET', 'false'))
param taskHubName = 'pushgov${environmentName}'

// Comma-separated local government codes, e.g. PUSHGOV_LINE_TENANTS=401307,131016.
param lineTenants = filter(split(readEnvironmentVariable('PUSHGOV_LINE_TENANTS', ''), ','), code => !empty(code))

// Entra ID: the API's app registration (tokens for the API) and the portal's (staff sign-in), docs/deploy.md.
// The portal is deployed when both are set; it serves the tenant PUSHGOV_PORTAL_TENANT.
param apiEntraAudience = readEnvironmentVariable('PUSHGOV_API_AUDIENCE', '')
param portalEntraClientId = readEnvironmentVariable('PUSHGOV_PORTAL_CLIENT_ID', '')
param portalTenantCode = readEnvironmentVariable('PUSHGOV_PORTAL_TENANT', '')
param operatorPrincipalId = readEnvironmentVariable('PUSHGOV_OPERATOR_OBJECT_ID', '')
param operatorPrincipalType = 'Group'
