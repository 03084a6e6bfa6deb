using System.Net;
using System.Net.Http.Json;
using System.Text;
using PushGov.Infrastructure.Tenants;

namespace PushGov.Functions.Tests.Api;

[Collection("Api")]
public sealed class AuthTests(ApiFixture fx)
{
    /// <summary>Every tenant route: method, path under the tenant, body (null: none), content type.</summary>
    public static readonly IReadOnlyList<(string Method, string Path, string? Body, string? Type, bool PortalMayUse, bool AdminOnly)> Routes =
    [
        ("GET", "cases", null, null, false, false),
        ("GET", "cases/{case}", null, null, false, false),
        ("POST", "cases/{case}/events/applied", "{}", "application/json", true, false),
        ("GET", "notifications", null, null, false, false),
        ("POST", "drops/residents?name=x.csv", "resident_id\n1\n", "text/csv", false, false),
        ("GET", "drops/residents/x.csv/report", null, null, false, false),
        ("GET", "residents/{resident}/preferences", null, null, true, false),
        ("PUT", "residents/{resident}/preferences", "{\"language\":\"en\"}", "application/json", true, false),
        ("GET", "escalations", null, null, false, false),
        ("POST", "cases/{case}/notes", "{\"text\":\"x\"}", "application/json", false, false),
        ("POST", "cases/{case}/resend", "{\"residentId\":\"1\",\"channel\":\"sms\"}", "application/json", false, false),
        ("GET", "audit", null, null, false, true),
    ];

    public static TheoryData<int> RouteIndexes()
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < Routes.Count; i++)
        {
            data.Add(i);
        }

        return data;
    }

    private static HttpRequestMessage Request(int route, Scenario s, string tenant)
    {
        var (method, path, body, type, _, _) = Routes[route];
        var url = $"/api/tenants/{tenant}/" + path.Replace("{case}", s.CaseId).Replace("{resident}", s.WifeId);
        var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, type!);
        }

        return request;
    }

    private static readonly SemaphoreSlim Once = new(1, 1);
    private static (Scenario Scenario, TestTenant A, TestTenant B)? _world;

    private async Task<(Scenario Scenario, TestTenant A, TestTenant B)> WorldAsync()
    {
        await Once.WaitAsync();
        try
        {
            if (_world is null)
            {
                var a = await fx.NewTenantAsync();
                var b = await fx.NewTenantAsync();
                _world = (await Scenario.BirthAsync(fx, a.Code, serial: 901), a, b);
            }

            return _world.Value;
        }
        finally
        {
            Once.Release();
        }
    }

    [Theory]
    [MemberData(nameof(RouteIndexes))]
    public async Task Every_key_of_another_tenant_gets_404_and_no_data(int route)
    {
        var (s, a, b) = await WorldAsync();
        foreach (var key in new[] { b.StaffKey, b.AdminKey, b.PortalKey, b.TestKey })
        {
            using var response = await fx.Client(key).SendAsync(Request(route, s, a.Code));
            var text = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.DoesNotContain(s.CaseId, text);
            Assert.DoesNotContain(s.Pii.Phone, text);
            Assert.Contains("There is no such tenant for this key.", text);
        }
    }

    [Theory]
    [MemberData(nameof(RouteIndexes))]
    public async Task A_key_of_a_tenant_that_does_not_exist_is_401_and_an_unknown_tenant_in_the_route_is_404(int route)
    {
        var (s, a, _) = await WorldAsync();
        using var unknownTenantRoute = await fx.Client(a.StaffKey).SendAsync(Request(route, s, ApiFixture.NewTenantCode()));
        Assert.Equal(HttpStatusCode.NotFound, unknownTenantRoute.StatusCode);
        Assert.Equal("There is no such tenant for this key.", (await unknownTenantRoute.Content.ReadFromJsonAsync<ProblemBody>())!.Detail);

        using var forged = await fx.Client($"pg_{ApiFixture.NewTenantCode()}_abc123_{new string('x', 43)}").SendAsync(Request(route, s, a.Code));
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
    }

    [Theory]
    [MemberData(nameof(RouteIndexes))]
    public async Task A_portal_key_on_a_staff_route_is_403_and_a_staff_key_on_an_admin_route_is_403(int route)
    {
        var (s, a, _) = await WorldAsync();
        var (_, _, _, _, portalMayUse, adminOnly) = Routes[route];
        using var portal = await fx.Client(a.PortalKey).SendAsync(Request(route, s, a.Code));
        if (portalMayUse)
        {
            Assert.NotEqual(HttpStatusCode.Forbidden, portal.StatusCode);
            Assert.NotEqual(HttpStatusCode.Unauthorized, portal.StatusCode);
        }
        else
        {
            Assert.Equal(HttpStatusCode.Forbidden, portal.StatusCode);
            Assert.Equal("application/problem+json", portal.Content.Headers.ContentType?.MediaType);
        }

        if (adminOnly)
        {
            foreach (var key in new[] { a.StaffKey, a.TestKey })
            {
                using var staff = await fx.Client(key).SendAsync(Request(route, s, a.Code));
                Assert.Equal(HttpStatusCode.Forbidden, staff.StatusCode);
            }

            using var admin = await fx.Client(a.AdminKey).SendAsync(Request(route, s, a.Code));
            Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        }
    }

    [Theory]
    [MemberData(nameof(RouteIndexes))]
    public async Task Missing_malformed_wrong_and_revoked_keys_are_401(int route)
    {
        var (s, a, _) = await WorldAsync();
        var revoked = await fx.Service<ApiKeyStore>().CreateAsync(a.Code, Domain.Tenants.ApiRole.Staff, "to revoke", CancellationToken.None);
        Assert.True(await fx.Service<ApiKeyStore>().RevokeAsync(a.Code, revoked.Record.KeyId, CancellationToken.None));
        var wrongSecret = a.StaffKey[..^4] + (a.StaffKey.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA");
        foreach (var key in new string?[] { null, "", "pg_", "not-a-key", wrongSecret, revoked.Key, a.StaffKey + "x" })
        {
            using var request = Request(route, s, a.Code);
            using var client = fx.Client(null);
            if (key is not null)
            {
                request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + key);
            }

            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString());
        }
    }

    [Fact]
    public async Task The_x_api_key_header_works_like_the_bearer_header()
    {
        var (_, a, _) = await WorldAsync();
        using var client = fx.Client(null);
        client.DefaultRequestHeaders.Add("x-api-key", a.StaffKey);
        using var response = await client.GetAsync($"/api/tenants/{a.Code}/cases");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public sealed record ProblemBody(string? Title, string? Detail, int? Status);
}
