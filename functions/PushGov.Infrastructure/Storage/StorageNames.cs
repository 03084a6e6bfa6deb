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

        /// <summary>Blob receipts of the local trigger host (like the Functions host's azure-webjobs-hosts).</summary>
        public const string Hosts = "azure-webjobs-hosts";

        public static readonly IReadOnlyList<string> All = [Drops, DropReports, Letters, Hosts];
    }

    public static class Queues
    {
        /// <summary>Case workflow steps: each message carries ids only.</summary>
        public const string CaseSteps = "case-steps";

        /// <summary>Messages to send: each carries the message id only; the sender reloads the row.</summary>
        public const string Send = "send";

        /// <summary>Blob-created notifications for drops (Event Grid in Azure; the local trigger host locally).</summary>
        public const string Drops = "drops";

        public static readonly IReadOnlyList<string> All = [CaseSteps, Send, Drops];

        public static string Poison(string queue) => queue + "-poison";
    }

    public static class Tables
    {
        public const string Tenants = "tenants";
        public const string ApiKeys = "apikeys";
        public const string Residents = "residents";
        public const string Households = "households";
        public const string Facts = "facts";
        public const string Contacts = "contacts";
        public const string Drops = "drops";
        public const string Events = "events";
        public const string Cases = "cases";
        public const string CaseHistory = "casehistory";
        public const string Timers = "timers";
        public const string Messages = "messages";
        public const string Sink = "devsink";
        public const string Audit = "audit";

        public static readonly IReadOnlyList<string> All =
            [Tenants, ApiKeys, Residents, Households, Facts, Contacts, Drops, Events, Cases, CaseHistory, Timers, Messages, Sink, Audit];
    }
}
