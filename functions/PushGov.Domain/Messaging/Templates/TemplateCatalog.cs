using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using PushGov.Domain.Residents;
using Scriban;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace PushGov.Domain.Messaging.Templates;

/// <summary>
/// The message templates of every service, per channel and language, loaded from YAML files a municipality
/// can edit (one file per service; the format is described in <c>Messaging/Templates/README.md</c>).
/// Loading validates every template: it parses, names only known fields, SMS templates name no personal
/// field and stay within the SMS limit with worst-case values (<see cref="TemplateLimits"/>), LINE templates
/// likewise within LINE's text limit with a button label LINE accepts, e-mail templates show the unsubscribe link. A catalog is immutable and safe to share between threads.
/// </summary>
public sealed class TemplateCatalog
{
    private const string ResourcePrefix = "PushGov.Domain.Messaging.Templates.default.";

    private static readonly IDeserializer Yaml = new DeserializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .Build();

    private static readonly Lazy<TemplateCatalog> DefaultCatalog = new(() => LoadDefaultCore(TemplateLimits.Default));

    private readonly Dictionary<string, ServiceTemplates> services;

    private TemplateCatalog(Dictionary<string, ServiceTemplates> services, TemplateLimits limits)
    {
        this.services = services;
        Limits = limits;
    }

    public TemplateLimits Limits { get; }

    /// <summary>The service ids the catalog holds.</summary>
    public IReadOnlyCollection<string> ServiceIds => services.Keys;

    /// <summary>The default catalog shipped with PushGov (embedded resources), validated once.</summary>
    public static TemplateCatalog LoadDefault(TemplateLimits? limits = null) =>
        limits is null || limits == TemplateLimits.Default ? DefaultCatalog.Value : LoadDefaultCore(limits);

    /// <summary>Every <c>*.yaml</c>/<c>*.yml</c> file of a directory (a tenant's templates).</summary>
    public static TemplateCatalog LoadFrom(string directory, TemplateLimits? limits = null)
    {
        var files = Directory.EnumerateFiles(directory)
            .Where(path => path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .Select(path => (Path.GetFileName(path), File.ReadAllText(path, Encoding.UTF8)));
        return LoadFrom(files, limits);
    }

    /// <summary>One service file from a reader.</summary>
    public static TemplateCatalog LoadFrom(TextReader reader, string fileName = "(reader)", TemplateLimits? limits = null) =>
        LoadFrom([(fileName, reader.ReadToEnd())], limits);

    /// <summary>Service files given as (file name for messages, YAML text).</summary>
    public static TemplateCatalog LoadFrom(IEnumerable<(string FileName, string Yaml)> files, TemplateLimits? limits = null)
    {
        limits ??= TemplateLimits.Default;
        var parsed = files.Select(f => ReadFile(f.FileName, f.Yaml)).ToList();
        var duplicate = parsed.GroupBy(p => p.File.Service, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new TemplateLoadException($"Service {duplicate.Key} is defined in more than one file: {string.Join(", ", duplicate.Select(d => d.FileName))}.");
        }

        // Worst case for SMS: the longest service name of the catalog in each language.
        var longestNames = parsed
            .SelectMany(p => p.File.Names)
            .GroupBy(n => n.Key, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.Select(n => n.Value).MaxBy(v => v.Length)!, StringComparer.OrdinalIgnoreCase);

        var services = parsed
            .Select(p => ServiceTemplates.Compile(p.FileName, p.File, limits, longestNames))
            .ToDictionary(s => s.ServiceId, StringComparer.Ordinal);
        return new TemplateCatalog(services, limits);
    }

    /// <summary>
    /// This catalog with <paramref name="overrides"/> laid over it: a service's languages in the override
    /// replace the same languages here (all channels of that language), other languages and services stay.
    /// Service names are merged the same way.
    /// </summary>
    public TemplateCatalog WithOverrides(TemplateCatalog overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        var merged = new Dictionary<string, ServiceTemplates>(services, StringComparer.Ordinal);
        foreach (var (id, service) in overrides.services)
        {
            merged[id] = merged.TryGetValue(id, out var existing) ? existing.OverlaidWith(service) : service;
        }

        return new TemplateCatalog(merged, Limits);
    }

    /// <summary>The languages a service has templates in.</summary>
    public IReadOnlyCollection<string> Languages(string serviceId) => Service(serviceId).Languages.Keys;

    /// <summary>The service's name in a language (after the fallback chain), from the catalog's names table.</summary>
    public string ServiceName(string serviceId, string? language) => Service(serviceId).NameIn(language);

    /// <summary>The language a message for this resident would be rendered in.</summary>
    public string ResolveLanguage(string serviceId, string? language) => Service(serviceId).Resolve(language);

    /// <summary>The model fields the template for this service, channel and language needs.</summary>
    public IReadOnlySet<string> RequiredFields(string serviceId, Channel channel, string? language)
    {
        var service = Service(serviceId);
        return service.Languages[service.Resolve(language)].For(channel).Fields;
    }

    /// <summary>
    /// Renders the template of a service for a channel in the resident's language (or the fallback chain's
    /// first language the service has). Throws <see cref="TemplateRenderException"/> naming the template and
    /// the field when the model lacks a field the template needs, or when an SMS would exceed the limit.
    /// </summary>
    public RenderedMessage Render(string serviceId, Channel channel, string? language, TemplateModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var service = Service(serviceId);
        var used = service.Resolve(language);
        return service.Languages[used].For(channel).Render(model, service.NameIn(used), Limits);
    }

    private ServiceTemplates Service(string serviceId) =>
        services.TryGetValue(serviceId, out var service)
            ? service
            : throw new KeyNotFoundException($"No templates for service {serviceId}.");

    private static TemplateCatalog LoadDefaultCore(TemplateLimits limits)
    {
        var assembly = typeof(TemplateCatalog).Assembly;
        var files = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".yaml", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n => (n[ResourcePrefix.Length..], ReadResource(assembly, n)))
            .ToList();
        if (files.Count == 0)
        {
            throw new TemplateLoadException("The default templates are not embedded in PushGov.Domain.");
        }

        return LoadFrom(files, limits);
    }

