using System.Text.Json;
using PushGov.Domain.Messaging.Statuses;
using PushGov.Infrastructure.Notifications.DeliveryReports;

namespace PushGov.Infrastructure.Tests.Notifications.DeliveryReports;

public sealed class EventGridParserTests
{
    // Sample from learn.microsoft.com/azure/event-grid/communication-services-telephony-sms-events (note its "Tag" capital T).
    private const string SmsDeliveryReport = """
        [{
          "id": "Outgoing_202009180022138813a09b-0cbf-4304-9b03-1546683bb910",
          "topic": "/subscriptions/{subscription-id}/resourceGroups/{group-name}/providers/microsoft.communication/communicationservices/{communication-services-resource-name}",
          "subject": "/phonenumber/15555555555",
          "data": {
            "messageId": "Outgoing_202009180022138813a09b-0cbf-4304-9b03-1546683bb910",
            "from": "15555555555",
            "to": "+15555555555",
            "deliveryStatus": "Delivered",
            "deliveryStatusDetails": "No error.",
            "receivedTimestamp": "2020-09-18T00:22:20.2855749Z",
            "deliveryAttempts": [
              {
                "timestamp": "2020-09-18T00:22:14.9315918Z",
                "segmentsSucceeded": 1,
                "segmentsFailed": 0
              }
            ],
            "Tag": "Optional customer-tag set in the original message"
          },
          "eventType": "Microsoft.Communication.SMSDeliveryReportReceived",
          "dataVersion": "1.0",
          "metadataVersion": "1",
          "eventTime": "2020-09-18T00:22:20Z"
        }]
        """;

    // Sample from the same page.
    private const string SmsReceived = """
        [{
          "id": "Incoming_20200918002745d29ebbea-3341-4466-9690-0a03af35228e",
          "topic": "/subscriptions/aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e/resourcegroups/acse2e/providers/microsoft.communication/communicationservices/{communication-services-resource-name}",
          "subject": "/phonenumber/15555555555",
          "data": {
            "messageId": "Incoming_20200918002745d29ebbea-3341-4466-9690-0a03af35228e",
            "from": "15555555555",
            "to": "15555555555",
            "message": "Great to connect with Azure Communication Services events",
            "receivedTimestamp": "2020-09-18T00:27:45.32Z",
            "segmentCount": 1
          },
          "eventType": "Microsoft.Communication.SMSReceived",
          "dataVersion": "1.0",
          "metadataVersion": "1",
          "eventTime": "2020-09-18T00:27:47Z"
        }]
        """;

    // Sample from learn.microsoft.com/azure/event-grid/communication-services-email-events, with its trailing comma
    // after deliveryAttemptTimeStamp kept as published.
    private const string EmailDeliveryReport = """
        [{
          "id": "00000000-0000-0000-0000-000000000000",
          "topic": "/subscriptions/{subscription-id}/resourceGroups/{group-name}/providers/microsoft.communication/communicationservices/{communication-services-resource-name}",
          "subject": "sender/senderid@azure.com/message/00000000-0000-0000-0000-000000000000",
          "data": {
            "sender": "senderid@azure.com",
            "recipient": "receiver@azure.com",
            "messageId": "00000000-0000-0000-0000-000000000000",
            "status": "Bounced",
            "deliveryStatusDetails": {
              "statusMessage": "Status Message"
            },
            "deliveryAttemptTimeStamp": "2020-09-18T00:22:20.2855749+00:00",
          },
          "eventType": "Microsoft.Communication.EmailDeliveryReportReceived",
          "dataVersion": "1.0",
          "metadataVersion": "1",
          "eventTime": "2020-09-18T00:22:20.822Z"
        }]
        """;

    // Shape from learn.microsoft.com/azure/event-grid/webhook-event-delivery (validation handshake).
    private const string Validation = """
        [{
          "id": "2d1781af-3a4c-4d7c-bd0c-e34b19da4e66",
          "topic": "/subscriptions/xx/resourceGroups/xx/providers/Microsoft.Communication/communicationServices/xx",
          "subject": "",
          "data": {
            "validationCode": "512d38b6-c7b8-40c8-89fe-f46f9e9622b6",
            "validationUrl": "https://rp-eastus2.eventgrid.azure.net:553/eventsubscriptions/myeventsub/validate?id=0000000000-0000-0000-0000-00000000000000&t=2022-10-28T04:23:35.1981776Z&apiVersion=2018-05-01-preview&token=1A1A1A1A"
          },
          "eventType": "Microsoft.EventGrid.SubscriptionValidationEvent",
          "eventTime": "2022-10-28T04:23:35.1981776Z",
          "metadataVersion": "1",
          "dataVersion": "1"
        }]
        """;

    [Fact]
    public void Sms_delivery_report_sample_is_read_with_its_attempts_and_status()
    {
        var report = Assert.IsType<SmsDeliveryReport>(Assert.Single(EventGridParser.Parse(SmsDeliveryReport)));

        Assert.Equal("Outgoing_202009180022138813a09b-0cbf-4304-9b03-1546683bb910", report.MessageId);
        Assert.Equal("+15555555555", report.To);
        Assert.Equal("Delivered", report.DeliveryStatus);
        Assert.Equal("No error.", report.DeliveryStatusDetails);
        var attempt = Assert.Single(report.DeliveryAttempts);
        Assert.Equal(1, attempt.SegmentsSucceeded);
        Assert.Equal(new DateTimeOffset(2020, 9, 18, 0, 22, 20, TimeSpan.Zero), report.EventTime);
        Assert.Equal(NotificationStatus.Delivered, report.MessageStatus);
    }

