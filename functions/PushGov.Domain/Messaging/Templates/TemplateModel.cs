namespace PushGov.Domain.Messaging.Templates;

/// <summary>
/// The values a template may show. Templates name them in snake_case (<c>{{ first_name }}</c>); every
/// field a template names is required, and a missing one is an error at render time that names the template
/// and the field (see <see cref="TemplateFields"/>). Values are data: they are never parsed as templates,
/// they are HTML-escaped in HTML e-mail and shown as they are elsewhere.
/// Personal data here (names, address) must never be logged in clear.
/// </summary>
public sealed record TemplateModel
{
    /// <summary><c>first_name</c>: the given name only (名), never the full name.</summary>
    public string? FirstName { get; init; }

    /// <summary><c>family_name</c>: the family name (氏); letters only, never SMS.</summary>
    public string? FamilyName { get; init; }

    /// <summary><c>service_name</c>: overrides the catalog's name for the service in the rendered language.</summary>
    public string? ServiceName { get; init; }

    /// <summary><c>municipality</c>: who is writing, e.g. 福岡市 (so the resident can trust the message).</summary>
    public string? Municipality { get; init; }

    /// <summary><c>deadline</c> (西暦 in the message's language) and <c>deadline_wareki</c> (和暦, e.g. 令和8年12月7日).</summary>
    public DateOnly? Deadline { get; init; }

    /// <summary><c>amount</c>: yen, shown with thousands separators (15,000円 / ¥15,000). Never in SMS.</summary>
    public long? AmountYen { get; init; }

    /// <summary><c>portal_url</c>: where to apply online (how to apply).</summary>
    public Uri? PortalUrl { get; init; }

    /// <summary><c>counter</c>: where to apply in person (窓口), e.g. 中央区役所 子育て支援課 (3階).</summary>
    public string? Counter { get; init; }

    /// <summary><c>case_url</c>: the case-specific portal link.</summary>
    public Uri? CaseUrl { get; init; }

    /// <summary><c>unsubscribe_url</c>: how to stop these e-mails (every e-mail template must show it).</summary>
    public Uri? UnsubscribeUrl { get; init; }

    /// <summary>The letter's recipient; required for <see cref="Residents.Channel.Post"/> (the address block).</summary>
    public PostalAddress? PostalAddress { get; init; }
}

/// <summary>A message rendered from a template, ready to become an <see cref="OutgoingMessage"/>.</summary>
/// <param name="Subject">E-mail subject, letter title, or the label of a LINE message's button; null for SMS.</param>
/// <param name="Text">Plain text: the SMS body, the e-mail text part, the LINE text message, or the letter (address block first).</param>
/// <param name="Html">The HTML e-mail part; null for SMS and letters.</param>
/// <param name="Language">The language actually used after the fallback chain (BCP 47).</param>
/// <param name="TemplateVersion">Template id and content hash, e.g. <c>jidou-teate/sms/ja@1a2b3c4d</c>.</param>
/// <param name="Sms">Encoding and fragment count of an SMS body; null otherwise.</param>
/// <param name="HtmlBody">What <paramref name="Html"/> holds inside its &lt;body&gt;, so a message of several services joins them into one document; null with no HTML part.</param>
public sealed record RenderedMessage(
    string? Subject,
    string Text,
    string? Html,
    string Language,
    string TemplateVersion,
    SmsCount? Sms = null,
    string? HtmlBody = null);

/// <summary>
/// Worst-case sizes used to refuse, at load time, an SMS template that could exceed its limit: every SMS
/// template is rendered with values of these lengths and must stay within <see cref="MaxSmsCharacters"/>
/// (UCS-2) and <see cref="MaxSmsParts"/>.
/// </summary>
public sealed record TemplateLimits
{
    public static TemplateLimits Default { get; } = new();

    public int MaxFirstNameLength { get; init; } = 20;

    public int MaxMunicipalityLength { get; init; } = 10;

    public int MaxUrlLength { get; init; } = 100;

    public int MaxCounterLength { get; init; } = 40;

    public int MaxSmsCharacters { get; init; } = SmsFragments.MaxJapaneseCharacters;

    public int MaxSmsParts { get; init; } = SmsFragments.MaxJapaneseCharacters / SmsFragments.Ucs2PerPart;

    /// <summary>A LINE text message: 5,000 characters at most (LINE's limit; ours are far shorter). Counted in UTF-16 units, which is never fewer.</summary>
    public int MaxLineCharacters
    {
        get => maxLineCharacters;
        init => maxLineCharacters = Math.Min(value, LineTextLimit);
    }

    private readonly int maxLineCharacters = LineTextLimit;

    /// <summary>LINE's limit for a text message.</summary>
    public const int LineTextLimit = 5000;

    /// <summary>LINE's limit for the label of an action (the button of the card).</summary>
    public const int MaxLineButtonLabel = 20;

    internal bool Allows(SmsCount count) =>
        count.Parts <= MaxSmsParts && (count.Encoding != SmsEncoding.Ucs2 || count.Units <= MaxSmsCharacters);
}

/// <summary>A template file or template that cannot be used; the message names the file and template.</summary>
public sealed class TemplateLoadException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A template that could not be rendered for a model; the message names the template and field.</summary>
public sealed class TemplateRenderException(string templateId, string message, Exception? inner = null)
    : Exception($"Template {templateId}: {message}", inner)
{
    public string TemplateId { get; } = templateId;
}

/// <summary>Turns a rendered message into the outbox's <see cref="OutgoingMessage"/>.</summary>
public static class RenderedMessageExtensions
{
    public static OutgoingMessage ToOutgoingMessage(
        this RenderedMessage rendered,
        string tenant,
        string messageId,
        string idempotencyKey,
        Residents.Channel channel,
        string to)
    {
        ArgumentNullException.ThrowIfNull(rendered);
        return new OutgoingMessage
        {
            Tenant = tenant,
            MessageId = messageId,
            IdempotencyKey = idempotencyKey,
            Channel = channel,
            To = to,
            Subject = rendered.Subject,
            TextBody = rendered.Text,
            HtmlBody = rendered.Html,
            Language = rendered.Language,
            TemplateVersion = rendered.TemplateVersion,
        };
    }
}
