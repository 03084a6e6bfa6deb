using PushGov.Domain.Cases;
using PushGov.Domain.Messaging;
using PushGov.Domain.Messaging.Statuses;
using PushGov.Domain.Residents;
using PushGov.Infrastructure.Notifications.Providers.Acs;
using PushGov.Infrastructure.Notifications.Providers.DomesticSms;
using PushGov.Infrastructure.Notifications.Providers.Letters;
using PushGov.Infrastructure.Notifications.Sending;
using PushGov.Testing.Fakes;
using PushGov.Testing.Sending;

namespace PushGov.Infrastructure.Tests.Notifications.Sending;

public sealed class SendWorkerTests
{
    [Fact]
    public async Task A_live_tenants_sms_to_a_japanese_number_goes_to_the_domestic_provider_and_to_plus_one_through_acs()
    {
        await using var h = await SendingHarness.StartAsync();

        var jp = await h.AddAndSendAsync(SendingHarness.Message("m-jp", Channel.Sms, "+81 90-1234-5678"));
        var us = await h.AddAndSendAsync(SendingHarness.Message("m-us", Channel.Sms, "+14255550123"));

        Assert.Equal(NotificationStatus.Sending, jp.Status);
        Assert.Equal(DomesticSmsClient.ProviderName, jp.Provider);
        var domestic = Assert.Single(h.Domestic.Received);
        Assert.Equal("+819012345678", domestic.To);
        Assert.Equal(domestic.ProviderId, jp.ProviderMessageId);

        Assert.Equal(NotificationStatus.Sending, us.Status);
        Assert.Equal(AcsSmsClient.ProviderName, us.Provider);
        var acs = Assert.Single(h.Acs.ReceivedSms);
        Assert.Equal("+14255550123", acs.To);
        Assert.Equal(SendingHarness.AcsFrom, acs.From);
        Assert.Equal("m-us", acs.Tag);
        Assert.Equal(acs.AnsweredMessageId, us.ProviderMessageId);
        Assert.Equal(0, h.Acs.Unauthorized + h.Domestic.Unauthorized);

        // The callbacks can find both by the provider's id.
        Assert.Equal((SendingHarness.Live, "m-jp"), await h.Index.FindProviderIdAsync(jp.ProviderMessageId!, CancellationToken.None));
        Assert.Equal((SendingHarness.Live, "m-us"), await h.Index.FindProviderIdAsync(us.ProviderMessageId!, CancellationToken.None));
    }

    [Fact]
    public async Task A_tenant_not_live_sends_to_the_sink_and_the_message_is_delivered_at_once()
    {
        await using var h = await SendingHarness.StartAsync();

        var m = await h.AddAndSendAsync(SendingHarness.Message("m-sink", Channel.Sms, "+819012345678", tenant: SendingHarness.NotLive));

        Assert.Equal(NotificationStatus.Delivered, m.Status);
        Assert.Equal("dev-sink", m.Provider);
        Assert.Empty(h.Domestic.Received);
        Assert.Equal("m-sink", Assert.Single(await h.Sink.ListAsync(SendingHarness.NotLive, 10, CancellationToken.None)).MessageId);
    }

    [Fact]
    public async Task An_email_carries_the_one_click_unsubscribe_headers_pointing_at_the_api()
    {
        await using var h = await SendingHarness.StartAsync();

        var m = await h.AddAndSendAsync(SendingHarness.Message("m-mail", Channel.Email, "taro@example.jp"));

        Assert.Equal(NotificationStatus.Sending, m.Status);
        Assert.Equal(AcsEmailClient.ProviderName, m.Provider);
        var mail = Assert.Single(h.Acs.ReceivedEmails);
        Assert.Equal("<https://func-pushgov.example.jp/api/unsubscribe/m-mail>", mail.Headers["List-Unsubscribe"]);
        Assert.Equal("List-Unsubscribe=One-Click", mail.Headers["List-Unsubscribe-Post"]);
        Assert.Equal(AcsEmailClient.OperationId("m-mail").ToString(), m.ProviderMessageId);
        Assert.Equal(SendingHarness.Live, await h.Index.TenantOfMessageAsync("m-mail", CancellationToken.None));
    }