    private static string ReadResource(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private static (string FileName, ServiceFile File) ReadFile(string fileName, string yaml)
    {
        ServiceFile? file;
        try
        {
            file = Yaml.Deserialize<ServiceFile>(yaml);
        }
        catch (YamlException e)
        {
            throw new TemplateLoadException($"Template file {fileName} is not valid: {e.Message}", e);
        }

        if (file is null || string.IsNullOrWhiteSpace(file.Service))
        {
            throw new TemplateLoadException($"Template file {fileName} has no 'service' id.");
        }

        if (file.Templates.Count == 0)
        {
            throw new TemplateLoadException($"Template file {fileName} ({file.Service}) has no templates.");
        }

        return (fileName, file);
    }

    internal static string Hash(params string?[] parts)
    {
        var text = string.Join("\u0000", parts.Select(p => p ?? string.Empty));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..8];
    }

    /// <summary>One service file as written (YAML, snake_case keys; unknown keys are refused).</summary>
    internal sealed class ServiceFile
    {
        public string Service { get; set; } = string.Empty;

        public Dictionary<string, string> Names { get; set; } = [];

        public Dictionary<string, LanguageFile> Templates { get; set; } = [];
    }

    internal sealed class LanguageFile
    {
        public string? Subject { get; set; }

        public string? Sms { get; set; }

        public string? EmailText { get; set; }

        public string? EmailHtml { get; set; }

        public string? Letter { get; set; }

        public string? Line { get; set; }

        public string? LineButton { get; set; }
    }

    private sealed class ServiceTemplates(string serviceId, Dictionary<string, string> names, Dictionary<string, LanguageTemplates> languages)
    {
        public string ServiceId { get; } = serviceId;

        public Dictionary<string, string> Names { get; } = names;

        public Dictionary<string, LanguageTemplates> Languages { get; } = languages;

