// Log Analytics workspace and a workspace-based Application Insights component.
// Local (key-based) ingestion is turned off: the function app writes telemetry with its managed identity
// (APPLICATIONINSIGHTS_AUTHENTICATION_STRING + the Monitoring Metrics Publisher role, see roles.bicep).

@description('Azure region.')
param location string

@description('Tags for every resource.')
param tags { *: string }

@description('Log Analytics workspace name.')
param workspaceName string

@description('Application Insights component name.')
param appInsightsName string

@description('Days to keep logs. Personal data never reaches the logs in clear (the app masks it), but keep this short anyway.')
@minValue(30)
@maxValue(730)
param retentionInDays int

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: workspaceName
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: retentionInDays
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: appInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    DisableLocalAuth: true
  }
}

output appInsightsName string = appInsights.name
output connectionString string = appInsights.properties.ConnectionString