    [Fact]
    public async Task A_live_tenant_without_a_configured_provider_fails_permanently_and_tells_the_case()
    {
        await using var h = await SendingHarness.StartAsync(withProviders: false);

        var m = await h.AddAndSendAsync(SendingHarness.Message("m-none", Channel.Email, "taro@example.jp", caseId: "case-none"));

        Assert.Equal(NotificationStatus.PermanentFailure, m.Status);
        Assert.Equal("no provider configured for channel Email", m.LastError);
        Assert.Empty(await h.Sink.ListAsync(SendingHarness.Live, 10, CancellationToken.None));
        var step = Assert.Single(await h.CaseStepsAsync());
        Assert.Equal("case-none", step.CaseId);
        Assert.Equal(new DeliveryReported("m-none", DeliveryState.Failed), step.Input);
    }

    [Fact]
    public async Task A_repeated_queue_message_for_a_final_message_tells_the_case_again_and_sends_nothing()
    {
        await using var h = await SendingHarness.StartAsync(withProviders: false);
        var m = await h.AddAndSendAsync(SendingHarness.Message("m-again", Channel.Email, "taro@example.jp", caseId: "case-again"));
        Assert.Equal(NotificationStatus.PermanentFailure, m.Status);

        // As after a crash between the final status and the case's report: the queue delivers the message again.
        await h.SendAsync(m);

        Assert.Equal(NotificationStatus.PermanentFailure, (await h.GetAsync(m)).Status);
        Assert.Equal(m.Attempts, (await h.GetAsync(m)).Attempts);
        var steps = await h.CaseStepsAsync();
        Assert.Equal(2, steps.Count);
        Assert.All(steps, s => Assert.Equal(new DeliveryReported("m-again", DeliveryState.Failed), s.Input));
    }

    [Fact]
    public async Task A_429_with_retry_after_holds_the_message_at_least_that_long_and_it_is_then_sent_once()
    {
        await using var h = await SendingHarness.StartAsync();
        h.Acs.Enqueue(FakeAnswer.Throttled("120"));
        var message = SendingHarness.Message("m-429", Channel.Sms, "+14255550123");

        var held = await h.AddAndSendAsync(message);
        Assert.Equal(NotificationStatus.Created, held.Status);
        Assert.InRange(held.NotBefore!.Value, h.Clock.GetUtcNow().AddSeconds(120), h.Clock.GetUtcNow().AddSeconds(125));

        // Woken early (a repeated queue message): still held, nothing sent.
        h.Clock.Advance(TimeSpan.FromSeconds(60));
        await h.SendAsync(message);
        Assert.Single(h.Acs.ReceivedSms);

        h.Clock.Advance(held.NotBefore.Value - h.Clock.GetUtcNow());
        await h.SendAsync(message);
        var sent = await h.GetAsync(message);

        Assert.Equal(NotificationStatus.Sending, sent.Status);
        Assert.Equal(2, h.Acs.ReceivedSms.Count);
        Assert.Equal(1, h.Acs.DistinctAcceptedSms);
        Assert.Equal(1, sent.Attempts);
        // The retry repeats the first attempt's time, as ACS repeatability asks.
        Assert.Equal(h.Acs.ReceivedSms[0].RepeatabilityFirstSent, h.Acs.ReceivedSms[1].RepeatabilityFirstSent);
        Assert.Equal(h.Acs.ReceivedSms[0].RepeatabilityRequestId, h.Acs.ReceivedSms[1].RepeatabilityRequestId);
    }

    [Fact]
    public async Task A_500_is_retried_after_a_backoff_and_then_delivered_to_the_provider()
    {
        await using var h = await SendingHarness.StartAsync();
        h.Domestic.Enqueue(FakeAnswer.ServerError);
        var message = SendingHarness.Message("m-500", Channel.Sms, "+819012345678");

        var failed = await h.AddAndSendAsync(message);
        Assert.Equal(NotificationStatus.Created, failed.Status);
        Assert.Equal(h.Clock.GetUtcNow(), failed.NotBefore); // the first retry at once

        h.Clock.Advance(failed.NotBefore!.Value - h.Clock.GetUtcNow());
        await h.SendAsync(message);
        var sent = await h.GetAsync(message);

        Assert.Equal(NotificationStatus.Sending, sent.Status);
        Assert.Equal(2, sent.Attempts);
        Assert.Equal([500, 202], h.Domestic.Received.Select(r => r.AnsweredStatus));
        Assert.Equal(1, h.Domestic.DistinctAccepted);
    }

