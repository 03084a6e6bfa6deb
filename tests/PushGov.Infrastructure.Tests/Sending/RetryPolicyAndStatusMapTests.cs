using PushGov.Domain.Messaging;
using PushGov.Domain.Messaging.Statuses;

namespace PushGov.Infrastructure.Tests.Sending;

public sealed class RetryPolicyTests
{
    private static readonly RetryPolicy Policy = new() { MaxAttempts = 6, BaseDelay = TimeSpan.FromSeconds(5), MaxDelay = TimeSpan.FromMinutes(10) };

    [Fact]
    public void Accepted_stops_in_sending()
    {
        var decision = Policy.Next(SendResult.Accepted("x"), 1, new Random(1));

        Assert.False(decision.Retry);
        Assert.Equal(NotificationStatus.Sending, decision.Status);
    }

    [Fact]
    public void Permanent_failure_stops_at_once_even_on_the_first_attempt()
    {
        var decision = Policy.Next(new SendResult(SendOutcome.PermanentFailure, Detail: "acs-sms: HTTP 400"), 1, new Random(1));

        Assert.False(decision.Retry);
        Assert.Equal(NotificationStatus.PermanentFailure, decision.Status);
        Assert.Equal("acs-sms: HTTP 400", decision.Reason);
    }

    [Fact]
    public void First_transient_failure_is_retried_immediately()
    {
        var decision = Policy.Next(new SendResult(SendOutcome.TransientFailure), 1, new Random(1));

        Assert.True(decision.Retry);
        Assert.Equal(TimeSpan.Zero, decision.Delay);
        Assert.Equal(NotificationStatus.Created, decision.Status);
    }

    [Theory]
    [InlineData(2, 5)]
    [InlineData(3, 10)]
    [InlineData(4, 20)]
    [InlineData(5, 40)]
    public void Later_transient_failures_back_off_exponentially_within_half_to_all_of_the_ceiling(int attempt, int ceilingSeconds)
    {
        for (var seed = 0; seed < 50; seed++)
        {
            var decision = Policy.Next(new SendResult(SendOutcome.TransientFailure), attempt, new Random(seed));

            Assert.True(decision.Retry);
            Assert.InRange(decision.Delay, TimeSpan.FromSeconds(ceilingSeconds / 2.0), TimeSpan.FromSeconds(ceilingSeconds));
        }
    }

    [Fact]
    public void Backoff_never_exceeds_the_maximum_delay()
    {
        var policy = Policy with { MaxAttempts = 40 };

        var decision = policy.Next(new SendResult(SendOutcome.TransientFailure), 30, new Random(3));

        Assert.InRange(decision.Delay, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(10));
    }

    [Fact]
    public void The_same_seed_gives_the_same_delay()
    {
        var a = Policy.Next(new SendResult(SendOutcome.TransientFailure), 4, new Random(42));
        var b = Policy.Next(new SendResult(SendOutcome.TransientFailure), 4, new Random(42));

        Assert.Equal(a.Delay, b.Delay);
    }

    [Fact]
    public void Throttled_waits_at_least_retry_after()
    {
        for (var seed = 0; seed < 50; seed++)
        {
            var decision = Policy.Next(new SendResult(SendOutcome.Throttled, RetryAfter: TimeSpan.FromSeconds(20)), 1, new Random(seed));

            Assert.True(decision.Retry);
            Assert.InRange(decision.Delay, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(24));
        }
    }

    [Fact]
    public void Throttled_without_retry_after_waits_the_default()
    {
        var decision = Policy.Next(new SendResult(SendOutcome.Throttled), 2, new Random(1));

        Assert.InRange(decision.Delay, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(35));
    }

    [Theory]
    [InlineData(SendOutcome.TransientFailure)]
    [InlineData(SendOutcome.Throttled)]
    public void Retries_end_in_technical_failure_when_the_attempts_are_used_up(SendOutcome outcome)
    {
        var decision = Policy.Next(new SendResult(outcome), 6, new Random(1));

        Assert.False(decision.Retry);
        Assert.Equal(NotificationStatus.TechnicalFailure, decision.Status);
    }
}

public sealed class ProviderStatusMapTests
{
    [Theory]
    [InlineData(ProviderAnswerSource.AcsSmsDeliveryReport, "Delivered", NotificationStatus.Delivered)]
    [InlineData(ProviderAnswerSource.AcsSmsDeliveryReport, "failed", NotificationStatus.PermanentFailure)]
    [InlineData(ProviderAnswerSource.AcsEmailDeliveryReport, "Bounced", NotificationStatus.PermanentFailure)]
    [InlineData(ProviderAnswerSource.AcsEmailDeliveryReport, "Suppressed", NotificationStatus.PermanentFailure)]
    [InlineData(ProviderAnswerSource.AcsEmailDeliveryReport, "Expired", NotificationStatus.TemporaryFailure)]
    [InlineData(ProviderAnswerSource.AcsEmailOperation, "Canceled", NotificationStatus.Cancelled)]
    [InlineData(ProviderAnswerSource.AcsSmsSend, "503", NotificationStatus.Created)]
    [InlineData(ProviderAnswerSource.AcsSmsSend, "401", NotificationStatus.TechnicalFailure)]
    [InlineData(ProviderAnswerSource.DomesticSmsCallback, "expired", NotificationStatus.TemporaryFailure)]
    [InlineData(ProviderAnswerSource.DomesticSmsSend, "422", NotificationStatus.PermanentFailure)]
    public void Provider_answers_map_to_notify_statuses(ProviderAnswerSource source, string answer, NotificationStatus expected)
    {
        Assert.Equal(expected, ProviderStatusMap.Lookup(source, answer));
    }

    [Fact]
    public void An_unknown_answer_maps_to_nothing_rather_than_a_guess()
    {
        Assert.Null(ProviderStatusMap.Lookup(ProviderAnswerSource.AcsSmsDeliveryReport, "Teleported"));
        Assert.Null(ProviderStatusMap.Lookup(ProviderAnswerSource.AcsSmsDeliveryReport, null));
    }

    [Fact]
    public void A_missing_http_answer_is_a_timeout()
    {
        Assert.Equal(NotificationStatus.Created, ProviderStatusMap.LookupHttp(ProviderAnswerSource.AcsEmailSend, null));
        Assert.Equal(NotificationStatus.Sending, ProviderStatusMap.LookupHttp(ProviderAnswerSource.AcsEmailSend, 202));
    }

    [Fact]
    public void The_table_has_each_answer_once_and_every_source_has_rows()
    {
        var keys = ProviderStatusMap.Rows.Select(r => (r.Source, r.Answer.ToUpperInvariant())).ToList();

        Assert.Equal(keys.Count, keys.Distinct().Count());
        Assert.All(Enum.GetValues<ProviderAnswerSource>(), s => Assert.Contains(ProviderStatusMap.Rows, r => r.Source == s));
    }

    [Fact]
    public void Failed_statuses_are_all_completed_and_wire_names_round_trip()
    {
        Assert.Subset(new HashSet<NotificationStatus>(NotificationStatuses.Completed), new HashSet<NotificationStatus>(NotificationStatuses.Failed));
        Assert.Equal("temporary-failure", NotificationStatus.TemporaryFailure.ToWireName());
        Assert.All(Enum.GetValues<NotificationStatus>(), s =>
        {
            Assert.True(NotificationStatuses.TryParseWireName(s.ToWireName(), out var back));
            Assert.Equal(s, back);
        });
        Assert.False(NotificationStatus.Sending.IsCompleted());
    }
}
