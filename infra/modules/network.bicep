// Optional private networking (enablePrivateNetworking): a virtual network with a subnet delegated to the
// Flex Consumption app (outbound VNet integration), one delegated to the portal's App Service plan (so the
// portal resolves its Key Vault references through the vault's private endpoint), and a subnet for private
// endpoints to the storage account (blob, queue, table) and Key Vault, with their private DNS zones linked to
// the network.
// Inbound HTTPS to the app stays public (portals, Event Grid's webhook delivery); see docs/deploy.md.

@description('Azure region.')
param location string

@description('Tags for every resource.')
param tags { *: string }

@description('Virtual network name.')
param vnetName string

@description('Address space of the virtual network; agree it with the municipality network (LGWAN side) to avoid overlaps.')
param addressPrefix string

@description('Subnet for the app\'s VNet integration (delegated to Microsoft.App/environments); /27 or larger.')
param appSubnetPrefix string

@description('Subnet for private endpoints.')
param privateEndpointSubnetPrefix string

@description('Subnet for the portal\'s VNet integration (delegated to Microsoft.Web/serverFarms); /28 or larger.')
param portalSubnetPrefix string

@description('Storage account reached through private endpoints.')
param storageAccountName string

@description('Key Vault reached through a private endpoint.')
param keyVaultName string

resource storageAccount 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: storageAccountName
}

resource vault 'Microsoft.KeyVault/vaults@2024-11-01' existing = {
  name: keyVaultName
}

resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: vnetName
  location: location
  tags: tags
  properties: {
    addressSpace: {
      addressPrefixes: [
        addressPrefix
      ]
    }
    subnets: [
      {
        name: 'snet-app'
        properties: {
          addressPrefix: appSubnetPrefix
          delegations: [
            {
              name: 'flex-consumption'
              properties: {
                serviceName: 'Microsoft.App/environments'
              }
            }
          ]
        }
      }
      {
        name: 'snet-private-endpoints'
        properties: {
          addressPrefix: privateEndpointSubnetPrefix
          privateEndpointNetworkPolicies: 'Disabled'
        }
      }
      {
        name: 'snet-portal'
        properties: {
          addressPrefix: portalSubnetPrefix
          delegations: [
            {
              name: 'app-service'
              properties: {
                serviceName: 'Microsoft.Web/serverFarms'
              }
            }
          ]
        }
      }
    ]
  }
}

// One private endpoint per storage service and one for the vault.
var endpoints = [
  {
    name: 'blob'
    zone: 'privatelink.blob.${environment().suffixes.storage}'
  }
  {
    name: 'queue'
    zone: 'privatelink.queue.${environment().suffixes.storage}'
  }
  {
    name: 'table'
    zone: 'privatelink.table.${environment().suffixes.storage}'
  }
  {
    name: 'vault'
    // Key Vault's private link zone is vaultcore, not vault.
    zone: 'privatelink${replace(environment().suffixes.keyvaultDns, '.vault.', '.vaultcore.')}'
  }
]

resource zones 'Microsoft.Network/privateDnsZones@2024-06-01' = [
  for endpoint in endpoints: {
    name: endpoint.zone
    location: 'global'
    tags: tags
  }
]

resource zoneLinks 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2024-06-01' = [
  for (endpoint, i) in endpoints: {
    parent: zones[i]
    name: '${vnetName}-link'
    location: 'global'
    tags: tags
    properties: {
      registrationEnabled: false
      virtualNetwork: {
        id: vnet.id
      }
    }
  }
]

resource privateEndpoints 'Microsoft.Network/privateEndpoints@2024-05-01' = [
  for endpoint in endpoints: {
    name: 'pe-${endpoint.name}-${endpoint.name == 'vault' ? keyVaultName : storageAccountName}'
    location: location
    tags: tags
    properties: {
      subnet: {
        id: vnet.properties.subnets[1].id
      }
      privateLinkServiceConnections: [
        {
          name: endpoint.name
          properties: {
            privateLinkServiceId: endpoint.name == 'vault' ? vault.id : storageAccount.id
            groupIds: [
              endpoint.name
            ]
          }
        }
      ]
    }
  }
]

resource dnsGroups 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2024-05-01' = [
  for (endpoint, i) in endpoints: {
    parent: privateEndpoints[i]
    name: 'default'
    properties: {
      privateDnsZoneConfigs: [
        {
          name: endpoint.name
          properties: {
            privateDnsZoneId: zones[i].id
          }
        }
      ]
    }
  }
]

output appSubnetId string = vnet.properties.subnets[0].id
output portalSubnetId string = vnet.properties.subnets[2].id
