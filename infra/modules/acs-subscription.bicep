// Event Grid subscription on the ACS system topic (eventgrid.bicep): SMS and e-mail delivery reports and inbound
// SMS (STOP replies withdraw SMS consent) -> POST /api/events/acs of the function app. Deployed only with
// deployEventSubscriptions=true, after the code is deployed: Event Grid validates the endpoint (the app answers
// the SubscriptionValidationEvent) when the subscription is created.
// Authentication: every delivery carries the header X-PushGov-EventGrid-Secret with the secret the app reads as
// PushGov__EventGrid__Secret (both from the same Key Vault secret); the app refuses any request without it.
// A static delivery header marked secret is used rather than a query string (URLs end up in logs) and rather
// than Microsoft Entra ID delivery (it needs an app registration the template cannot create): docs/deploy.md.

@description('ACS Event Grid system topic name.')
param systemTopicName string

@description('Function app whose /api/events/acs receives the events.')
param functionAppName string

@description('Name of the delivery header carrying the secret (the app checks it).')
param deliveryHeaderName string

@description('The webhook secret (from Key Vault, the value the app reads as PushGov__EventGrid__Secret).')
@secure()
param secret string

resource topic 'Microsoft.EventGrid/systemTopics@2025-02-15' existing = {
  name: systemTopicName
}

resource site 'Microsoft.Web/sites@2024-11-01' existing = {
  name: functionAppName
}

resource subscription 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2025-02-15' = {
  parent: topic
  name: 'acs-reports-api'
  properties: {
    destination: {
      endpointType: 'WebHook'
      properties: {
        endpointUrl: 'https://${site.properties.defaultHostName}/api/events/acs'
        maxEventsPerBatch: 1
        preferredBatchSizeInKilobytes: 64
        deliveryAttributeMappings: [
          {
            name: deliveryHeaderName
            type: 'Static'
            properties: {
              value: secret
              isSecret: true
            }
          }
        ]
      }
    }
    eventDeliverySchema: 'EventGridSchema'
    filter: {
      includedEventTypes: [
        'Microsoft.Communication.SMSDeliveryReportReceived'
        'Microsoft.Communication.SMSReceived'
        'Microsoft.Communication.EmailDeliveryReportReceived'
      ]
    }
    // The app answers 503 to a report of a message it has not recorded yet: Event Grid delivers it again.
    retryPolicy: {
      maxDeliveryAttempts: 30
      eventTimeToLiveInMinutes: 1440
    }
  }
}
