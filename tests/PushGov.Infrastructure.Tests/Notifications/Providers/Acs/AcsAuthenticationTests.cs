using System.Net;
using System.Security.Cryptography;
using System.Text;
using Azure.Core;
using Microsoft.Extensions.Time.Testing;
using PushGov.Infrastructure.Notifications.Providers.Acs;
using PushGov.Testing.Fakes;

namespace PushGov.Infrastructure.Tests.Notifications.Providers.Acs;

public sealed class AcsAuthenticationTests
{
    // Fixed vector. The expected values were computed outside .NET (Python hmac/hashlib) from the documented
    // string-to-sign "VERB\npath?query\nx-ms-date;host;x-ms-content-sha256" (learn.microsoft.com/azure/communication-services/tutorials/hmac-header-tutorial).
    private const string Key = "cHVzaGdvdi10ZXN0LWtleS0wMTIzNDU2Nzg5YWJjZGVmZ2g="; // "pushgov-test-key-0123456789abcdefgh"
    private const string Body = """{"from":"+18005550100","message":"hello"}""";
    private const string Date = "Sun, 22 Nov 2026 09:30:00 GMT";
    private const string BodyHash = "ZK8fQURL9sX+fFQZOaUDCy+60tn6nkQQcs3eQeS8J64=";
    private static readonly DateTimeOffset At = new(2026, 11, 22, 9, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task Signing_handler_produces_the_documented_authorization_for_a_fixed_key_date_body_and_url()
    {
        var captured = await SendThroughSignerAsync(new Uri("https://contoso.communication.azure.com/sms?api-version=2021-03-07"), HttpMethod.Post, Body);

        Assert.Equal(Date, captured.Date);
        Assert.Equal(BodyHash, captured.ContentHash);
        Assert.Equal("HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=2ItG0RlGtlnkrv3q73vYNqL+/vEQ886FAqgAZ0Wf4Vw=", captured.Authorization);
    }

    [Fact]
    public async Task Signing_handler_signs_the_port_as_part_of_the_host_when_it_is_not_the_default()
    {
        var captured = await SendThroughSignerAsync(new Uri("https://contoso.communication.azure.com:8443/sms?api-version=2021-03-07"), HttpMethod.Post, Body);

        Assert.Equal("HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=WypaKjk+mbLifCSF5t38e86VgOq2i4hjr58bsqOktKk=", captured.Authorization);
    }

    [Fact]
    public async Task Signing_handler_hashes_an_empty_body_for_a_get()
    {
        var captured = await SendThroughSignerAsync(new Uri("https://contoso.communication.azure.com/emails/operations/abc?api-version=2023-03-31"), HttpMethod.Get, null);

        Assert.Equal("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", captured.ContentHash);
        Assert.Equal("HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=giGyvV5wFIv0bJ9cpi9nx6lhXiTk0A7ThSnuvlh2xrk=", captured.Authorization);
    }

    [Fact]
    public void Signer_agrees_with_an_independent_computation_of_the_string_to_sign()
    {
        var key = Convert.FromBase64String(Key);
        var expected = Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"POST\n/sms?api-version=2021-03-07\n{Date};contoso.communication.azure.com;{BodyHash}")));

        var actual = AcsHmacSigner.Authorization(key, "POST", new Uri("https://contoso.communication.azure.com/sms?api-version=2021-03-07"), Date, AcsHmacSigner.ContentHash(Encoding.UTF8.GetBytes(Body)));

        Assert.Equal($"HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature={expected}", actual);
    }

    [Fact]
    public void Connection_string_parses_endpoint_and_a_padded_base64_key_in_any_case_and_order()
    {
        var parsed = AcsConnectionString.Parse($"AccessKey={Key}; Endpoint=https://contoso.communication.azure.com");

        Assert.Equal(new Uri("https://contoso.communication.azure.com/"), parsed.Endpoint);
        Assert.Equal(Key, parsed.AccessKey);
        Assert.DoesNotContain(Key, parsed.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("endpoint=https://contoso.communication.azure.com/")]
    [InlineData("accesskey=AAAA")]
    [InlineData("endpoint=not a url;accesskey=AAAA")]
    [InlineData("endpoint=https://contoso.communication.azure.com/;accesskey=not*base64")]
    public void Connection_string_without_a_usable_endpoint_or_key_is_refused(string value)
    {
        Assert.False(AcsConnectionString.TryParse(value, out _, out var error));
        Assert.NotEmpty(error);
    }

    [Fact]
    public async Task Token_handler_asks_for_the_acs_scope_once_and_again_only_near_expiry()
    {
        var time = new FakeTimeProvider(At);
        var credential = new CountingCredential(time, TimeSpan.FromHours(1));
        var recorder = new RecordingHandler();
        using var client = new HttpClient(new AcsTokenCredentialHandler(credential, time, recorder));

        await client.GetAsync(new Uri("https://contoso.communication.azure.com/a"));
        await client.GetAsync(new Uri("https://contoso.communication.azure.com/b"));
        time.Advance(TimeSpan.FromMinutes(56));
        await client.GetAsync(new Uri("https://contoso.communication.azure.com/c"));

        Assert.Equal(2, credential.Calls);
        Assert.Equal(["https://communication.azure.com//.default"], credential.LastScopes);
        Assert.Equal("Bearer token-1", recorder.Authorizations[0]);
        Assert.Equal("Bearer token-1", recorder.Authorizations[1]);
        Assert.Equal("Bearer token-2", recorder.Authorizations[2]);
    }

    [Fact]
    public async Task Managed_identity_option_sends_a_bearer_token_that_fake_acs_accepts()
    {
        await using var acs = await FakeAcs.StartAsync();
        acs.AcceptedBearerToken = "token-1";
        var options = new AcsOptions { Endpoint = acs.Endpoint, UseManagedIdentity = true, SmsFrom = "+18005550100" };
        using var http = AcsHttp.CreateClient(options, TimeProvider.System, new CountingCredential(TimeProvider.System, TimeSpan.FromHours(1)));
        var client = new AcsSmsClient(http, options, TimeProvider.System);

        var result = await client.SendAsync(AcsSmsClientTests.Sms("mi-1"), CancellationToken.None);

        Assert.Equal(Domain.Messaging.SendOutcome.Accepted, result.Outcome);
        Assert.Equal(0, acs.Unauthorized);
    }

    private static async Task<RecordingHandler> SendThroughSignerAsync(Uri uri, HttpMethod method, string? body)
    {
        var recorder = new RecordingHandler();
        using var client = new HttpClient(new AcsHmacSigningHandler(Key, new FakeTimeProvider(At), recorder));
        using var request = new HttpRequestMessage(method, uri);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        await client.SendAsync(request);
        return recorder;
    }

    private sealed class RecordingHandler : HttpMessageHandler
    {
        public List<string> Authorizations { get; } = [];

        public string? Date { get; private set; }

        public string? ContentHash { get; private set; }

        public string? Authorization => Authorizations.LastOrDefault();

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Authorizations.Add(request.Headers.Authorization?.ToString() ?? string.Empty);
            Date = request.Headers.TryGetValues("x-ms-date", out var d) ? d.Single() : null;
            ContentHash = request.Headers.TryGetValues("x-ms-content-sha256", out var h) ? h.Single() : null;
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));
        }
    }

    internal sealed class CountingCredential(TimeProvider time, TimeSpan lifetime) : TokenCredential
    {
        public int Calls { get; private set; }

        public string[] LastScopes { get; private set; } = [];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Calls++;
            LastScopes = requestContext.Scopes;
            return new AccessToken($"token-{Calls}", time.GetUtcNow() + lifetime);
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