    [Fact]
    public async Task Server_errors_on_every_attempt_end_in_technical_failure_after_the_retry_policys_attempts()
    {
        await using var h = await SendingHarness.StartAsync();
        var message = SendingHarness.Message("m-down", Channel.Sms, "+819012345678", caseId: "case-down");
        for (var i = 0; i < RetryPolicy.Default.MaxAttempts; i++)
        {
            h.Domestic.Enqueue(FakeAnswer.ServerError);
        }

        var m = await h.AddAndSendAsync(message);
        while (m.Status == NotificationStatus.Created)
        {
            h.Clock.Advance(m.NotBefore!.Value - h.Clock.GetUtcNow());
            await h.SendAsync(message);
            m = await h.GetAsync(message);
        }

        Assert.Equal(NotificationStatus.TechnicalFailure, m.Status);
        Assert.Equal(RetryPolicy.Default.MaxAttempts, m.Attempts);
        Assert.Equal(RetryPolicy.Default.MaxAttempts, h.Domestic.Received.Count);
        var step = Assert.Single(await h.CaseStepsAsync());
        Assert.Equal(new DeliveryReported("m-down", DeliveryState.Failed), step.Input);
    }

    [Fact]
    public async Task A_temporary_failure_the_provider_reported_is_final_and_not_sent_again()
    {
        await using var h = await SendingHarness.StartAsync();
        var message = SendingHarness.Message("m-expired", Channel.Sms, "+819012345678") with { Status = NotificationStatus.TemporaryFailure, ProviderMessageId = "dom-1" };

        var m = await h.AddAndSendAsync(message);

        Assert.Equal(NotificationStatus.TemporaryFailure, m.Status);
        Assert.Empty(h.Domestic.Received);
    }

    [Fact]
    public async Task A_permanent_error_ends_in_permanent_failure_and_the_case_is_told()
    {
        await using var h = await SendingHarness.StartAsync();
        h.Domestic.Enqueue(FakeAnswer.Unprocessable);

        var m = await h.AddAndSendAsync(SendingHarness.Message("m-422", Channel.Sms, "+81312345678", caseId: "case-422"));

        Assert.Equal(NotificationStatus.PermanentFailure, m.Status);
        Assert.Contains("HTTP 422", m.LastError, StringComparison.Ordinal);
        var step = Assert.Single(await h.CaseStepsAsync());
        Assert.Equal(new DeliveryReported("m-422", DeliveryState.Failed), step.Input);
    }

