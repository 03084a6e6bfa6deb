using PushGov.Domain.Cases;
using PushGov.Domain.Detection;
using PushGov.Domain.Eligibility;
using PushGov.Domain.Messaging;
using PushGov.Domain.Messaging.Statuses;
using PushGov.Domain.Residents;

namespace PushGov.Domain.Tests.Cases;

public sealed class TakeUpTests
{
    private static readonly DateOnly Day = new(2026, 11, 10);

    // Five birth cases with known outcomes (event on 11-10 unless said):
    //   c1 e-mail delivered, link opened, applied on 11-12 (2 days)       jidou-teate + kokuho-shikaku
    //   c2 SMS delivered, link opened, applied on 11-16 (6 days)          jidou-teate
    //   c3 SMS failed, then a letter delivered, staff took it over       jidou-teate
    //   c4 e-mail in en delivered, never opened, applied at the counter   jidou-teate; event 11-01, applied 11-21 (20 days)
    //   c5 nothing to offer (no match): not eligible for anything
    private static readonly CaseData[] Cases =
    [
        Case("c1", ["jidou-teate", "kokuho-shikaku"], CaseOutcome.Applied, At(2026, 11, 12, 23)),
        Case("c2", ["jidou-teate"], CaseOutcome.Applied, At(2026, 11, 16, 9)),
        Case("c3", ["jidou-teate"], CaseOutcome.None, At(2026, 11, 20, 9)) with { State = CaseState.Escalated, AssignedTo = "staff:k1" },
        Case("c4", ["jidou-teate"], CaseOutcome.Applied, At(2026, 11, 21, 10)) with { Event = Event("c4", new DateOnly(2026, 11, 1)) },
        Case("c5", [], CaseOutcome.NothingToOffer, At(2026, 11, 10, 9)),
    ];

    private static readonly MessageRecord[] Messages =
    [
        Message("c1", Channel.Email, "ja", NotificationStatus.Delivered, "jidou-teate", "kokuho-shikaku"),
        Message("c2", Channel.Sms, "ja", NotificationStatus.Delivered, "jidou-teate"),
        Message("c3", Channel.Sms, "ja", NotificationStatus.PermanentFailure, "jidou-teate"),
        Message("c3", Channel.Post, "ja", NotificationStatus.Delivered, "jidou-teate"),
        Message("c4", Channel.Email, "en", NotificationStatus.Delivered, "jidou-teate"),
    ];

    private static readonly HashSet<string> Opened = ["c1", "c2", "c2-reloaded-elsewhere"];

    [Fact]
    public void The_funnel_counts_each_case_once_per_row_with_the_median_days_from_event_to_application()
    {
        var report = TakeUp.Compute(Day, Day, Cases, Messages, Opened);

        Assert.Equal(
            [
                new TakeUpRow("total", "all", 4, 4, 2, 3, 1, 6),
                new TakeUpRow("service", "jidou-teate", 4, 4, 2, 3, 1, 6),
                new TakeUpRow("service", "kokuho-shikaku", 1, 1, 1, 1, 0, 2),
                new TakeUpRow("channel", "email", 2, 2, 1, 2, 0, 11),
                new TakeUpRow("channel", "post", 1, 1, 0, 0, 1, null),
                new TakeUpRow("channel", "sms", 2, 1, 1, 1, 1, 6),
                new TakeUpRow("language", "en", 1, 1, 0, 1, 0, 20),
                new TakeUpRow("language", "ja", 3, 3, 2, 2, 1, 4),
            ],
            report.Rows);
        Assert.Equal((Day, Day), (report.From, report.To));
    }

    [Fact]
    public void A_message_that_is_not_about_a_service_does_not_notify_it()
    {
        var messages = new[] { Message("c1", Channel.Email, "ja", NotificationStatus.Delivered, "jidou-teate") };

        var report = TakeUp.Compute(Day, Day, [Cases[0]], messages, new HashSet<string>());

        Assert.Equal(new TakeUpRow("service", "kokuho-shikaku", 1, 0, 0, 1, 0, 2), Assert.Single(report.Rows, r => r.Key == "kokuho-shikaku"));
    }

    [Fact]
    public void No_cases_give_an_empty_total_and_no_median()
    {
        var report = TakeUp.Compute(Day, Day, [], [], new HashSet<string>());

        Assert.Equal([new TakeUpRow("total", "all", 0, 0, 0, 0, 0, null)], report.Rows);
    }

    [Theory]
    [InlineData(new int[0], null)]
    [InlineData(new[] { 5 }, 5.0)]
    [InlineData(new[] { 9, 1, 4 }, 4.0)]
    [InlineData(new[] { 20, 2, 6, 3 }, 4.5)]
    public void The_median_is_the_middle_value_or_the_mean_of_the_middle_two(int[] values, double? median) =>
        Assert.Equal(median, TakeUp.Median(values));

    // The day a case closed is its Tokyo day: 2026-11-12 23:00 JST is still the 12th.
    private static DateTimeOffset At(int y, int m, int d, int hourJst) => new(y, m, d, hourJst, 0, 0, TimeSpan.FromHours(9));

    private static LifeEvent Event(string id, DateOnly date) =>
        new() { Kind = LifeEventKind.BIRTH, Tenant = "401307", EventId = id, ResidentId = "3", HouseholdId = "H1", EventDate = date, Source = new EventSource("resident-changes", 2) };

    private static CaseData Case(string id, string[] services, CaseOutcome outcome, DateTimeOffset updatedAt) => new()
    {
        Tenant = "401307",
        CaseId = id,
        Event = Event(id, Day),
        CreatedAt = new DateTimeOffset(2026, 11, 10, 9, 0, 0, TimeSpan.FromHours(9)),
        UpdatedAt = updatedAt.ToUniversalTime(),
        State = outcome == CaseOutcome.None ? CaseState.Notified : CaseState.Closed,
        Outcome = outcome,
        Matches = [.. services.Select(s => new ServiceMatch { EventId = id, ServiceId = s, RecipientIds = ["1"] })],
    };

    private static MessageRecord Message(string caseId, Channel channel, string language, NotificationStatus status, params string[] services) => new()
    {
        Tenant = "401307",
        MessageId = $"{caseId}-{channel}",
        CaseId = caseId,
        ResidentId = "1",
        Channel = channel,
        To = "x",
        Language = language,
        ServiceIds = services,
        Purpose = "initial",
        Text = "t",
        TemplateVersion = "v",
        Status = status,
        CreatedAt = new DateTimeOffset(2026, 11, 10, 9, 0, 0, TimeSpan.Zero),
    };
}
