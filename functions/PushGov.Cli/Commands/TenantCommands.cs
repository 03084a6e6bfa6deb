using System.CommandLine;
using System.Text.Json;
using PushGov.Domain.Serialization;
using PushGov.Domain.Tenants;
using PushGov.Infrastructure.Tenants;

namespace PushGov.Cli.Commands;

/// <summary><c>./pushgov tenant create|show|set|rotate-key|keys</c>: tenant configuration and API keys, stored in the app's storage.</summary>
public static class TenantCommands
{
    public static Command Build()
    {
        var storage = new Option<string?>("--storage") { Description = "Storage connection string (default: AzureWebJobsStorage from the environment or local.settings.json)." };
        var code = new Option<string>("--code") { Description = "The tenant's 6-digit local government code.", Required = true };

        var name = new Option<string>("--name") { Description = "The municipality's name.", Required = true };
        var portal = new Option<string?>("--portal-url") { Description = "Base URL of the residents' portal (https)." };
        var create = new Command("create", "Create a tenant and its first admin key (shown once).") { code, name, portal, storage };
        create.SetAction(async (r, ct) =>
        {
            var clients = CliSettings.Storage(r.GetValue(storage));
            await clients.EnsureCreatedAsync(ct);
            var config = new TenantConfig { Code = r.GetValue(code)!, Name = r.GetValue(name)! };
            if (r.GetValue(portal) is { } url)
            {
                config = config with { PortalBaseUrl = url };
            }

            await new TenantStore(clients).SaveAsync(config, create: true, ct);
            var (key, record) = await new ApiKeyStore(clients, CliSettings.Pepper(), TimeProvider.System).CreateAsync(config.Code, ApiRole.Admin, "initial admin", ct);
            Console.Error.WriteLine($"Tenant {config.Code} ({config.Name}) created. Admin key {record.KeyId} (shown once, store it now):");
            Console.WriteLine(key);
            return 0;
        });

        var show = new Command("show", "Show a tenant's configuration as JSON.") { code, storage };
        show.SetAction(async (r, ct) =>
        {
            var config = await new TenantStore(CliSettings.Storage(r.GetValue(storage))).GetAsync(r.GetValue(code)!, ct);
            if (config is null)
            {
                Console.Error.WriteLine($"No tenant {r.GetValue(code)}.");
                return 2;
            }

            Console.WriteLine(JsonSerializer.Serialize(config, PushGovJson.Indented));
            return 0;
        });

        var settings = new Argument<string[]>("settings") { Description = "field=value pairs, e.g. dailyCap=5000 quietHoursStart=20:00 channelOrder=sms,line,email", Arity = ArgumentArity.OneOrMore };
        var set = new Command("set", "Change fields of a tenant's configuration (validated before it is saved).") { code, settings, storage };
        set.SetAction(async (r, ct) =>
        {
            var store = new TenantStore(CliSettings.Storage(r.GetValue(storage)));
            var config = await store.GetAsync(r.GetValue(code)!, ct);
            if (config is null)
            {
                Console.Error.WriteLine($"No tenant {r.GetValue(code)}.");
                return 2;
            }

            var json = JsonSerializer.SerializeToNode(config, PushGovJson.Options)!.AsObject();
            foreach (var pair in r.GetValue(settings)!)
            {
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                var field = eq > 0 ? pair[..eq] : pair;
                var existing = json.FirstOrDefault(kv => string.Equals(kv.Key, field, StringComparison.OrdinalIgnoreCase));
                if (eq <= 0 || existing.Key is null || field.Equals("code", StringComparison.OrdinalIgnoreCase))
                {
                    Console.Error.WriteLine($"'{pair}': expected field=value with one of: {string.Join(", ", json.Select(kv => kv.Key).Where(k => k != "code"))}.");
                    return 2;
                }

                var value = pair[(eq + 1)..];
                json[existing.Key] = existing.Value switch
                {
                    System.Text.Json.Nodes.JsonValue v when v.GetValueKind() is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => System.Text.Json.Nodes.JsonNode.Parse(value),
                    System.Text.Json.Nodes.JsonArray => new System.Text.Json.Nodes.JsonArray([.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(x => (System.Text.Json.Nodes.JsonNode?)x)]), // channelOrder=sms,line,email
                    _ => value,
                };
            }

            try
            {
                var updated = json.Deserialize<TenantConfig>(PushGovJson.Options)!;
                await store.SaveAsync(updated, create: false, ct);
                Console.WriteLine(JsonSerializer.Serialize(updated, PushGovJson.Indented));
                return 0;
            }
            catch (Exception e) when (e is JsonException or ArgumentException or FormatException)
            {
                Console.Error.WriteLine(e.Message);
                return 2;
            }
        });

        var role = new Option<ApiRole>("--role") { Description = "resident-portal, staff, admin or test.", Required = true, CustomParser = ParseRole };
        var revoke = new Option<string?>("--revoke") { Description = "A key id to revoke once the new key exists." };
        var keyName = new Option<string>("--key-name") { Description = "What the key is for.", DefaultValueFactory = _ => "key" };
        var rotate = new Command("rotate-key", "Create a new key for a role (shown once), optionally revoking an old one.") { code, role, revoke, keyName, storage };
        rotate.SetAction(async (r, ct) =>
        {
            var keys = new ApiKeyStore(CliSettings.Storage(r.GetValue(storage)), CliSettings.Pepper(), TimeProvider.System);
            var (key, record) = await keys.CreateAsync(r.GetValue(code)!, r.GetValue(role), r.GetValue(keyName)!, ct);
            Console.Error.WriteLine($"New {record.Role} key {record.KeyId} (shown once):");
            Console.WriteLine(key);
            if (r.GetValue(revoke) is { } old && !await keys.RevokeAsync(r.GetValue(code)!, old, ct))
            {
                Console.Error.WriteLine($"No key {old} to revoke.");
                return 2;
            }

            return 0;
        });

        var list = new Command("keys", "List a tenant's keys (ids, roles, revocation; never the keys).") { code, storage };
        list.SetAction(async (r, ct) =>
        {
            var keys = new ApiKeyStore(CliSettings.Storage(r.GetValue(storage)), CliSettings.Pepper(), TimeProvider.System);
            foreach (var k in await keys.ListAsync(r.GetValue(code)!, ct))
            {
                Console.WriteLine($"{k.KeyId}\t{k.Role}\t{k.Name}\tcreated {k.CreatedAt:o}\t{(k.RevokedAt is { } at ? "revoked " + at.ToString("o") : "active")}");
            }

            return 0;
        });

        return new Command("tenant", "Tenant configuration and API keys.") { create, show, set, rotate, list };
    }

    private static ApiRole ParseRole(System.CommandLine.Parsing.ArgumentResult result)
    {
        var text = result.Tokens.Single().Value.Replace("-", string.Empty, StringComparison.Ordinal);
        if (Enum.TryParse<ApiRole>(text, ignoreCase: true, out var role))
        {
            return role;
        }

        result.AddError($"Unknown role '{result.Tokens.Single().Value}': use resident-portal, staff, admin or test.");
        return default;
    }
}