    [Fact]
    public async Task A_repeated_queue_message_never_sends_twice()
    {
        await using var h = await SendingHarness.StartAsync();
        var message = SendingHarness.Message("m-dup", Channel.Sms, "+14255550123");
        Assert.True(await h.Messages.TryAddAsync(message, CancellationToken.None));

        // The same queue message five times, concurrently and then again.
        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => h.SendAsync(message)));
        await h.SendAsync(message);

        Assert.Single(h.Acs.ReceivedSms.Select(s => s.RepeatabilityRequestId).Distinct());
        Assert.Single(h.Acs.ReceivedSms);
        Assert.Equal(1, (await h.GetAsync(message)).Attempts);
    }

    [Fact]
    public async Task An_sms_at_22_in_japan_is_held_until_8_the_next_morning()
    {
        // 2026-11-24 22:00 JST = 13:00 UTC.
        await using var h = await SendingHarness.StartAsync(new DateTimeOffset(2026, 11, 24, 13, 0, 0, TimeSpan.Zero));
        var message = SendingHarness.Message("m-night", Channel.Sms, "+819012345678");

        var held = await h.AddAndSendAsync(message);
        var eight = new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.FromHours(9));
        Assert.Equal(NotificationStatus.Created, held.Status);
        Assert.Equal(eight, held.NotBefore);
        Assert.Empty(h.Domestic.Received);

        h.Clock.Advance(TimeSpan.FromHours(9) + TimeSpan.FromMinutes(59));
        await h.SendAsync(message);
        Assert.Empty(h.Domestic.Received);

        h.Clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        await h.SendAsync(message);
        Assert.Equal(NotificationStatus.Sending, (await h.GetAsync(message)).Status);
        Assert.Single(h.Domestic.Received);
    }

    [Fact]
    public async Task An_email_at_22_is_not_held_by_quiet_hours()
    {
        await using var h = await SendingHarness.StartAsync(new DateTimeOffset(2026, 11, 24, 13, 0, 0, TimeSpan.Zero));

        var m = await h.AddAndSendAsync(SendingHarness.Message("m-night-mail", Channel.Email, "taro@example.jp"));

        Assert.Equal(NotificationStatus.Sending, m.Status);
    }

    [Fact]
    public async Task The_tenants_daily_cap_holds_the_next_message_until_the_next_day_in_japan()
    {
        await using var h = await SendingHarness.StartAsync(dailyCap: 2);
        var sent = new List<MessageRecord>();
        for (var i = 0; i < 3; i++)
        {
            sent.Add(await h.AddAndSendAsync(SendingHarness.Message($"m-cap-{i}", Channel.Email, $"user{i}@example.jp")));
        }

        Assert.Equal([NotificationStatus.Sending, NotificationStatus.Sending, NotificationStatus.Created], sent.Select(m => m.Status));
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.FromHours(9)), sent[2].NotBefore);
        Assert.Equal(2, h.Acs.ReceivedEmails.Count);
    }

    [Fact]
    public async Task A_letter_is_filed_once_under_its_day_and_the_daily_batch_writes_the_vendor_csv()
    {
        await using var h = await SendingHarness.StartAsync();
        var letter = SendingHarness.Message("m-letter", Channel.Post, "8108620\n福岡県福岡市中央区天神1-8-1");

        var m = await h.AddAndSendAsync(letter);
        await h.SendAsync(letter);

        Assert.Equal(NotificationStatus.Delivered, m.Status);
        Assert.Equal(LetterSender.ProviderName, m.Provider);
        var day = new DateOnly(2026, 11, 24);
        var blobs = h.Storage.Container("letters").GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, $"{SendingHarness.Live}/2026-11-24/", CancellationToken.None);
        var names = new List<string>();
        await foreach (var b in blobs)
        {
            names.Add(b.Name);
        }

        Assert.Equal([$"{SendingHarness.Live}/2026-11-24/m-letter.json"], names);

        var batch = new LetterBatch(h.Storage);
        Assert.Equal(1, await batch.AssembleAsync(SendingHarness.Live, day, CancellationToken.None));
        var csv = (await h.Storage.Container("letters").GetBlobClient(LetterBatch.CsvName(SendingHarness.Live, day)).DownloadContentAsync()).Value.Content.ToArray();
        Assert.Equal(
            "\uFEFFmessage_id,postal_code,address_1,address_2,address_3,name,body,gaiji\r\n" +
            "m-letter,〒810-8620,福岡県福岡市中央区天神1-8-1,,,山田　太郎　様,\"児童手当のお知らせ\r\n\r\n=申請は15日以内に。\",\r\n",
            System.Text.Encoding.UTF8.GetString(csv));

        // Again: the same file.
        Assert.Equal(1, await batch.AssembleAsync(SendingHarness.Live, day, CancellationToken.None));
        var again = (await h.Storage.Container("letters").GetBlobClient(LetterBatch.CsvName(SendingHarness.Live, day)).DownloadContentAsync()).Value.Content.ToArray();
        Assert.Equal(csv, again);
    }

    [Fact]
    public async Task A_429_asking_for_longer_than_the_repeatability_window_retries_with_a_new_first_attempt_time()
    {
        await using var h = await SendingHarness.StartAsync();
        h.Acs.Enqueue(FakeAnswer.Throttled("600"));
        var message = SendingHarness.Message("m-429-long", Channel.Sms, "+14255550123");

        var held = await h.AddAndSendAsync(message);
        Assert.Null(held.FirstAttemptAt);

        h.Clock.Advance(TimeSpan.FromSeconds(601));
        await h.SendAsync(message);

        var sent = await h.GetAsync(message);
        Assert.Equal(NotificationStatus.Sending, sent.Status);
        Assert.Equal(h.Clock.GetUtcNow(), sent.FirstAttemptAt);
        Assert.NotEqual(h.Acs.ReceivedSms[0].RepeatabilityFirstSent, h.Acs.ReceivedSms[1].RepeatabilityFirstSent);
    }

    [Fact]
    public async Task Sms_to_a_number_routed_to_acs_is_refused_when_acs_has_no_sending_number()
    {
        await using var h = await SendingHarness.StartAsync();
        var selector = new ProviderSelector(
            h.Directory,
            h.Sink,
            new LetterSender(h.Storage, h.Clock),
            new SendingOptions(),
            () => new SmsRouter([new DomesticSmsClient(new HttpClient(), new DomesticSmsOptions { Endpoint = h.Domestic.Endpoint, Secret = h.Domestic.Secret }, h.Clock)], new SmsRoutingOptions()));

        var route = await selector.RouteAsync(SendingHarness.Message("m-x", Channel.Sms, "+14255550123"), CancellationToken.None);
        var japan = await selector.RouteAsync(SendingHarness.Message("m-y", Channel.Sms, "+819012345678"), CancellationToken.None);

        Assert.Equal("no provider configured for channel Sms (route 'acs-sms' is not set up)", route.Refusal);
        Assert.Null(japan.Refusal);
        Assert.Equal(DomesticSmsClient.ProviderName, japan.Provider);
        Assert.Equal("sms|domestic-sms", japan.Pacing?.RateKey);
    }
}
