namespace PushGov.Infrastructure.Storage;

/// <summary>
/// Every container, queue and table the app uses. The Bicep templates under infra/ must provide each one
/// (a test checks there is no drift), and the app also creates any that are missing at start.
/// </summary>
public static class StorageNames
{
    public static class Containers
    {
        /// <summary>Municipal exports land here: <c>drops/{tenant}/{dataset}/{file}.csv</c>.</summary>
        public const string Drops = "drops";

        /// <summary>One JSON report per drop, at the same path as the drop with <c>.report.json</c>.</summary>
        public const string DropReports = "drop-reports";

        /// <summary>Daily letter batches for the print vendor.</summary>
        public const string Letters = "letters";

        /// <summary>Blob receipts and timer locks of the Functions host (and of the local host, which plays it).</summary>
        public const string Hosts = "azure-webjobs-hosts";

        /// <summary>PushGov's own state blobs: per-tenant resident fingerprints for snapshot diffing.</summary>
        public const string State = "pushgov-state";

        /// <summary>
        /// One-step applications (申請不要) handed to the back office: <c>applications/{tenant}/{service}/{yyyy-MM-dd}/{applicationId}.json</c>
        /// and the day's batch <c>applications/{tenant}/{service}/{yyyy-MM-dd}.csv</c> for the 基幹システム.
        /// </summary>
        public const string Applications = "applications";

        public static readonly IReadOnlyList<string> All = [Drops, DropReports, Letters, Hosts, State, Applications];
    }

    public static class Queues
    {
        /// <summary>Messages to send: each carries the message id only; the sender reloads the row.</summary>
        public const string Send = "send";

        /// <summary>Blobs the blob trigger gave up on after 5 tries (the Functions host's name).</summary>
        public const string BlobPoison = "webjobs-blobtrigger-poison";

        public static readonly IReadOnlyList<string> All = [Send];

        public static string Poison(string queue) => queue + "-poison";
    }

    public static class Tables
    {
        public const string Tenants = "tenants";
        public const string ApiKeys = "apikeys";

        /// <summary>Persons by household: PartitionKey <c>{tenant}-{householdId}</c>, RowKey residentId.</summary>
        public const string Residents = "residents";

        /// <summary>ResidentId → household: PartitionKey tenant, RowKey residentId.</summary>
        public const string ResidentIndex = "residentindex";

        /// <summary>Birthday index for the age sweep: PartitionKey <c>{tenant}-{MMDD}</c>, RowKey residentId.</summary>
        public const string Birthdays = "birthdays";

        /// <summary>Facts per resident or household (tax, pregnancy, disaster, contacts): PartitionKey tenant, RowKey <c>r:{residentId}|…</c> or <c>h:{householdId}|…</c>.</summary>
        public const string Facts = "facts";

        /// <summary>Drops seen, by content hash: PartitionKey tenant, RowKey <c>{dataset}-{sha256}</c>.</summary>
        public const string Drops = "drops";
        public const string Events = "events";
        public const string Cases = "cases";
        public const string CaseHistory = "casehistory";
        public const string Messages = "messages";
        public const string Sink = "devsink";
        public const string Audit = "audit";

        /// <summary>Send-rate limiter states (one row per provider number and channel, one per tenant's daily cap), ETag-guarded.</summary>
        public const string Pacing = "pacing";

        /// <summary>Lookups for provider callbacks: provider message id → message, hashed phone → residents we sent an SMS.</summary>
        public const string SendIndex = "sendindex";

        /// <summary>Residents' signed links: revocations (PartitionKey tenant, RowKey <c>revoked|{caseId}|{residentTag}</c>).</summary>
        public const string ResidentLinks = "residentlinks";

        /// <summary>
        /// One-step applications claimed, by id (the idempotency key): PartitionKey tenant, RowKey applicationId, the
        /// application document as first confirmed. It fixes the day (and so the file) an application is handed over on.
        /// Partition <c>~pending</c> holds the marks of hand-overs not finished yet, which the <c>Sweep</c> finishes
        /// (<c>ApplicationHandOver</c>).
        /// </summary>
        public const string Applications = "applications";

        public static readonly IReadOnlyList<string> All =
            [Tenants, ApiKeys, Residents, ResidentIndex, Birthdays, Facts, Drops, Events, Cases, CaseHistory, Messages, Sink, Audit, Pacing, SendIndex, ResidentLinks, Applications];
    }
}