    [Fact]
    public void Sms_delivery_report_prints_no_phone_number()
    {
        var report = EventGridParser.Parse(SmsDeliveryReport).Single();

        Assert.DoesNotContain("5555555555", report.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Email_delivery_report_sample_is_read_with_its_status_message()
    {
        var report = Assert.IsType<EmailDeliveryReport>(Assert.Single(EventGridParser.Parse(EmailDeliveryReport)));

        Assert.Equal("00000000-0000-0000-0000-000000000000", report.MessageId);
        Assert.Equal("receiver@azure.com", report.Recipient);
        Assert.Equal("Bounced", report.Status);
        Assert.Equal("Status Message", report.StatusMessage);
        Assert.Equal(new DateTimeOffset(2020, 9, 18, 0, 22, 20, TimeSpan.Zero).AddTicks(2855749), report.DeliveryAttemptTimestamp);
        Assert.Equal(NotificationStatus.PermanentFailure, report.MessageStatus);
        Assert.DoesNotContain("receiver@azure.com", report.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Inbound_sms_sample_is_read_and_is_not_an_opt_out()
    {
        var sms = Assert.IsType<SmsReceived>(Assert.Single(EventGridParser.Parse(SmsReceived)));

        Assert.Equal("Great to connect with Azure Communication Services events", sms.Message);
        Assert.Equal(new DateTimeOffset(2020, 9, 18, 0, 27, 45, 320, TimeSpan.Zero), sms.ReceivedTimestamp);
        Assert.False(sms.IsOptOut);
    }

    [Theory]
    [InlineData("STOP", true)]
    [InlineData("stop", true)]
    [InlineData(" Stop. ", true)]
    [InlineData("ＳＴＯＰ", true)]
    [InlineData("配信停止", true)]
    [InlineData("配信停止。", true)]
    [InlineData("停止", true)]
    [InlineData("stop sending me the weather", false)]
    [InlineData("申請しました", false)]
    public void Inbound_sms_is_an_opt_out_only_when_the_whole_message_is_a_stop_word(string text, bool optOut)
    {
        var json = SmsReceived.Replace("Great to connect with Azure Communication Services events", text, StringComparison.Ordinal);

        var sms = Assert.IsType<SmsReceived>(EventGridParser.Parse(json).Single());

        Assert.Equal(optOut, sms.IsOptOut);
    }

    [Fact]
    public void Subscription_validation_gives_the_code_and_the_response_body_echoes_it()
    {
        var validation = Assert.IsType<SubscriptionValidation>(Assert.Single(EventGridParser.Parse(Validation)));

        Assert.Equal("512d38b6-c7b8-40c8-89fe-f46f9e9622b6", validation.ValidationCode);
        using var response = JsonDocument.Parse(EventGridParser.ValidationResponse(validation.ValidationCode));
        Assert.Equal("512d38b6-c7b8-40c8-89fe-f46f9e9622b6", response.RootElement.GetProperty("validationResponse").GetString());
    }

    [Fact]
    public void A_batch_of_mixed_events_keeps_their_order_and_unknown_types()
    {
        var batch = "[" + SmsDeliveryReport.Trim()[1..^1] + ",{\"id\":\"x\",\"subject\":\"s\",\"eventType\":\"Microsoft.Communication.EmailEngagementTrackingReportReceived\",\"eventTime\":\"2026-11-24T00:00:00Z\",\"dataVersion\":\"1.0\",\"data\":{}}," + SmsReceived.Trim()[1..^1] + "]";

        var events = EventGridParser.Parse(batch);

        Assert.Collection(
            events,
            e => Assert.IsType<SmsDeliveryReport>(e),
            e => Assert.Equal("Microsoft.Communication.EmailEngagementTrackingReportReceived", Assert.IsType<UnknownEvent>(e).EventType),
            e => Assert.IsType<SmsReceived>(e));
    }

    [Fact]
    public void Reports_without_optional_fields_are_read()
    {
        const string batch = """
            [{"id":"e1","topic":"t","subject":"/phonenumber/+14255550123","eventType":"Microsoft.Communication.SMSDeliveryReportReceived","eventTime":"2099-01-01T00:00:00Z",
              "data":{"messageId":"Outgoing_0001","from":"+18005550100","to":"+14255550123","deliveryStatus":"Delivered","deliveryStatusDetails":"No error.","deliveryAttempts":[],"tag":"m-sms"},"dataVersion":"1.0","metadataVersion":"1"},
             {"id":"e2","topic":"t","subject":"sender/x","eventType":"Microsoft.Communication.EmailDeliveryReportReceived","eventTime":"2099-01-01T00:00:00Z",
              "data":{"sender":"DoNotReply@x","recipient":"taro@example.jp","messageId":"6f0c0f7e-0000-8000-8000-000000000001","status":"Bounced","deliveryStatusDetails":{"statusMessage":"no mailbox"}},"dataVersion":"1.0","metadataVersion":"1"}]
            """;

        var events = EventGridParser.Parse(batch);

        Assert.Equal("Delivered", Assert.IsType<SmsDeliveryReport>(events[0]).DeliveryStatus);
        Assert.Equal("no mailbox", Assert.IsType<EmailDeliveryReport>(events[1]).StatusMessage);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("42")]
    [InlineData("[{\"eventType\":\"Microsoft.Communication.SMSReceived\"}]")]
    [InlineData("[{\"id\":\"1\",\"eventType\":\"Microsoft.Communication.SMSDeliveryReportReceived\",\"data\":{\"to\":\"+1\"}}]")]
    public void Malformed_deliveries_are_refused_with_a_format_exception(string json)
    {
        Assert.Throws<FormatException>(() => EventGridParser.Parse(json));
    }
}