        public static ServiceTemplates Compile(string fileName, ServiceFile file, TemplateLimits limits, IReadOnlyDictionary<string, string> longestNames)
        {
            var names = new Dictionary<string, string>(file.Names, StringComparer.OrdinalIgnoreCase);
            var languages = new Dictionary<string, LanguageTemplates>(StringComparer.OrdinalIgnoreCase);
            foreach (var (language, templates) in file.Templates)
            {
                var name = LanguageFallback.Resolve(language, names.Keys) is { } n ? names[n] : null;
                if (name is null)
                {
                    throw new TemplateLoadException($"Template file {fileName}: service {file.Service} has no name for {language} (add it under 'names').");
                }

                var longest = longestNames.GetValueOrDefault(language) is { } l && l.Length > name.Length ? l : name;
                languages[language] = LanguageTemplates.Compile(fileName, file.Service, language, templates, limits, longest);
            }

            return new ServiceTemplates(file.Service, names, languages);
        }

        public string Resolve(string? language) =>
            LanguageFallback.Resolve(language, Languages.Keys)
            ?? throw new KeyNotFoundException($"Service {ServiceId} has no template in {language ?? "(none)"}, {LanguageFallback.EasyJapanese} or {LanguageFallback.Japanese}.");

        public string NameIn(string? language) =>
            LanguageFallback.Resolve(language, Names.Keys) is { } tag
                ? Names[tag]
                : throw new KeyNotFoundException($"Service {ServiceId} has no name in {language ?? "(none)"}.");

        public ServiceTemplates OverlaidWith(ServiceTemplates other)
        {
            var names = new Dictionary<string, string>(Names, StringComparer.OrdinalIgnoreCase);
            foreach (var (k, v) in other.Names)
            {
                names[k] = v;
            }

            var languages = new Dictionary<string, LanguageTemplates>(Languages, StringComparer.OrdinalIgnoreCase);
            foreach (var (k, v) in other.Languages)
            {
                languages[k] = v;
            }

            return new ServiceTemplates(ServiceId, names, languages);
        }
    }

    private sealed class LanguageTemplates(ChannelTemplate sms, ChannelTemplate email, ChannelTemplate post, ChannelTemplate line)
    {
        public ChannelTemplate For(Channel channel) => channel switch
        {
            Channel.Sms => sms,
            Channel.Email => email,
            Channel.Post => post,
            Channel.Line => line,
            _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, "Unknown channel."),
        };

