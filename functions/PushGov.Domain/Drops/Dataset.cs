namespace PushGov.Domain.Drops;

/// <summary>The datasets a municipal system can drop (see ../shared/spec/data-drops.md).</summary>
public enum Dataset
{
    ResidentChanges,
    Residents,
    Tax,
    Pregnancy,
    Disaster,
    Contacts,
}

public static class Datasets
{
    private static readonly Dictionary<string, Dataset> ByName = new(StringComparer.Ordinal)
    {
        ["resident-changes"] = Dataset.ResidentChanges,
        ["residents"] = Dataset.Residents,
        ["tax"] = Dataset.Tax,
        ["pregnancy"] = Dataset.Pregnancy,
        ["disaster"] = Dataset.Disaster,
        ["contacts"] = Dataset.Contacts,
    };

    /// <summary>The dataset's name as it appears in a blob path: <c>drops/{tenant}/{dataset}/{file}.csv</c>.</summary>
    public static string Name(this Dataset dataset) => dataset switch
    {
        Dataset.ResidentChanges => "resident-changes",
        Dataset.Residents => "residents",
        Dataset.Tax => "tax",
        Dataset.Pregnancy => "pregnancy",
        Dataset.Disaster => "disaster",
        Dataset.Contacts => "contacts",
        _ => throw new ArgumentOutOfRangeException(nameof(dataset)),
    };

    public static bool TryParse(string? name, out Dataset dataset) =>
        ByName.TryGetValue(name ?? string.Empty, out dataset);

    public static IEnumerable<string> Names => ByName.Keys;
}
