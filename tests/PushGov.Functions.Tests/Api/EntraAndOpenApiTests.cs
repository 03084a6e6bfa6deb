using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using PushGov.Infrastructure.Audit;

namespace PushGov.Functions.Tests.Api;

[Collection("Api")]
public sealed class EntraAndOpenApiTests(ApiFixture fx)
{
    private const string Issuer = "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000001/v2.0";
    private const string Audience = "api://pushgov-test";

    private static readonly SymmetricSecurityKey Key = new(Enumerable.Range(0, 32).Select(i => (byte)(i * 7)).ToArray()) { KeyId = "test-key" };
    private static readonly SymmetricSecurityKey OtherKey = new(Enumerable.Range(0, 32).Select(i => (byte)(i * 11 + 1)).ToArray()) { KeyId = "test-key" };

    /// <summary>The app with Entra configured; the signing keys are given directly (no metadata fetch, no network).</summary>
    private ApiFactory EntraApp() => new(
        fx.Azurite.ConnectionString,
        new Dictionary<string, string?>
        {
            ["PushGov:Entra:Authority"] = Issuer,
            ["PushGov:Entra:Audience"] = Audience,
        },
        services => services.Configure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, o =>
        {
            var configuration = new OpenIdConnectConfiguration { Issuer = Issuer };
            configuration.SigningKeys.Add(Key);
            o.Configuration = configuration;
        }));

    private static string Token(string? tenant, string? role, string issuer = Issuer, string audience = Audience, SecurityKey? key = null, DateTime? expires = null, string oid = "11111111-2222-3333-4444-555555555555")
    {
        var claims = new List<Claim> { new("oid", oid), new("sub", "subject") };
        if (tenant is not null)
        {
            claims.Add(new Claim("pushgov_tenant", tenant));
        }

        if (role is not null)
        {
            claims.Add(new Claim("roles", role));
        }

        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Subject = new ClaimsIdentity(claims),
            NotBefore = (expires ?? now.AddHours(1)).AddHours(-2),
            IssuedAt = (expires ?? now.AddHours(1)).AddHours(-2),
            Expires = expires ?? now.AddHours(1),
            SigningCredentials = new SigningCredentials(key ?? Key, SecurityAlgorithms.HmacSha256),
        });
    }

    private static async Task<HttpStatusCode> GetAsync(ApiFactory app, string url, string token)
    {
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.GetAsync(url);
        return response.StatusCode;
    }

    [Fact]
    public async Task An_Entra_token_with_the_tenant_claim_and_a_role_is_accepted_like_a_key_and_audited_as_its_object_id()
    {
        var a = await fx.NewTenantAsync();
        var b = await fx.NewTenantAsync();
        await using var app = EntraApp();
        var cases = $"/api/tenants/{a.Code}/cases";

        Assert.Equal(HttpStatusCode.OK, await GetAsync(app, cases, Token(a.Code, "PushGov.Staff", oid: "aaaaaaaa-0000-0000-0000-000000000001")));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(app, $"/api/tenants/{a.Code}/audit", Token(a.Code, "PushGov.Admin")));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(app, cases, a.StaffKey));

        // Another tenant's token: 404 as for keys. A portal role on a staff route: 403. Staff on the audit: 403.
        Assert.Equal(HttpStatusCode.NotFound, await GetAsync(app, cases, Token(b.Code, "PushGov.Staff")));
        Assert.Equal(HttpStatusCode.Forbidden, await GetAsync(app, cases, Token(a.Code, "PushGov.ResidentPortal")));
        Assert.Equal(HttpStatusCode.Forbidden, await GetAsync(app, $"/api/tenants/{a.Code}/audit", Token(a.Code, "PushGov.Staff")));

        // Invalid tokens: 401.
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(app, cases, Token(a.Code, "PushGov.Staff", audience: "api://someone-else")));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(app, cases, Token(a.Code, "PushGov.Staff", issuer: "https://login.microsoftonline.com/evil/v2.0")));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(app, cases, Token(a.Code, "PushGov.Staff", key: OtherKey)));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(app, cases, Token(a.Code, "PushGov.Staff", expires: DateTime.UtcNow.AddHours(-1))));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(app, cases, Token(null, "PushGov.Staff")));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(app, cases, Token(a.Code, null)));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(app, cases, Token(a.Code, "PushGov.Test")));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(app, cases, Token(a.Code, "PushGov.Staff")[..^3] + "abc"));

        var (entries, _) = await fx.Service<AuditLog>().ListAsync(a.Code, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(1), null, 100, CancellationToken.None);
        Assert.Contains(entries, e => e.Action == "cases.list" && e.Actor == "entra:aaaaaaaa-0000-0000-0000-000000000001");
    }

    [Fact]
    public async Task Without_Entra_configuration_a_token_is_just_a_bad_key()
    {
        var a = await fx.NewTenantAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(fx.Factory, $"/api/tenants/{a.Code}/cases", Token(a.Code, "PushGov.Staff")));
    }

    [Fact]
    public async Task The_OpenAPI_document_lists_every_tenant_route_and_not_the_custom_handler_endpoint()
    {
        using var response = await fx.Client(null).GetAsync("/api/openapi.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.StartsWith("3.", doc.RootElement.GetProperty("openapi").GetString());
        Assert.Equal("PushGov API", doc.RootElement.GetProperty("info").GetProperty("title").GetString());
        var paths = doc.RootElement.GetProperty("paths").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.EnumerateObject().Select(m => m.Name).Order().ToList());
        Assert.Equal(["get", "put"], paths["/api/tenants/{tenant}/residents/{residentId}/preferences"]);
        Assert.Equal(["post"], paths["/api/tenants/{tenant}/cases/{caseId}/notes"]);
        Assert.Equal(["post"], paths["/api/tenants/{tenant}/cases/{caseId}/resend"]);
        Assert.Equal(["get"], paths["/api/tenants/{tenant}/escalations"]);
        Assert.Equal(["get"], paths["/api/tenants/{tenant}/audit"]);
        Assert.Equal(["get"], paths["/api/tenants/{tenant}/cases/{caseId}"]);
        Assert.Equal(["post"], paths["/api/tenants/{tenant}/drops/{dataset}"]);
        Assert.Equal(["get"], paths["/api/tenants/{tenant}/dashboard"]);
        Assert.Equal(["get"], paths["/api/tenants/{tenant}/takeup"]);
        Assert.Equal(["get"], paths["/api/tenants/{tenant}/drops"]);
        Assert.Equal(["get"], paths["/api/tenants/{tenant}/catalog"]);
        Assert.Equal(["get"], paths["/api/tenants/{tenant}/cases/{caseId}/people"]);
        Assert.DoesNotContain("/{functionName}", paths.Keys);
    }

    [Fact]
    public async Task Unknown_routes_and_wrong_methods_are_problem_json_whatever_the_Accept_header()
    {
        using var client = fx.Client(null);
        client.DefaultRequestHeaders.Accept.ParseAdd("text/html");
        using var unknown = await client.GetAsync("/api/no/such/route");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        var problem = await unknown.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
        Assert.Contains("openapi.json", problem.GetProperty("detail").GetString());

        using var wrong = await client.DeleteAsync("/api/tenants/401307/cases");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrong.StatusCode);
        Assert.Equal("application/problem+json", wrong.Content.Headers.ContentType?.MediaType);
        Assert.Equal("This route does not take DELETE; it takes GET.", (await wrong.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }
}
