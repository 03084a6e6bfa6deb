using PushGov.Domain.Cases;

namespace PushGov.Domain.Messaging;

/// <summary>A message rendered from its template for one delivery of a case.</summary>
public sealed record ComposedMessage(string? Subject, string Text, string? Html, string Language, string TemplateVersion);

/// <summary>Renders the message a delivery of a case sends (templates per service, channel and language).</summary>
public interface IMessageComposer
{
    ComposedMessage Compose(string tenant, CaseData c, Delivery delivery);
}
