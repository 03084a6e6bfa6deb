using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace PushGov.Domain.Eligibility;

// The catalog loader, part 4 of 4: YAML helpers that read a mapping's fields and typed values and collect every error
// (file, line, service, field) instead of stopping at the first.
public static partial class CatalogLoader
{
    private sealed partial class Parser
    {
        private string? serviceId;

        public List<CatalogError> Errors { get; } = [];

        private Dictionary<string, YamlNode>? Args(YamlNode node, string path, params string[] allowed)
        {
            if (node is not YamlMappingNode map)
            {
                Error(node, path, $"expected a mapping with {string.Join(", ", allowed)}");
                return null;
            }

            return Fields(map, path, allowed);
        }

        private int? IntArg(Dictionary<string, YamlNode> f, string key, string path) => f.TryGetValue(key, out var n) ? Int(n, path + "." + key) : null;

        private long? LongArg(Dictionary<string, YamlNode> f, string key, string path) => f.TryGetValue(key, out var n) ? Long(n, path + "." + key) : null;

        private List<string> ListArg(Dictionary<string, YamlNode> f, string key, string path)
        {
            if (!f.TryGetValue(key, out var n))
            {
                Error(null, path + "." + key, "required");
                return [];
            }

            return Strings(n, path + "." + key);
        }

        private Dictionary<string, YamlNode> Fields(YamlMappingNode map, string path, params string[] allowed)
        {
            var f = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
            foreach (var (k, v) in map.Children)
            {
                var key = (k as YamlScalarNode)?.Value ?? "";
                if (Array.IndexOf(allowed, key) < 0)
                {
                    Error(k, $"{path}.{key}", $"unknown field (expected one of {string.Join(", ", allowed)})");
                    continue;
                }

                f[key] = v;
            }

            return f;
        }

        private string? Scalar(YamlNode node, string path)
        {
            if (node is YamlScalarNode s)
            {
                return s.Value;
            }

            Error(node, path, "expected a single value");
            return null;
        }

        private List<string> Strings(YamlNode node, string path)
        {
            if (node is YamlScalarNode s)
            {
                return s.Value is { Length: > 0 } v ? [v] : [];
            }

            if (node is YamlSequenceNode seq)
            {
                var list = new List<string>();
                foreach (var c in seq.Children)
                {
                    if (Scalar(c, path) is { } v)
                    {
                        list.Add(v);
                    }
                }

                return list;
            }

            Error(node, path, "expected a list of values");
            return [];
        }

        private bool? Bool(Dictionary<string, YamlNode> f, string key, string prefix = "")
        {
            if (!f.TryGetValue(key, out var n))
            {
                return null;
            }

            switch (Scalar(n, prefix + key))
            {
                case "true":
                    return true;
                case "false":
                    return false;
                default:
                    Error(n, prefix + key, "expected true or false");
                    return null;
            }
        }

        private int? Int(YamlNode node, string path)
        {
            var s = Scalar(node, path);
            if (s is not null && int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var v))
            {
                return v;
            }

            Error(node, path, $"'{s}' is not a whole number");
            return null;
        }

        private long? Long(YamlNode node, string path)
        {
            var s = Scalar(node, path)?.Replace("_", "", StringComparison.Ordinal);
            if (s is not null && long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var v))
            {
                return v;
            }

            Error(node, path, $"'{s}' is not a whole number of yen");
            return null;
        }

        private DateOnly? Date(YamlNode node, string path)
        {
            var s = Scalar(node, path);
            if (s is not null && DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            {
                return d;
            }

            Error(node, path, $"'{s}' is not a date YYYY-MM-DD");
            return null;
        }

        private void Error(YamlNode? node, string field, string message) =>
            Errors.Add(new CatalogError(file, serviceId, field, message, node is null ? null : Line(node.Start)));

        private static int Line(Mark mark) => (int)mark.Line;
    }
}
