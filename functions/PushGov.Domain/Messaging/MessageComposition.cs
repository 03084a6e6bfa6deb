using PushGov.Domain.Cases;
using PushGov.Domain.Messaging.Templates;
using PushGov.Domain.Residents;
using PushGov.Domain.Tenants;

namespace PushGov.Domain.Messaging;

/// <summary>
/// A message rendered from its template for one delivery of a case. <see cref="ActionLabel"/> and <see cref="ActionUrl"/>:
/// the button a LINE message shows under its text (label from the template, the resident's case page); null elsewhere.
/// </summary>
public sealed record ComposedMessage(string? Subject, string Text, string? Html, string Language, string TemplateVersion, string? ActionLabel = null, string? ActionUrl = null);

/// <summary>Renders the message a delivery of a case sends (templates per service, channel and language).</summary>
public interface IMessageComposer
{
    ComposedMessage Compose(TenantConfig tenant, CaseData c, Delivery delivery);
}

/// <summary>
/// Composes a delivery's message from the template catalog. One delivery covers every service the case offers that
/// recipient: an SMS or LINE message is the template of the most urgent service (earliest deadline; it links to the case
/// page where all are listed), an e-mail or letter has a section per service; an e-mail of several services opens with
/// their <see cref="MessageDigest"/> (subject and list). Counter and portal come from the tenant;
/// the case page is the recipient's own signed link (<see cref="ResidentLinkSigner"/>), so composing the same delivery
/// again gives the same link.
/// </summary>
public sealed class TemplateComposer(Func<string, TemplateCatalog> catalogFor, ResidentLinkSigner links, Func<string, string?>? counterFor = null) : IMessageComposer
{
    public ComposedMessage Compose(TenantConfig tenant, CaseData c, Delivery delivery)
    {
        var catalog = catalogFor(tenant.Code);
        var matches = c.Matches
            .Where(m => delivery.ServiceIds.Contains(m.ServiceId) && catalog.ServiceIds.Contains(m.ServiceId))
            .OrderBy(m => m.Deadline ?? DateOnly.MaxValue)
            .ThenBy(m => m.ServiceId, StringComparer.Ordinal)
            .ToList();
        if (matches.Count == 0)
        {
            throw new InvalidOperationException($"No template for any of the services {string.Join(", ", delivery.ServiceIds)} of case {c.CaseId}.");
        }

        var portal = new Uri(tenant.PortalBaseUrl.TrimEnd('/') + "/");
        var caseUrl = links.CaseUrl(portal, tenant.Code, c.CaseId, delivery.ResidentId, ResidentLinkSigner.LastDayFor(c, tenant.ResidentLinkDaysAfterDeadline));
        var unsubscribe = new Uri(portal, $"unsubscribe/{Uri.EscapeDataString(delivery.MessageId)}");
        var postal = delivery.Channel == Channel.Post ? Postal(delivery) : null;

        // An unmapped 外字 never reaches a screen as a box: SMS and e-mail use the kana reading (or the tenant's rule);
        // a letter keeps it for the print file, which names it for the vendor's 外字 font (LetterBatch).
        var (familyName, givenName) = delivery.Channel == Channel.Post
            ? (delivery.FamilyName, delivery.GivenName)
            : GaijiNames.ForMessage(delivery.FamilyName, delivery.GivenName, delivery.FamilyNameKana, delivery.GivenNameKana, tenant.UnmappedGaijiName);

        var parts = (delivery.Channel is Channel.Sms or Channel.Line ? matches.Take(1) : matches).Select(m =>
        {
            var model = new TemplateModel
            {
                FirstName = givenName,
                FamilyName = familyName,
                ServiceName = catalog.ServiceName(m.ServiceId, delivery.Language),
                Municipality = tenant.Name,
                Deadline = m.Deadline,
                AmountYen = m.AmountYen,
                PortalUrl = portal,
                CaseUrl = caseUrl,
                UnsubscribeUrl = unsubscribe,
                Counter = counterFor?.Invoke(m.ServiceId) ?? $"{tenant.Name}役所の窓口",
                PostalAddress = postal,
            };
            return catalog.Render(m.ServiceId, delivery.Channel, delivery.Language, model);
        }).ToList();

        var first = parts[0];
        if (delivery.Channel == Channel.Line)
        {
            // The template's "subject" is the button's label; the button opens the case page.
            return new ComposedMessage(null, first.Text, null, first.Language, first.TemplateVersion, first.Subject, caseUrl.AbsoluteUri);
        }

        if (parts.Count == 1)
        {
            return new ComposedMessage(first.Subject, first.Text, first.Html, first.Language, first.TemplateVersion);
        }

        // Several services in one e-mail or letter: each service's section, most urgent first, after a rule. An e-mail
        // opens with the digest: a subject naming the event and the earliest deadline, and the list of services.
        const string Rule = "\n\n――――――――――\n\n";
        var sections = string.Join(Rule, parts.Select(p => p.Text));
        var version = string.Join('+', parts.Select(p => p.TemplateVersion));
        if (delivery.Channel != Channel.Email)
        {
            return new ComposedMessage(first.Subject, sections, null, first.Language, version);
        }

        var digest = MessageDigest.For(
            tenant.Name,
            c.Event.Kind,
            delivery.Language,
            matches.Select(m => new DigestItem(catalog.ServiceName(m.ServiceId, delivery.Language), m.Deadline)).ToList());
        var html = HtmlEmail.Document(digest.Language, digest.Subject, digest.Html + string.Concat(parts.Select(p => "<hr>\n" + p.HtmlBody)));
        return new ComposedMessage(digest.Subject, digest.Text + Rule + sections, html, first.Language, version);
    }

    /// <summary>The postal address of a letter delivery: "{postal code}\n{address}" as the resolver writes it.</summary>
    private static PostalAddress Postal(Delivery d)
    {
        var lines = d.Address.Split('\n', 2);
        return new PostalAddress(lines.Length == 2 ? lines[0] : string.Empty, lines[^1], d.FamilyName ?? string.Empty, d.GivenName ?? string.Empty);
    }
}
