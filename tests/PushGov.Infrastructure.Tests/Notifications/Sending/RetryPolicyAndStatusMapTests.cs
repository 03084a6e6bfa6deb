using PushGov.Domain.Messaging;
using PushGov.Domain.Messaging.Statuses;

namespace PushGov.Infrastructure.Tests.Notifications.Sending;

public sealed class RetryPolicyTests
{
    private static readonly RetryPolicy Policy = new() { MaxAttempts = 6, BaseDelay = TimeSpan.FromSeconds(5), MaxDelay = TimeSpan.FromMinutes(10) };

    [Fact]
    public void Accepted_stops_in_sending()
    {
        var decision = Policy.Next(SendResult.Accepted("x"), 1, "m-1");

        Assert.False(decision.Retry);
        Assert.Equal(NotificationStatus.Sending, decision.Status);
    }

    [Fact]
    public void Permanent_failure_stops_at_once_even_on_the_first_attempt()
    {
        var decision = Policy.Next(new SendResult(SendOutcome.PermanentFailure, Detail: "acs-sms: HTTP 400"), 1, "m-1");

        Assert.False(decision.Retry);
        Assert.Equal(NotificationStatus.PermanentFailure, decision.Status);
        Assert.Equal("acs-sms: HTTP 400", decision.Reason);
    }

    [Fact]
    public void First_transient_failure_is_retried_immediately()
    {
        var decision = Policy.Next(new SendResult(SendOutcome.TransientFailure), 1, "m-1");

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
            var decision = Policy.Next(new SendResult(SendOutcome.TransientFailure), attempt, $"m-{seed}");

            Assert.True(decision.Retry);
            Assert.InRange(decision.Delay, TimeSpan.FromSeconds(ceilingSeconds / 2.0), TimeSpan.FromSeconds(ceilingSeconds));
        }
    }

    [Fact]
    public void Backoff_never_exceeds_the_maximum_delay()
    {
        var policy = Policy with { MaxAttempts = 40 };

        var decision = policy.Next(new SendResult(SendOutcome.TransientFailure), 30, "m-3");

        Assert.InRange(decision.Delay, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(10));
    }

    [Fact]
    public void The_same_message_and_attempt_give_the_same_delay_and_other_messages_spread_out()
    {
        var a = Policy.Next(new SendResult(SendOutcome.TransientFailure), 4, "m-42");
        var b = Policy.Next(new SendResult(SendOutcome.TransientFailure), 4, "m-42");
        var others = Enumerable.Range(0, 50).Select(i => Policy.Next(new SendResult(SendOutcome.TransientFailure), 4, $"m-{i}").Delay).Distinct().Count();

        Assert.Equal(a.Delay, b.Delay);
        Assert.True(others > 40, $"only {others} distinct delays for 50 messages");
    }

    [Fact]
    public void The_jitter_is_a_stable_hash_the_same_in_every_process()
    {
        // From XxHash3 of "m-42#4": a fixed value on every machine and run (string.GetHashCode would change per process).
        var decision = Policy.Next(new SendResult(SendOutcome.TransientFailure), 4, "m-42");

        Assert.Equal(TimeSpan.FromTicks(170_338_077), decision.Delay);
    }

    [Fact]
    public void Throttled_waits_at_least_retry_after()
    {
        for (var seed = 0; seed < 50; seed++)
        {
            var decision = Policy.Next(new SendResult(SendOutcome.Throttled, RetryAfter: TimeSpan.FromSeconds(20)), 1, $"m-{seed}");

            Assert.True(decision.Retry);
            Assert.InRange(decision.Delay, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(24));
        }
    }

    [Fact]
    public void Throttled_without_retry_after_waits_the_default()
    {
        var decision = Policy.Next(new SendResult(SendOutcome.Throttled), 2, "m-1");

        Assert.InRange(decision.Delay, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(35));
    }

    [Fact]
    public void Retries_end_in_technical_failure_when_the_attempts_are_used_up()
    {
        var decision = Policy.Next(new SendResult(SendOutcome.TransientFailure, Detail: "acs-sms: HTTP 503"), 6, "m-1");

        Assert.False(decision.Retry);
        Assert.Equal(NotificationStatus.TechnicalFailure, decision.Status);
        Assert.Equal("gave up after 6 attempts: acs-sms: HTTP 503", decision.Reason);
    }

    [Fact]
    public void A_throttled_attempt_uses_up_no_attempt()
    {
        var decision = Policy.Next(new SendResult(SendOutcome.Throttled, RetryAfter: TimeSpan.FromSeconds(20)), 6, "m-1");

        Assert.True(decision.Retry);
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
    public void Every_status_is_either_in_flight_or_final_and_only_created_may_still_be_sent()
    {
        Assert.All(Enum.GetValues<NotificationStatus>(), s => Assert.NotEqual(s.IsInFlight(), s.IsFinal()));
        Assert.Equal([NotificationStatus.Created], Enum.GetValues<NotificationStatus>().Where(s => s.CanSend()));
    }

    [Fact]
    public void Temporary_failure_is_failed_and_final_as_in_govuk_notify()
    {
        Assert.True(NotificationStatus.TemporaryFailure.IsFailed());
        Assert.True(NotificationStatus.TemporaryFailure.IsFinal());
        Assert.False(NotificationStatus.TemporaryFailure.CanSend());
    }

    [Fact]
    public void A_stored_status_that_is_no_wire_name_is_refused()
    {
        Assert.Equal(NotificationStatus.PermanentFailure, NotificationStatuses.ParseWireName("permanent-failure"));
        Assert.Throws<FormatException>(() => NotificationStatuses.ParseWireName("temporary_failure"));
    }

    [Fact]
    public void Failed_statuses_are_all_final_and_wire_names_round_trip()
    {
        Assert.Subset(new HashSet<NotificationStatus>(NotificationStatuses.Final), new HashSet<NotificationStatus>(NotificationStatuses.Failed));
        Assert.Equal("temporary-failure", NotificationStatus.TemporaryFailure.ToWireName());
        Assert.All(Enum.GetValues<NotificationStatus>(), s =>
        {
            Assert.True(NotificationStatuses.TryParseWireName(s.ToWireName(), out var back));
            Assert.Equal(s, back);
        });
        Assert.False(NotificationStatus.Sending.IsFinal());
    }
}
