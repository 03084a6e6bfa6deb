using System.Diagnostics;
using System.Text;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using PushGov.Domain.Cases;
using PushGov.Domain.Drops;
using PushGov.Domain.Messaging;
using PushGov.Domain.Messaging.Statuses;
using PushGov.Domain.Tenants;
using PushGov.Infrastructure.Cases;
using PushGov.Infrastructure.Notifications.Outbox;
using PushGov.Infrastructure.Notifications.Providers.Acs;
using PushGov.Infrastructure.Notifications.Providers.DomesticSms;
using PushGov.Infrastructure.Storage;
using PushGov.Infrastructure.Tenants;
using PushGov.Testing;
using PushGov.Testing.Fakes;

namespace PushGov.Drills;

/// <summary>
/// The system a drill works on, seen from outside: a real Azurite keeping its data in a folder of its own (removed at the
/// end), the fake ACS and the fake domestic SMS provider (HTTP servers on loopback that check signatures), and PushGov on
/// the local host as a child process sending to them for real. The drill drops files into storage and reads the app's
/// tables, as a municipality and the staff portal would; it never calls into the app's process.
/// </summary>
public sealed class DrillSystem : IAsyncDisposable
{
    /// <summary>The pepper of the host's API key hashes (<see cref="PushGov.Infrastructure.Tenants.ApiKeyStore"/>), for keys a drill creates.</summary>
    public const string ApiKeyPepper = "drill-pepper-0123456789";

    private const string AcsSmsFrom = "+18005550100";

    /// <summary>How long a step may go on with no progress, at the least (a killed host's queue messages come back after 20 s, stuck sends after the sweep).</summary>
    private static readonly TimeSpan MinimumDeadline = TimeSpan.FromMinutes(4);

    private readonly string _location;
    private readonly TextWriter _log;
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    private DrillSystem(string location, Azurite azurite, FakeAcs acs, FakeDomesticSmsProvider domestic, LocalHostProcess host, TextWriter log)
    {
        (_location, Azurite, Acs, Domestic, Host, _log) = (location, azurite, acs, domestic, host, log);
        Storage = StorageClients.FromConnectionString(azurite.ConnectionString);
    }

    public Azurite Azurite { get; }

    public FakeAcs Acs { get; }

    public FakeDomesticSmsProvider Domestic { get; }

    public LocalHostProcess Host { get; }

    public StorageClients Storage { get; }

    /// <summary>Since the system was started.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>How long a step may wait for the app with no progress, for a drop of <see cref="DrillOptions.Rows"/> rows.</summary>
    public TimeSpan Deadline { get; private init; } = MinimumDeadline;

    /// <summary>
    /// Starts Azurite (in a new temporary folder), the fakes and the local host (not yet running: <see cref="LocalHostProcess.Start"/>);
    /// <paramref name="settings"/> replace or add to the host's settings.
    /// </summary>
    public static async Task<DrillSystem> StartAsync(int rows, TextWriter log, CancellationToken ct, IReadOnlyDictionary<string, string>? settings = null)
    {
        var location = Path.Combine(Path.GetTempPath(), $"pushgov-drill-{Guid.NewGuid():N}");
        var azurite = await Azurite.StartAsync(location, ct);
        var storage = StorageClients.FromConnectionString(azurite.ConnectionString);
        await storage.EnsureCreatedAsync(ct);
        var acs = await FakeAcs.StartAsync();
        var domestic = await FakeDomesticSmsProvider.StartAsync();
        var hostSettings = new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["PushGov__ApiKeyPepper"] = ApiKeyPepper,
            ["PushGov__ResidentLinks__Key"] = "drill-resident-link-key-0123456789",
            ["PushGov__TaskHub"] = "drill" + Guid.NewGuid().ToString("N")[..12],
            ["PushGov__Acs__ConnectionString"] = acs.ConnectionString,
            ["PushGov__Acs__SmsFrom"] = AcsSmsFrom,
            ["PushGov__Acs__EmailSender"] = "DoNotReply@pushgov.example.jp",
            ["PushGov__DomesticSms__Endpoint"] = domestic.Endpoint.AbsoluteUri,
            ["PushGov__DomesticSms__Secret"] = domestic.Secret,

            // A send cut short by a kill waits in 'sending' for the sweep (every minute); 10 minutes by default.
            ["PushGov__Sending__StuckAfter"] = "00:00:20",

            // Durable Task's messages taken by a killed host (an activity in flight, an orchestration's inputs) come back
            // after these; 5 minutes by default (as in Azure), so a crash there delays its cases that long. With 20 s for the
            // control queues, on a machine loaded far beyond its cores (load 30 on 2), orchestration messages came back while
            // their episode still ran (dequeue counts up to 5 in the host's log), and the retries and conflicting completions
            // (handled, nothing lost) slowed the cases several times over: the control queues get 60 s.
            ["AzureFunctionsJobHost__extensions__durableTask__storageProvider__controlQueueVisibilityTimeout"] = "00:01:00",
            ["AzureFunctionsJobHost__extensions__durableTask__storageProvider__workItemQueueVisibilityTimeout"] = "00:00:20",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            hostSettings[key] = value;
        }