        public static LanguageTemplates Compile(string fileName, string service, string language, LanguageFile file, TemplateLimits limits, string longestServiceName)
        {
            string Required(string? text, string key) =>
                string.IsNullOrWhiteSpace(text)
                    ? throw new TemplateLoadException($"Template file {fileName}: {service}/{language} has no '{key}'.")
                    : text;

            var sms = new ChannelTemplate(service, Channel.Sms, language, null, Required(file.Sms, "sms"), null);
            var email = new ChannelTemplate(service, Channel.Email, language, Required(file.Subject, "subject"), Required(file.EmailText, "email_text"), file.EmailHtml);
            var post = new ChannelTemplate(service, Channel.Post, language, file.Subject, Required(file.Letter, "letter"), null);

            // LINE: the text message, and the label of the card's button that opens the case page (the "subject" slot).
            var line = new ChannelTemplate(service, Channel.Line, language, Required(file.LineButton, "line_button"), Required(file.Line, "line"), null);

            sms.Validate(limits, longestServiceName);
            email.Validate(limits, longestServiceName);
            post.Validate(limits, longestServiceName);
            line.Validate(limits, longestServiceName);
            return new LanguageTemplates(sms, email, post, line);
        }
    }

    private sealed class ChannelTemplate
    {
        private readonly string language;
        private readonly Channel channel;
        private readonly Template? subject;
        private readonly Template text;
        private readonly Template? html;

        public ChannelTemplate(string service, Channel channel, string language, string? subjectSource, string textSource, string? htmlSource)
        {
            this.language = language;
            this.channel = channel;
            Id = $"{service}/{channel.ToString().ToLowerInvariant()}/{language}";
            Version = $"{Id}@{Hash(subjectSource, textSource, htmlSource)}";
            subject = subjectSource is null ? null : ScribanSandbox.Parse(subjectSource, $"{Id} (subject)");
            text = ScribanSandbox.Parse(textSource, Id);
            html = htmlSource is null ? null : ScribanSandbox.Parse(htmlSource, $"{Id} (html)");

            var fields = new HashSet<string>(ScribanSandbox.FieldsNamed(text), StringComparer.Ordinal);
            foreach (var part in new[] { subject, html }.OfType<Template>())
            {
                fields.UnionWith(ScribanSandbox.FieldsNamed(part));
            }

            Fields = fields;
        }

        /// <summary><c>service/channel/language</c>.</summary>
        public string Id { get; }

        /// <summary><c>Id@hash</c>: the first 8 hex digits of SHA-256 over the template's sources.</summary>
        public string Version { get; }

        public IReadOnlySet<string> Fields { get; }

        public void Validate(TemplateLimits limits, string longestServiceName)
        {
            if (channel is Channel.Sms or Channel.Line && Fields.FirstOrDefault(TemplateFields.NotInSms.Contains) is { } personal)
            {
                throw new TemplateLoadException($"Template {Id} names {personal}: {(channel == Channel.Sms ? "an SMS" : "a LINE message")} carries no personal detail beyond the first name.");
            }

            if (channel == Channel.Email)
            {
                if (!ScribanSandbox.FieldsNamed(text).Contains(TemplateFields.UnsubscribeUrl)
                    || (html is not null && !ScribanSandbox.FieldsNamed(html).Contains(TemplateFields.UnsubscribeUrl)))
                {
                    throw new TemplateLoadException($"Template {Id} must show {TemplateFields.UnsubscribeUrl} in every e-mail body.");
                }
            }

            // Render once with worst-case values: catches unknown fields (strict variables) and, for SMS, the length.
            var sample = WorstCase(limits, longestServiceName);
            RenderedMessage rendered;
            try
            {
                rendered = Render(sample, longestServiceName, limits: null);
            }
            catch (TemplateRenderException e)
            {
                throw new TemplateLoadException($"Template {Id} does not render with sample values: {e.Message}", e);
            }

            if (channel == Channel.Sms && !limits.Allows(rendered.Sms!.Value))
            {
                var count = rendered.Sms.Value;
                throw new TemplateLoadException(
                    $"Template {Id} can exceed the SMS limit: with worst-case values it is {count.Units} {(count.Encoding == SmsEncoding.Gsm7 ? "septets" : "characters")} in {count.Parts} parts (limit {limits.MaxSmsCharacters} characters, {limits.MaxSmsParts} parts).");
            }

            if (channel == Channel.Line)
            {
                if (rendered.Text.Length > limits.MaxLineCharacters)
                {
                    throw new TemplateLoadException($"Template {Id} can exceed the LINE limit: with worst-case values it is {rendered.Text.Length} characters (limit {limits.MaxLineCharacters}).");
                }

                if (rendered.Subject is not { Length: > 0 } label || label.Length > TemplateLimits.MaxLineButtonLabel)
                {
                    throw new TemplateLoadException($"Template {Id}: line_button must render to 1 to {TemplateLimits.MaxLineButtonLabel} characters (LINE's limit for an action label).");
                }
            }
        }

        public RenderedMessage Render(TemplateModel model, string serviceName, TemplateLimits? limits)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            var missing = new List<string>();
            foreach (var field in Fields.Order(StringComparer.Ordinal))
            {
                string? value;
                try
                {
                    value = TemplateFields.Value(field, model, language, serviceName);
                }
                catch (ArgumentException e)
                {
                    throw new TemplateRenderException(Id, e.Message, e);
                }

                if (value is null)
                {
                    missing.Add(field);
                }
                else
                {
                    values[field] = value;
                }
            }

            if (channel == Channel.Post && model.PostalAddress is null)
            {
                missing.Add("postal_address");
            }

            if (missing.Count > 0)
            {
                throw new TemplateRenderException(Id, $"missing field{(missing.Count > 1 ? "s" : string.Empty)} {string.Join(", ", missing)}.");
            }

            var subjectText = subject is null ? null : SingleLine(ScribanSandbox.Render(subject, $"{Id} (subject)", values));
            var body = Tidy(ScribanSandbox.Render(text, Id, values));
            switch (channel)
            {
                case Channel.Sms:
                    var count = SmsFragments.Count(body);
                    if (limits is not null && !limits.Allows(count))
                    {
                        throw new TemplateRenderException(Id, $"the SMS is {count.Units} characters in {count.Parts} parts, over the limit of {limits.MaxSmsCharacters}.");
                    }

                    return new RenderedMessage(null, body, null, language, Version, count);

                case Channel.Line:
                    if (limits is not null && body.Length > limits.MaxLineCharacters)
                    {
                        throw new TemplateRenderException(Id, $"the LINE message is {body.Length} characters, over the limit of {limits.MaxLineCharacters}.");
                    }

                    return new RenderedMessage(subjectText, body, null, language, Version);

                case Channel.Email:
                    var htmlBody = HtmlBody(values);
                    return new RenderedMessage(subjectText, body, HtmlEmail.Document(language, subjectText, htmlBody), language, Version, HtmlBody: htmlBody);

                default:
                    string addressBlock;
                    try
                    {
                        addressBlock = PostalAddressBlock.Format(model.PostalAddress!);
                    }
                    catch (Exception e) when (e is FormatException or ArgumentException)
                    {
                        throw new TemplateRenderException(Id, $"postal_address: {e.Message}", e);
                    }

                    var letter = addressBlock + "\n\n" + (subjectText is null ? string.Empty : subjectText + "\n\n") + body;
                    return new RenderedMessage(subjectText, letter, null, language, Version);
            }
        }

        private string HtmlBody(Dictionary<string, string> values)
        {
            if (html is not null)
            {
                var escaped = values.ToDictionary(v => v.Key, v => HtmlEmail.Escape(v.Value), StringComparer.Ordinal);
                return ScribanSandbox.Render(html, $"{Id} (html)", escaped);
            }

            var ordered = values.Select(v => (Field: v.Key, v.Value)).ToList();
            var markers = ordered.Select((v, i) => (v.Field, Marker: HtmlEmail.Marker(i)))
                .ToDictionary(v => v.Field, v => v.Marker, StringComparer.Ordinal);
            return HtmlEmail.FromMarkedText(ScribanSandbox.Render(text, Id, markers), ordered);
        }

        private static string SingleLine(string value) => string.Join(' ', value.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

        private static string Tidy(string value) => value.Replace("\r\n", "\n").Trim();

        // The date whose 西暦 and 和暦 forms are longest in this language (令和10年12月28日, 28 September 2028 …).
        private DateOnly LongestDate() =>
            Enumerable.Range(1, 12)
                .Select(month => new DateOnly(2028, month, 28))
                .MaxBy(d => TemplateFields.FormatDate(d, language).Length + Drops.JapaneseDate.FormatWareki(d).Length);

        private TemplateModel WorstCase(TemplateLimits limits, string longestServiceName)
        {
            // Kana force UCS-2 even in an English SMS, which is the worst case for length.
            static string Kana(int length) => new('ア', length);
            static Uri Url(int length) => new("https://portal.example.jp/" + new string('a', Math.Max(0, length - 26)));
            return new TemplateModel
            {
                FirstName = Kana(limits.MaxFirstNameLength),
                FamilyName = Kana(limits.MaxFirstNameLength),
                ServiceName = longestServiceName,
                Municipality = new string('市', limits.MaxMunicipalityLength),
                Deadline = LongestDate(),
                AmountYen = 10_000_000,
                PortalUrl = Url(limits.MaxUrlLength),
                Counter = Kana(limits.MaxCounterLength),
                CaseUrl = Url(limits.MaxUrlLength),
                UnsubscribeUrl = Url(limits.MaxUrlLength),
                PostalAddress = new PostalAddress("1000001", "東京都千代田区千代田1-1", "ア", "ア"),
            };
        }
    }
}
