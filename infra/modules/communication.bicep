// Azure Communication Services with an Email Communication Service and its sending domain.
// By default the Azure-managed domain (xxxx.azurecomm.net, sender DoNotReply@...) is created and linked.
// A custom domain (e.g. mail.city.example.lg.jp) is created when customEmailDomain is set; it can be linked
// only after its DNS records (SPF, DKIM, DKIM2, domain TXT) are in place and verified, so it is linked
// when customEmailDomainVerified is true (docs/deploy.md, "A custom e-mail domain").

@description('Tags for every resource.')
param tags { *: string }

@description('Communication Services resource name.')
param communicationServiceName string

@description('Email Communication Service resource name.')
param emailServiceName string

@description('Where ACS keeps data at rest (e.g. Japan).')
param dataLocation string

@description('Custom e-mail domain, e.g. mail.city.example.lg.jp. Empty: use only the Azure-managed domain.')
param customEmailDomain string

@description('True once the custom domain has been verified in DNS: link it to ACS and send from it.')
param customEmailDomainVerified bool

@description('Local part of the sender address on the custom domain.')
param customSenderUsername string

@description('Display name of the sender (the municipality or the service), shown to residents.')
param senderDisplayName string

var useCustomDomain = !empty(customEmailDomain) && customEmailDomainVerified

resource emailService 'Microsoft.Communication/emailServices@2023-04-01' = {
  name: emailServiceName
  location: 'global'
  tags: tags
  properties: {
    dataLocation: dataLocation
  }
}

resource managedDomain 'Microsoft.Communication/emailServices/domains@2023-04-01' = {
  parent: emailService
  name: 'AzureManagedDomain'
  location: 'global'
  tags: tags
  properties: {
    domainManagement: 'AzureManaged'
    userEngagementTracking: 'Disabled'
  }
}

resource customDomain 'Microsoft.Communication/emailServices/domains@2023-04-01' = if (!empty(customEmailDomain)) {
  parent: emailService
  name: empty(customEmailDomain) ? 'unused' : customEmailDomain
  location: 'global'
  tags: tags
  properties: {
    domainManagement: 'CustomerManaged'
    userEngagementTracking: 'Disabled'
  }
}

resource customSender 'Microsoft.Communication/emailServices/domains/senderUsernames@2023-04-01' = if (!empty(customEmailDomain)) {
  parent: customDomain
  name: customSenderUsername
  properties: {
    username: customSenderUsername
    displayName: senderDisplayName
  }
}

resource communicationService 'Microsoft.Communication/communicationServices@2023-04-01' = {
  name: communicationServiceName
  location: 'global'
  tags: tags
  properties: {
    dataLocation: dataLocation
    linkedDomains: useCustomDomain ? [managedDomain.id, customDomain.id] : [managedDomain.id]
  }
}

output name string = communicationService.name
output id string = communicationService.id
output endpoint string = 'https://${communicationService.properties.hostName}'
// A custom domain sends from itself; the Azure-managed one from its generated xxxx.azurecomm.net name.
output emailSender string = useCustomDomain
  ? '${customSenderUsername}@${customEmailDomain}'
  : 'DoNotReply@${managedDomain.properties.fromSenderDomain}'
