using System.Diagnostics;
using System.Globalization;
using System.Text;
using Azure.Data.Tables;
using PushGov.Domain;
using PushGov.Domain.Cases;
using PushGov.Domain.Messaging;
using PushGov.Domain.Messaging.Statuses;
using PushGov.Domain.Tenants;
using PushGov.Infrastructure.Acs;
using PushGov.Infrastructure.Cases;
using PushGov.Infrastructure.Messaging;
using PushGov.Infrastructure.Sending;
using PushGov.Infrastructure.Storage;
using PushGov.Infrastructure.Tenants;
using PushGov.Testing;
using PushGov.Testing.Fakes;
using Xunit.Abstractions;

namespace PushGov.Functions.Tests.Crash;

/// <summary>
/// Crash safety with processes (issue 11): the local host runs as a child process on an Azurite of the test's own, sending
/// for real to the fake ACS and the fake domestic SMS provider (HTTP servers on loopback that check signatures). The same
/// drops go to two live tenants: one while the host runs undisturbed, one while the host is killed (SIGKILL) three times
/// at seeded moments and started again. Both must end alike, and the providers must have taken every message exactly once
/// (counted by idempotency key: the domestic Idempotency-Key, the ACS SMS repeatability id, the ACS e-mail Operation-Id).
/// The seed is printed; <c>PUSHGOV_CRASH_SEED</c> replays one.
/// </summary>
public sealed class KillTests(ITestOutputHelper output)
{
    private const int Households = 40;
    private const string AcsSmsFrom = "+18005550100";

    /// <summary>How long a run may take to settle on a busy machine (queue messages of a killed host come back after 30 s, stuck sends after the sweep).</summary>
    private static readonly TimeSpan SettleDeadline = TimeSpan.FromMinutes(4);


