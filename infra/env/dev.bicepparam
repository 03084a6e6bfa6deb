// Development: small, public endpoints, scale to zero. Secrets come from the environment of the shell that
// runs `az deployment group create` and are written to Key Vault only when set (docs/deploy.md).
using '../main.bicep'

param environmentName = 'dev'
param owner = readEnvironmentVariable('PUSHGOV_OWNER', 'pushgov-dev-team')
param costCentre = readEnvironmentVariable('PUSHGOV_COST_CENTRE', 'dev-0000')

param instanceMemoryMB = 2048
param maximumInstanceCount = 40
param alwaysReady = []

param storageSku = 'Standard_LRS'
param blobSoftDeleteDays = 7
param logRetentionDays = 30
param enablePurgeProtection = false
param enablePrivateNetworking = false
param portalSku = 'B1'

param acsDataLocation = 'Japan'
param acsUseManagedIdentity = true
param senderDisplayName = 'PushGov (dev)'

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
param operatorPrincipalType = 'User'
