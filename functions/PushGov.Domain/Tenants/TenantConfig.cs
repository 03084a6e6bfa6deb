namespace PushGov.Domain.Tenants;

/// <summary>
/// One municipality's configuration. Validated with <see cref="Validate"/>; every error names its field.
/// </summary>
public sealed record TenantConfig
{
    /// <summary>全国地方公共団体コード (6 digits with check digit).</summary>
    public required string Code { get; init; }

    public required string Name { get; init; }

    /// <summary>Base URL of the residents' portal; messages link to <c>{PortalBaseUrl}/r/{tenant}/{caseId}/{token}</c> (a signed link, <see cref="Residents.ResidentLinkSigner"/>).</summary>
    public string PortalBaseUrl { get; init; } = "https://portal.example.jp";

    /// <summary>A resident's link to their case works until the case's latest deadline plus this many days (Asia/Tokyo).</summary>
    public int ResidentLinkDaysAfterDeadline { get; init; } = 30;

    /// <summary>SMS waits outside these hours (Asia/Tokyo): from <see cref="QuietHoursStart"/> to <see cref="QuietHoursEnd"/>.</summary>
    public TimeOnly QuietHoursStart { get; init; } = new(21, 0);

    public TimeOnly QuietHoursEnd { get; init; } = new(8, 0);

    /// <summary>Messages per day the tenant may send (all channels); 0 = no cap.</summary>
    public int DailyCap { get; init; }

    public int ReminderDaysBeforeDeadline { get; init; } = 5;

    public int EscalateDaysBeforeDeadline { get; init; } = 2;

    /// <summary>How long message bodies are kept.</summary>
    public int RetainMessageBodiesDays { get; init; } = 90;

    /// <summary>How long closed cases (and their history) are kept.</summary>
    public int RetainCasesYears { get; init; } = 5;

    /// <summary>SMS sender id / number and e-mail sender address the tenant sends from.</summary>
    public string? SmsFrom { get; init; }

    public string? EmailSender { get; init; }

    /// <summary>How this tenant's exports look: pinned encoding, header and code maps, check digits.</summary>
    public Drops.DropOptions Drops { get; init; } = PushGov.Domain.Drops.DropOptions.Default;

    /// <summary>How SMS and e-mail name a resident whose name has a 外字 the 外字 table does not map (kana reading by default).</summary>
    public Messaging.UnmappedGaijiRule UnmappedGaijiName { get; init; } = Messaging.UnmappedGaijiRule.Kana;

    /// <summary>Send for real (true) or only to the development sink (false, the default until a vendor switches it on).</summary>
    public bool LiveSending { get; init; }

    /// <summary>
    /// The digital channels in the order a resident is contacted: the first one the resident has an address for and
    /// consented to (and that is available: LINE connected and its monthly quota not nearly spent) is used; post comes
    /// after all of them. Each of line, sms and email at most once; post is not listed (it is always the last resort).
    /// </summary>
    public IReadOnlyList<Residents.Channel> ChannelOrder { get; init; } = DefaultChannelOrder;

    /// <summary>LINE is no longer used for new messages once this percentage of the month's message quota is consumed (1–100).</summary>
    public int LineQuotaStopPercent { get; init; } = 95;

    public static IReadOnlyList<Residents.Channel> DefaultChannelOrder { get; } = [Residents.Channel.Line, Residents.Channel.Sms, Residents.Channel.Email];

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!TenantCode.TryParse(Code, out _))
        {
            errors.Add("code: a 6-digit local government code (全国地方公共団体コード) with a valid check digit, e.g. 401307.");
        }

        if (string.IsNullOrWhiteSpace(Name) || Name.Length > 100)
        {
            errors.Add("name: required, at most 100 characters.");
        }

        if (!Uri.TryCreate(PortalBaseUrl, UriKind.Absolute, out var portal) || portal.Scheme != Uri.UriSchemeHttps)
        {
            errors.Add("portalBaseUrl: an absolute https URL.");
        }

        if (QuietHoursStart == QuietHoursEnd)
        {
            errors.Add("quietHoursStart/quietHoursEnd: must differ (use 00:00–00:01 for almost none).");
        }

        if (DailyCap < 0)
        {
            errors.Add("dailyCap: 0 (no cap) or more.");
        }

        if (ReminderDaysBeforeDeadline is < 1 or > 60)
        {
            errors.Add("reminderDaysBeforeDeadline: 1 to 60.");
        }

        if (EscalateDaysBeforeDeadline < 0 || EscalateDaysBeforeDeadline >= ReminderDaysBeforeDeadline)
        {
            errors.Add("escalateDaysBeforeDeadline: 0 or more, and fewer than reminderDaysBeforeDeadline.");
        }

        if (RetainMessageBodiesDays is < 1 or > 3650)
        {
            errors.Add("retainMessageBodiesDays: 1 to 3650.");
        }

        if (RetainCasesYears is < 1 or > 30)
        {
            errors.Add("retainCasesYears: 1 to 30.");
        }

        if (EmailSender is { } sender && !System.Net.Mail.MailAddress.TryCreate(sender, out _))
        {
            errors.Add("emailSender: an e-mail address.");
        }

        errors.AddRange(PushGov.Domain.Drops.GaijiTable.Validate(Drops.Gaiji).Select(e => $"drops.{e}."));
        if (ChannelOrder is null || ChannelOrder.Count == 0
            || ChannelOrder.Any(c => c is not (Residents.Channel.Line or Residents.Channel.Sms or Residents.Channel.Email))
            || ChannelOrder.Distinct().Count() != ChannelOrder.Count)
        {
            errors.Add("channelOrder: one or more of line, sms, email, each at most once (post is always the last resort and is not listed).");
        }

        if (LineQuotaStopPercent is < 1 or > 100)
        {
            errors.Add("lineQuotaStopPercent: 1 to 100.");
        }

        if (ResidentLinkDaysAfterDeadline is < 0 or > 3650)
        {
            errors.Add("residentLinkDaysAfterDeadline: 0 to 3650.");
        }

        return errors;
    }
}
