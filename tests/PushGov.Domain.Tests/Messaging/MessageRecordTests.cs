using PushGov.Domain.Cases;
using PushGov.Domain.Messaging;
using PushGov.Domain.Messaging.Statuses;
using PushGov.Domain.Residents;

namespace PushGov.Domain.Tests.Messaging;

public sealed class MessageRecordTests
{
    [Fact]
    public void A_created_message_takes_whom_and_why_from_the_delivery_and_what_from_the_rendering_and_is_not_yet_sent()
    {
        var now = new DateTimeOffset(2026, 11, 22, 1, 0, 0, TimeSpan.Zero);
        var delivery = new Delivery("m-1", "mother", Channel.Line, "U0123", "ja", ["jidou-teate"], Purposes.Reminder, GivenName: "花子");
        var composed = new ComposedMessage("件名", "本文", "<p>本文</p>", "ja-x-easy", "birth-v3", "申請する", "https://example.jp/r/1");

        var m = MessageRecord.Created("401307", "BIRTH-1", delivery, composed, testMode: true, now);

        Assert.Equal(
            ("401307", "m-1", "BIRTH-1", "mother", Channel.Line, "U0123", Purposes.Reminder),
            (m.Tenant, m.MessageId, m.CaseId, m.ResidentId, m.Channel, m.To, m.Purpose));
        Assert.Equal(["jidou-teate"], m.ServiceIds);
        Assert.Equal(
            ("ja-x-easy", "件名", "本文", "<p>本文</p>", "申請する", "https://example.jp/r/1", "birth-v3"),
            (m.Language, m.Subject, m.Text, m.Html, m.ActionLabel, m.ActionUrl, m.TemplateVersion));
        Assert.Equal((NotificationStatus.Created, true, 0, now, now), (m.Status, m.TestMode, m.Attempts, m.CreatedAt, m.UpdatedAt));
        Assert.Null(m.Provider);
        Assert.Null(m.FirstAttemptAt);
    }
}