        var host = new LocalHostProcess(hostSettings);
        await log.WriteLineAsync($"storage: Azurite in {location}; host output: {host.LogPath}");
        return new DrillSystem(location, azurite, acs, domestic, host, log)
        {
            Deadline = MinimumDeadline + TimeSpan.FromSeconds(2 * rows),
        };
    }

    /// <summary>A progress line, with the time since the start.</summary>
    public Task LogAsync(string line) => _log.WriteLineAsync($"{Elapsed.TotalSeconds,6:F0} s: {line}");

    /// <summary>Creates a new tenant sending for real, with its SMS quiet hours away from now.</summary>
    public async Task<string> CreateLiveTenantAsync(CancellationToken ct)
    {
        var tenant = TestTenants.Next();
        await new TenantStore(Storage).SaveAsync(
            TestTenants.QuietHoursAwayFromNow(new TenantConfig { Code = tenant, Name = "テスト市", LiveSending = true }),
            create: true,
            ct);
        return tenant;
    }

    /// <summary>Uploads a drop (replacing any blob of that name) to <c>drops/{tenant}/{dataset}/{file}</c>.</summary>
    public Task PutAsync(string tenant, string dataset, string file, string csv, CancellationToken ct) =>
        Storage.Container(StorageNames.Containers.Drops).GetBlobClient($"{tenant}/{dataset}/{file}")
            .UploadAsync(new BinaryData(Encoding.UTF8.GetBytes(csv)), overwrite: true, ct);

    /// <summary>
    /// Uploads a drop and waits for its finished report (one without progress); a report of an earlier upload of the same
    /// name is removed first, so the one waited for is this upload's.
    /// </summary>
    public async Task<DropReport> DropAsync(string tenant, string dataset, string file, string csv, CancellationToken ct)
    {
        await ReportBlob(tenant, dataset, file).DeleteIfExistsAsync(cancellationToken: ct);
        await PutAsync(tenant, dataset, file, csv, ct);
        return await ReportAsync(tenant, dataset, file, ct);
    }

    /// <summary>Waits for the finished report (one without progress) of the drop at <c>drops/{tenant}/{dataset}/{file}</c>.</summary>
    public async Task<DropReport> ReportAsync(string tenant, string dataset, string file, CancellationToken ct)
    {
        var report = ReportBlob(tenant, dataset, file);
        DropReport? finished = null;
        await UntilAsync(
            async () =>
            {
                if (!await report.ExistsAsync(ct))
                {
                    return false;
                }

                var read = DropReport.FromJson((await report.DownloadContentAsync(ct)).Value.Content.ToString());
                finished = read.Progress is null ? read : null;
                return finished is not null;
            },
            $"the report of the {dataset} drop {file}",
            ct);
        return finished!;
    }

    private BlobClient ReportBlob(string tenant, string dataset, string file) =>
        Storage.Container(StorageNames.Containers.DropReports).GetBlobClient($"{tenant}/{dataset}/{file}.report.json");

    public async Task<int> CountCasesAsync(string tenant, CancellationToken ct)
    {
        var count = 0;
        await foreach (var _ in Storage.Table(StorageNames.Tables.Cases).QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {tenant}"), select: ["RowKey"], cancellationToken: ct))
        {
            count++;
        }

        return count;
    }

    /// <summary>
    /// Polls <paramref name="condition"/> often (a kill should land mid-work) until it holds; fails when the host dies by
    /// itself, or when <see cref="Deadline"/> passes with no progress: with <paramref name="state"/> given, each change of
    /// the state it describes (counts of what is still pending) is progress and starts the deadline again, so a slow
    /// machine is not taken for a hung app.
    /// </summary>
    public async Task UntilAsync(Func<Task<bool>> condition, string what, CancellationToken ct, Func<string>? state = null)
    {
        var clock = Stopwatch.StartNew();
        var last = state?.Invoke();
        while (!await condition())
        {
            if (Host.ExitedByItself)
            {
                throw new DrillFailedException($"The host exited by itself while waiting for {what}.\nLast lines of its output:\n{Host.Tail()}");
            }

            if (state?.Invoke() is { } now && now != last)
            {
                (last, clock) = (now, Stopwatch.StartNew());
            }

            if (clock.Elapsed > Deadline)
            {
                throw new DrillFailedException($"Waited {Deadline.TotalSeconds:0} s for {what} with no progress; it did not happen. {last}\nLast lines of the host's output:\n{Host.Tail()}");
            }

            await Task.Delay(25, ct);
        }
    }

    /// <summary>
    /// Waits until the tenant's run has settled: the births drop is completed and its events all have cases, none is still
    /// matching or resolving, every message a case owes exists, each is final or taken by its provider, and each open case
    /// has learned the fate of its messages that have one.
    /// </summary>
    public async Task<DrillRun> SettledAsync(string tenant, DateTimeOffset since, CancellationToken ct)
    {
        DrillRun? run = null;
        var pending = "Nothing was read.";
        await UntilAsync(
            async () =>
            {
                var events = 0;
                await foreach (var drop in Storage.Table(StorageNames.Tables.Drops).QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {tenant}"), cancellationToken: ct))
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
                await foreach (var c in new CaseStore(Storage).ListWrittenSinceAsync(tenant, since, ct))
                {
                    cases.Add(c);
                }

                var unsettled = cases.Where(c => c.State is CaseState.Detected or CaseState.Matched).ToList();
                if (events == 0 || cases.Count < events || unsettled.Count > 0)
                {
                    pending = $"{events} events, {cases.Count} cases; {unsettled.Count} not past matching: {string.Join(", ", unsettled.Take(20).Select(c => $"{c.CaseId} ({c.State})"))}.";
                    return false;
                }

                var messages = new List<MessageRecord>();
                await foreach (var m in new MessageStore(Storage).ListCreatedSinceAsync(tenant, since, ct))
                {
                    messages.Add(m);
                }

                var unsent = messages.Where(m => !(m.Status.IsFinal() || (m.Status == NotificationStatus.Sending && m.ProviderMessageId is not null))).ToList();
                if (messages.Count < cases.Sum(c => c.Deliveries.Count) || unsent.Count > 0)
                {
                    pending = $"{messages.Count} of {cases.Sum(c => c.Deliveries.Count)} messages; {unsent.Count} not taken yet: {string.Join(", ", unsent.Take(20).Select(m => $"{m.CaseId}/{m.Channel} {m.Status.ToWireName()} ({m.Attempts} attempts, updated {m.UpdatedAt:HH:mm:ss})"))}.";
                    return false;
                }

                // A closed case takes no more inputs, delivery reports included (CaseWorkflow refuses them): a letter that
                // went out before a resident's "applied" closed the case stays pending there; its message says delivered.
                var byId = messages.ToDictionary(m => m.MessageId, StringComparer.Ordinal);
                var unlearned = cases.Where(c => c.State != CaseState.Closed).SelectMany(c => c.Deliveries.Select(d => (Case: c, Delivery: d)))
                    .Where(x => byId.TryGetValue(x.Delivery.MessageId, out var m) && Fate(m.Status) is { } fate && x.Delivery.State != fate)
                    .ToList();
                if (unlearned.Count > 0)
                {
                    pending = $"{unlearned.Count} cases not told their messages' fate: {string.Join(", ", unlearned.Take(20).Select(x => $"{x.Case.CaseId} ({x.Delivery.Channel} {byId[x.Delivery.MessageId].Status.ToWireName()}, case says {x.Delivery.State})"))}.";
                    return false;
                }

                run = new DrillRun(cases, messages);
                return true;
            },
            $"every case of tenant {tenant} to settle",
            ct,
            () => pending);
        return run!;
    }

    /// <summary>What a case's delivery says once the message's status is final; null while it is not.</summary>
    private static DeliveryState? Fate(NotificationStatus status) =>
        status == NotificationStatus.Delivered ? DeliveryState.Delivered
        : status == NotificationStatus.Cancelled ? DeliveryState.Cancelled
        : status.IsFailed() ? DeliveryState.Failed
        : null;

    public static bool IsProvider(string? provider) =>
        provider is DomesticSmsClient.ProviderName or AcsSmsClient.ProviderName or AcsEmailClient.ProviderName;

    /// <summary>Keys the providers took (answered with an id), by provider.</summary>
    public HashSet<string> TakenKeys() =>
    [
        .. Domestic.Received.Where(r => r.ProviderId is not null).Select(r => "domestic:" + r.IdempotencyKey),
        .. Acs.ReceivedSms.Where(s => s.AnsweredMessageId is not null).Select(s => "acs-sms:" + s.RepeatabilityRequestId.ToLowerInvariant()),
        .. Acs.ReceivedEmails.Where(e => e.AnsweredStatus == 202).Select(e => "acs-email:" + e.OperationId.ToLowerInvariant()),
    ];

    /// <summary>
    /// Checks that every message sent through a provider was taken under the key its id gives, under one provider id (a
    /// repeat gets the first answer back), with the same first-attempt time on every ACS SMS attempt; that no key belongs
    /// to no message; and that the fakes refused no signature. Returns the problems found and how many keys were sent more
    /// than once (repeats the provider recognised by key).
    /// </summary>
    public (IReadOnlyList<string> Problems, int Keys, int Repeated) CheckEachTakenOnce(IReadOnlyList<MessageRecord> messages)
    {
        var problems = new List<string>();
        var sent = messages.Where(m => IsProvider(m.Provider)).ToList();
        var domesticByKey = Domestic.Received.Where(r => r.ProviderId is not null).GroupBy(r => r.IdempotencyKey, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var smsByKey = Acs.ReceivedSms.Where(s => s.AnsweredMessageId is not null).GroupBy(s => s.RepeatabilityRequestId, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.OrdinalIgnoreCase);
        var emailByKey = Acs.ReceivedEmails.Where(e => e.AnsweredStatus == 202).GroupBy(e => e.OperationId, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.OrdinalIgnoreCase);
        var repeated = 0;
        foreach (var m in sent)
        {
            switch (m.Provider)
            {
                case DomesticSmsClient.ProviderName:
                    if (!domesticByKey.TryGetValue(DomesticSmsClient.IdempotencyKeyFor(m.MessageId), out var d))
                    {
                        problems.Add($"lost: message {m.MessageId} (domestic SMS) never reached the provider");
                        break;
                    }

                    if (d.Select(r => r.ProviderId).Distinct().ToList() is not [var one] || one != m.ProviderMessageId)
                    {
                        problems.Add($"duplicate: message {m.MessageId} (domestic SMS) got provider ids {string.Join(", ", d.Select(r => r.ProviderId).Distinct())}, the message says {m.ProviderMessageId}");
                    }

                    repeated += d.Count > 1 ? 1 : 0;
                    break;
                case AcsSmsClient.ProviderName:
                    if (!smsByKey.TryGetValue(AcsSmsClient.RepeatabilityRequestId(m.MessageId).ToString(), out var s))
                    {
                        problems.Add($"lost: message {m.MessageId} (ACS SMS) never reached the provider");
                        break;
                    }

                    if (s.Select(r => r.AnsweredMessageId).Distinct().ToList() is not [var answered] || answered != m.ProviderMessageId)
                    {
                        problems.Add($"duplicate: message {m.MessageId} (ACS SMS) got message ids {string.Join(", ", s.Select(r => r.AnsweredMessageId).Distinct())}, the message says {m.ProviderMessageId}");
                    }

                    // ACS recognises a repeat by id and first-sent time together.
                    if (s.Select(r => r.RepeatabilityFirstSent).Distinct().Count() != 1)
                    {
                        problems.Add($"duplicate: message {m.MessageId} (ACS SMS) was sent with {s.Select(r => r.RepeatabilityFirstSent).Distinct().Count()} different first-sent times, which ACS takes as different sends");
                    }

                    repeated += s.Count > 1 ? 1 : 0;
                    break;
                default:
                    if (!emailByKey.TryGetValue(AcsEmailClient.OperationId(m.MessageId).ToString(), out var e))
                    {
                        problems.Add($"lost: message {m.MessageId} (ACS e-mail) never reached the provider");
                        break;
                    }

                    repeated += e.Count > 1 ? 1 : 0;
                    break;
            }
        }

        var taken = domesticByKey.Count + smsByKey.Count + emailByKey.Count;
        if (taken != sent.Count)
        {
            problems.Add($"duplicate: the providers took {taken} keys for {sent.Count} messages sent through them (a key no message owns)");
        }

        if (Acs.Unauthorized + Domestic.Unauthorized > 0)
        {
            problems.Add($"refused: the fake ACS refused {Acs.Unauthorized} and the domestic provider {Domestic.Unauthorized} requests for their signature");
        }

        return (problems, sent.Count, repeated);
    }

    /// <summary>CPU seconds of the host (all its starts) and of Azurite so far.</summary>
    public (double Host, double Azurite) CpuSeconds() => (Host.CpuSeconds, Azurite.CpuSeconds);

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Domestic.DisposeAsync();
        await Acs.DisposeAsync();
        await Azurite.DisposeAsync();
        try
        {
            Directory.Delete(_location, recursive: true);
        }
        catch (IOException)
        {
            // Azurite's files may linger a moment after it exits; the folder is in the temporary directory.
        }
    }
}

/// <summary>A loss, a duplicate or a hang a drill found; its message says what and where.</summary>
public sealed class DrillFailedException(string message) : Exception(message);
