namespace PushGov.Domain.Eligibility;

/// <summary>
/// A validated service catalog: the default one, a tenant's overrides, or the two layered. Services keep the
/// order of their file; matching follows it.
/// </summary>
public sealed class Catalog
{
    internal Catalog(string source, IReadOnlyList<ServiceDefinition> services, IReadOnlyList<string> disable)
    {
        Source = source;
        Services = services;
        Disable = disable;
    }

    /// <summary>Where the catalog came from (file names, layered with " + ").</summary>
    public string Source { get; }

    public IReadOnlyList<ServiceDefinition> Services { get; }

    /// <summary>Ids this catalog disables when layered on another (a tenant file's <c>disable:</c> list).</summary>
    public IReadOnlyList<string> Disable { get; }

    public ServiceDefinition? Find(string serviceId) => Services.FirstOrDefault(s => s.Id == serviceId);

    /// <summary>
    /// Layers tenant catalogs on this one, in order: a service with a known id replaces it in place, a new id is
    /// appended, and ids under <c>disable:</c> are removed. Disabling an id that does not exist is an error.
    /// </summary>
    public Catalog WithOverrides(params Catalog[] overrides)
    {
        var services = Services.ToList();
        var source = Source;
        foreach (var layer in overrides)
        {
            var errors = new List<CatalogError>();
            foreach (var s in layer.Services)
            {
                var i = services.FindIndex(x => x.Id == s.Id);
                if (i >= 0)
                {
                    services[i] = s;
                }
                else
                {
                    services.Add(s);
                }
            }

            foreach (var id in layer.Disable)
            {
                if (services.RemoveAll(x => x.Id == id) == 0)
                {
                    errors.Add(new CatalogError(layer.Source, id, "disable", $"no service '{id}' to disable in {source}"));
                }
            }

            if (errors.Count > 0)
            {
                throw new CatalogException(errors);
            }

            source += " + " + layer.Source;
        }

        return new Catalog(source, services, []);
    }

    /// <summary>Compiles the catalog into a matcher indexed by life-event kind.</summary>
    public ServiceMatcher Compile() => new(this);
}

/// <summary>One problem in a catalog file: which file, which service, which field, what is wrong.</summary>
public sealed record CatalogError(string File, string? ServiceId, string Field, string Message, int? Line = null)
{
    public override string ToString() =>
        $"{File}{(Line is { } l ? $" line {l}" : "")}: {(ServiceId is null ? "" : $"service '{ServiceId}': ")}{Field}: {Message}";
}

/// <summary>A catalog that cannot be used, with every error found.</summary>
public sealed class CatalogException : Exception
{
    public CatalogException(IReadOnlyList<CatalogError> errors)
        : base(string.Join(Environment.NewLine, errors.Select(e => e.ToString())))
    {
        Errors = errors;
    }

    public CatalogException()
        : this([])
    {
    }

    public CatalogException(string message)
        : base(message)
    {
        Errors = [];
    }

    public CatalogException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [];
    }

    public IReadOnlyList<CatalogError> Errors { get; }
}