    [Fact]
    public async Task Killing_the_host_process_three_times_during_a_drop_ends_like_a_clean_run_with_every_message_taken_once()
    {
        var seed = Environment.GetEnvironmentVariable("PUSHGOV_CRASH_SEED") is { Length: > 0 } given ? int.Parse(given, CultureInfo.InvariantCulture) : Random.Shared.Next(1, 1_000_000);
        output.WriteLine($"seed {seed} (PUSHGOV_CRASH_SEED={seed} replays it)");
        var random = new Random(seed);
        var clock = Stopwatch.StartNew();
        var since = DateTimeOffset.UtcNow.AddMinutes(-1);

        await using var azurite = await Azurite.StartAsync();
        var storage = StorageClients.FromConnectionString(azurite.ConnectionString);
        await storage.EnsureCreatedAsync();
        await using var acs = await FakeAcs.StartAsync();
        await using var domestic = await FakeDomesticSmsProvider.StartAsync();
        var today = JapanTime.Today(DateTimeOffset.UtcNow);
        var drops = BirthDrops.Generate(seed, Households, today.AddDays(-2));
        var (clean, crashed) = (TestTenants.Next(), TestTenants.Next());
        await CreateLiveTenantAsync(storage, clean);
        await CreateLiveTenantAsync(storage, crashed);

        await using var host = new LocalHostProcess(new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["PushGov__ApiKeyPepper"] = "crash-test-pepper-0123456789",
            ["PushGov__ResidentLinks__Key"] = "crash-test-resident-link-key-0123456789",
            ["PushGov__TaskHub"] = "crash" + Guid.NewGuid().ToString("N")[..12],
            ["PushGov__Acs__ConnectionString"] = acs.ConnectionString,
            ["PushGov__Acs__SmsFrom"] = AcsSmsFrom,
            ["PushGov__Acs__EmailSender"] = "DoNotReply@pushgov.example.jp",
            ["PushGov__DomesticSms__Endpoint"] = domestic.Endpoint.AbsoluteUri,
            ["PushGov__DomesticSms__Secret"] = domestic.Secret,
            // A send cut short by a kill waits in 'sending' for the sweep (every minute); 10 minutes by default.
            ["PushGov__Sending__StuckAfter"] = "00:00:20",

            // Durable Task's messages taken by a killed host (an activity in flight, an orchestration's inputs) come back
            // after these; 5 minutes by default (as in Azure), so a crash there delays its cases that long.
            ["AzureFunctionsJobHost__extensions__durableTask__storageProvider__controlQueueVisibilityTimeout"] = "00:00:20",
            ["AzureFunctionsJobHost__extensions__durableTask__storageProvider__workItemQueueVisibilityTimeout"] = "00:00:20",
        });
        output.WriteLine($"host output: {host.LogPath}");
        try
        {
            host.Start();

            // The clean run.
            await DropAsync(storage, host, clean, "residents", drops.Residents);
            await DropAsync(storage, host, clean, "contacts", drops.Contacts);
            await PutAsync(storage, clean, "resident-changes", drops.Births);
            var cleanRun = await SettledAsync(storage, host, clean, since);
            var cases = cleanRun.Cases.Count;
            var sent = cleanRun.Messages.Count(m => IsProvider(m.Provider));
            output.WriteLine($"{clock.Elapsed.TotalSeconds:F0} s: clean run settled: {cases} cases, {cleanRun.Messages.Count} messages, {sent} to providers");
            Assert.True(sent >= Households / 2, $"The drops should make most cases send through a provider; {sent} of {cleanRun.Messages.Count} messages did.");

            // The same drops in the other tenant, with the host killed three times.
            var before = TakenKeys(acs, domestic).Count;
            await DropAsync(storage, host, crashed, "residents", drops.Residents);
            await DropAsync(storage, host, crashed, "contacts", drops.Contacts);
            await PutAsync(storage, crashed, "resident-changes", drops.Births);
            var atCases = random.Next(1, (cases / 2) + 1);
            var atFirst = random.Next(sent / 4, (sent / 2) + 1);
            var atSecond = random.Next((sent / 2) + 1, (3 * sent / 4) + 1);
            var kills = new (string What, Func<Task<bool>> Reached)[]
            {
                ($"{atCases} of {cases} cases started", async () => await CountCasesAsync(storage, crashed) >= atCases),
                ($"{atFirst} of {sent} messages taken by the providers", () => Task.FromResult(TakenKeys(acs, domestic).Count - before >= atFirst)),
                ($"{atSecond} of {sent} messages taken by the providers", () => Task.FromResult(TakenKeys(acs, domestic).Count - before >= atSecond)),
            };
            foreach (var (what, reached) in kills)
            {
                await UntilAsync(reached, what, host);
                await host.Kill();
                output.WriteLine($"{clock.Elapsed.TotalSeconds:F0} s: killed at {what} ({await CountCasesAsync(storage, crashed)} cases, {TakenKeys(acs, domestic).Count - before} messages taken); starting again");
                host.Start();
            }

            var crashedRun = await SettledAsync(storage, host, crashed, since);
            output.WriteLine($"{clock.Elapsed.TotalSeconds:F0} s: crashed run settled after {host.Kills} kills: {crashedRun.Cases.Count} cases, {crashedRun.Messages.Count} messages");

            // The same cases in the same states, the same messages.
            AssertSame(cleanRun.DescribeCases(), crashedRun.DescribeCases(), "cases");
            AssertSame(cleanRun.DescribeMessages(), crashedRun.DescribeMessages(), "messages");

            // At the providers: every message of both runs exactly once by its idempotency key, nothing else, no refusal.
            var attempts = AssertEachTakenOnce(cleanRun.Messages.Concat(crashedRun.Messages).ToList(), acs, domestic);
            output.WriteLine($"{clock.Elapsed.TotalSeconds:F0} s: providers took {attempts.Keys} messages once each; {attempts.Repeated} keys were sent more than once (repeats recognised by key)");
            Assert.Equal(0, acs.Unauthorized);
            Assert.Equal(0, domestic.Unauthorized);
        }
        catch
        {
            output.WriteLine("Last lines of the host's output:\n" + host.Tail());
            throw;
        }
    }

    private static bool IsProvider(string? provider) =>
        provider is DomesticSmsClient.ProviderName or AcsSmsClient.ProviderName or AcsEmailClient.ProviderName;

    private static async Task CreateLiveTenantAsync(StorageClients storage, string tenant)
    {
        await new TenantStore(storage).SaveAsync(
            TestTenants.QuietHoursAwayFromNow(new TenantConfig { Code = tenant, Name = "テスト市", LiveSending = true }),
            create: true,
            CancellationToken.None);
    }

    private static Task PutAsync(StorageClients storage, string tenant, string dataset, string csv) =>
        storage.Container(StorageNames.Containers.Drops).GetBlobClient($"{tenant}/{dataset}/{dataset}.csv")
            .UploadAsync(new BinaryData(Encoding.UTF8.GetBytes(csv)), overwrite: true);

    /// <summary>Drops a file and waits for its report.</summary>
    private static async Task DropAsync(StorageClients storage, LocalHostProcess host, string tenant, string dataset, string csv)
    {
        await PutAsync(storage, tenant, dataset, csv);
        var report = storage.Container(StorageNames.Containers.DropReports).GetBlobClient($"{tenant}/{dataset}/{dataset}.csv.report.json");
        await UntilAsync(async () => await report.ExistsAsync(), $"the report of the {dataset} drop", host, TimeSpan.FromMinutes(2));
    }

    private static async Task<int> CountCasesAsync(StorageClients storage, string tenant)
    {
        var count = 0;
        await foreach (var _ in storage.Table(StorageNames.Tables.Cases).QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {tenant}"), select: ["RowKey"]))
        {
            count++;
        }

        return count;
    }

    /// <summary>Polls <paramref name="condition"/> often (a kill should land mid-work) until it holds; fails at the deadline or when the host dies by itself.</summary>
    private static async Task UntilAsync(Func<Task<bool>> condition, string what, LocalHostProcess host, TimeSpan? deadline = null, Func<string>? state = null)
    {
        var limit = deadline ?? SettleDeadline;
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (host.ExitedByItself)
            {
                throw new InvalidOperationException($"The host exited by itself while waiting for {what}.");
            }

            if (clock.Elapsed > limit)
            {
                throw new TimeoutException($"Waited {limit.TotalSeconds:0} s for {what}; it did not happen. {state?.Invoke()}");
            }

            await Task.Delay(25);
        }
    }

    /// <summary>
    /// Waits until the tenant's run has settled: the drop's events all have cases, none is still matching or resolving,
    /// every message a case owes exists, and each is final or taken by its provider.
    /// </summary>
    private static async Task<Run> SettledAsync(StorageClients storage, LocalHostProcess host, string tenant, DateTimeOffset since)
    {
        Run? run = null;
        var pending = "Nothing was read.";
        await UntilAsync(
            async () =>
            {
                var drops = storage.Table(StorageNames.Tables.Drops).QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {tenant}"));
                var events = 0;
                await foreach (var drop in drops)
                {
                    if (drop.RowKey.StartsWith("resident-changes-", StringComparison.Ordinal))
                    {
                        if (drop.GetString("Status") != "completed")
                        {
                            pending = "The births drop is not completed.";
                            return false;
                        }

                        events += drop.GetInt32("Events") ?? 0;
                    }
                }

                var cases = new List<CaseData>();
                await foreach (var c in new CaseStore(storage).ListWrittenSinceAsync(tenant, since, CancellationToken.None))
                {
                    cases.Add(c);
                }

                var unsettled = cases.Where(c => c.State is CaseState.Detected or CaseState.Matched).ToList();
                if (events == 0 || cases.Count < events || unsettled.Count > 0)
                {
                    pending = $"{events} events, {cases.Count} cases; not past matching: {string.Join(", ", unsettled.Select(c => $"{c.CaseId} ({c.State})"))}.";
                    return false;
                }

                var messages = new List<MessageRecord>();
                await foreach (var m in new MessageStore(storage).ListCreatedSinceAsync(tenant, since, CancellationToken.None))
                {
                    messages.Add(m);
                }

                var unsent = messages.Where(m => !(m.Status.IsFinal() || (m.Status == NotificationStatus.Sending && m.ProviderMessageId is not null))).ToList();
                if (messages.Count < cases.Sum(c => c.Deliveries.Count) || unsent.Count > 0)
                {
                    pending = $"{messages.Count} of {cases.Sum(c => c.Deliveries.Count)} messages; not taken yet: {string.Join(", ", unsent.Select(m => $"{m.CaseId}/{m.Channel} {m.Status.ToWireName()} ({m.Attempts} attempts, updated {m.UpdatedAt:HH:mm:ss})"))}.";
                    return false;
                }

                // Each case has learned the fate of its messages that have one (a delivery report the sender owes it).
                var byId = messages.ToDictionary(m => m.MessageId, StringComparer.Ordinal);
                var unlearned = cases.SelectMany(c => c.Deliveries.Select(d => (Case: c, Delivery: d)))
                    .Where(x => byId.TryGetValue(x.Delivery.MessageId, out var m) && Fate(m.Status) is { } fate && x.Delivery.State != fate)
                    .ToList();
                if (unlearned.Count > 0)
                {
                    pending = $"cases not told their messages' fate: {string.Join(", ", unlearned.Select(x => $"{x.Case.CaseId} ({x.Delivery.Channel} {byId[x.Delivery.MessageId].Status.ToWireName()}, case says {x.Delivery.State})"))}.";
                    return false;
                }

                run = new Run(cases, messages);
                return true;
            },
            $"every case of tenant {tenant} to settle",
            host,
            state: () => pending);
        return run!;
    }

    /// <summary>What a case's delivery says once the message's status is final; null while it is not.</summary>
    private static DeliveryState? Fate(NotificationStatus status) =>
        status == NotificationStatus.Delivered ? DeliveryState.Delivered
        : status == NotificationStatus.Cancelled ? DeliveryState.Cancelled
        : status.IsFailed() ? DeliveryState.Failed
        : null;

    /// <summary>The two runs' descriptions are the same multiset; a failure lists what only one of them has.</summary>
    private static void AssertSame(IReadOnlyList<string> clean, IReadOnlyList<string> crashed, string what)
    {
        var onlyClean = clean.ToList();
        var onlyCrashed = new List<string>();
        foreach (var line in crashed)
        {
            if (!onlyClean.Remove(line))
            {
                onlyCrashed.Add(line);
            }
        }

        Assert.True(
            onlyClean.Count == 0 && onlyCrashed.Count == 0,
            $"The {what} of the crashed run differ from the clean run's.\nOnly in the clean run:\n  {string.Join("\n  ", onlyClean)}\nOnly in the crashed run:\n  {string.Join("\n  ", onlyCrashed)}");
    }

    /// <summary>Keys the providers took (answered with an id), by provider.</summary>
    private static HashSet<string> TakenKeys(FakeAcs acs, FakeDomesticSmsProvider domestic) =>
    [
        .. domestic.Received.Where(r => r.ProviderId is not null).Select(r => "domestic:" + r.IdempotencyKey),
        .. acs.ReceivedSms.Where(s => s.AnsweredMessageId is not null).Select(s => "acs-sms:" + s.RepeatabilityRequestId.ToLowerInvariant()),
        .. acs.ReceivedEmails.Where(e => e.AnsweredStatus == 202).Select(e => "acs-email:" + e.OperationId.ToLowerInvariant()),
    ];

    /// <summary>
    /// Every message sent through a provider was taken under the key its id gives, under one provider id (a repeat gets the
    /// first answer back), with the same first-attempt time on every ACS SMS attempt; no key belongs to no message.
    /// </summary>
    private static (int Keys, int Repeated) AssertEachTakenOnce(IReadOnlyList<MessageRecord> messages, FakeAcs acs, FakeDomesticSmsProvider domestic)
    {
        var sent = messages.Where(m => IsProvider(m.Provider)).ToList();
        var domesticByKey = domestic.Received.Where(r => r.ProviderId is not null).GroupBy(r => r.IdempotencyKey, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var smsByKey = acs.ReceivedSms.Where(s => s.AnsweredMessageId is not null).GroupBy(s => s.RepeatabilityRequestId, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.OrdinalIgnoreCase);
        var emailByKey = acs.ReceivedEmails.Where(e => e.AnsweredStatus == 202).GroupBy(e => e.OperationId, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.OrdinalIgnoreCase);
        var repeated = 0;
        foreach (var m in sent)
        {
            switch (m.Provider)
            {
                case DomesticSmsClient.ProviderName:
                    var d = Assert.Contains(DomesticSmsClient.IdempotencyKeyFor(m.MessageId), (IDictionary<string, List<FakeDomesticSms>>)domesticByKey);
                    Assert.Equal([m.ProviderMessageId], d.Select(r => r.ProviderId).Distinct());
                    repeated += d.Count > 1 ? 1 : 0;
                    break;
                case AcsSmsClient.ProviderName:
                    var s = Assert.Contains(AcsSmsClient.RepeatabilityRequestId(m.MessageId).ToString(), (IDictionary<string, List<FakeAcsSms>>)smsByKey);
                    Assert.Equal([m.ProviderMessageId], s.Select(r => r.AnsweredMessageId).Distinct());
                    Assert.Single(s.Select(r => r.RepeatabilityFirstSent).Distinct()); // ACS recognises a repeat by id and first-sent time
                    repeated += s.Count > 1 ? 1 : 0;
                    break;
                default:
                    var e = Assert.Contains(AcsEmailClient.OperationId(m.MessageId).ToString(), (IDictionary<string, List<FakeAcsEmail>>)emailByKey);
                    repeated += e.Count > 1 ? 1 : 0;
                    break;
            }
        }

        Assert.Equal(sent.Count, domesticByKey.Count + smsByKey.Count + emailByKey.Count); // nothing taken that no message owns
        return (sent.Count, repeated);
    }

    /// <summary>A settled run: its cases and messages, described without ids (they differ by tenant and nonce) for comparison.</summary>
    private sealed record Run(IReadOnlyList<CaseData> Cases, IReadOnlyList<MessageRecord> Messages)
    {
        private static string Key(CaseData c) => $"{c.Event.Kind} of {c.Event.ResidentId} on {c.Event.EventDate:yyyy-MM-dd}";

        public IReadOnlyList<string> DescribeCases() =>
        [
            .. Cases.Select(c =>
                $"{Key(c)}: {c.State} {c.Outcome} {c.EscalationReason}; services {string.Join(' ', c.Matches.Select(m => m.ServiceId).Order(StringComparer.Ordinal))}; " +
                $"deliveries {string.Join(' ', c.Deliveries.Select(d => $"{d.Purpose}/{d.ResidentId}/{d.Channel}/{d.State}").Order(StringComparer.Ordinal))}")
                .Order(StringComparer.Ordinal),
        ];

        public IReadOnlyList<string> DescribeMessages()
        {
            var cases = Cases.ToDictionary(c => c.CaseId, StringComparer.Ordinal);
            return
            [
                .. Messages.Select(m => $"{(cases.TryGetValue(m.CaseId, out var c) ? Key(c) : "no case")}: {m.Purpose} to {m.ResidentId} by {m.Channel} via {m.Provider}, {m.Status.ToWireName()}")
                    .Order(StringComparer.Ordinal),
            ];
        }
    }
}
