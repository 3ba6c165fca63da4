using System.Security.Cryptography;
using Concord.Canonical.Connectors;
using Concord.Canonical.Errors;
using Concord.Connectors.Salesforce.Tests.TestData;
using Concord.Testing.Salesforce;

namespace Concord.Connectors.Salesforce.Tests.Auth;

public sealed class TokenAcquisitionTests
{
    [Theory]
    [InlineData(SalesforceAuthMode.ClientCredentials)]
    [InlineData(SalesforceAuthMode.JwtBearer)]
    [InlineData(SalesforceAuthMode.RefreshToken)]
    public async Task Each_grant_gets_a_token_and_writes(SalesforceAuthMode mode)
    {
        using var sim = new SalesforceSimulator();
        await using var sf = sim.CreateConnector(authMode: mode);

        var result = await sf.Connector.UpsertAsync(Customers.Request(Customers.Company("auth-1")));

        Assert.Equal(UpsertOutcome.Created, result.Outcome);
        Assert.Equal(1, sim.TokenRequests);
        var token = Assert.Single(sim.Journal.Calls("/services/oauth2/token"));
        Assert.Equal(200, token.StatusCode);
    }

    [Fact]
    public async Task Hundred_concurrent_calls_on_a_cold_cache_make_exactly_one_token_request()
    {
        using var sim = new SalesforceSimulator();
        await using var sf = sim.CreateConnector();

        var calls = Enumerable.Range(0, 100).Select(i => sf.Connector.GetAsync($"001SIM{i:D9}AAA"));
        var results = await Task.WhenAll(calls);

        Assert.All(results, Assert.Null);
        Assert.Equal(1, sim.TokenRequests);
    }

    [Fact]
    public async Task Jwt_assertion_is_RS256_with_the_configured_audience_and_accepted()
    {
        using var sim = new SalesforceSimulator(new SalesforceSimulatorOptions { JwtAudience = "https://test.salesforce.com" });
        await using var sf = sim.CreateConnector(o => o.JwtAudience = "https://test.salesforce.com", authMode: SalesforceAuthMode.JwtBearer);

        var read = await sf.Connector.GetAsync("001SIM000000001AAA");

        Assert.Null(read);
        Assert.Equal(1, sim.TokenRequests);
    }

    [Fact]
    public async Task Jwt_signed_with_another_key_is_refused_as_authentication_with_invalid_grant()
    {
        using var sim = new SalesforceSimulator();
        using var other = RSA.Create(2048);
        await using var sf = sim.CreateConnector(o => o.PrivateKeyPem = other.ExportPkcs8PrivateKeyPem(), authMode: SalesforceAuthMode.JwtBearer);

        var error = await Assert.ThrowsAsync<ConcordException>(() => sf.Connector.GetAsync("001SIM000000001AAA"));

        Assert.Equal(ErrorCategory.Authentication, error.Category);
        Assert.Equal("invalid_grant", error.VendorErrorCode);
        Assert.Equal("invalid assertion", error.VendorMessage);
        Assert.Equal(0, sim.ApiUsage);
    }

    [Fact]
    public async Task Jwt_with_the_wrong_audience_is_refused()
    {
        using var sim = new SalesforceSimulator();
        await using var sf = sim.CreateConnector(o => o.JwtAudience = "https://test.salesforce.com", authMode: SalesforceAuthMode.JwtBearer);

        var error = await Assert.ThrowsAsync<ConcordException>(() => sf.Connector.GetAsync("001SIM000000001AAA"));

        Assert.Equal(ErrorCategory.Authentication, error.Category);
        Assert.Equal("audience is invalid", error.VendorMessage);
    }

    [Fact]
    public async Task Client_credentials_on_a_login_host_get_request_not_supported_on_this_domain()
    {
        using var sim = new SalesforceSimulator();
        await using var sf = sim.CreateConnector(o => o.BaseAddress = sim.LoginUrl);

        var error = await Assert.ThrowsAsync<ConcordException>(() => sf.Connector.GetAsync("001SIM000000001AAA"));

        Assert.Equal(ErrorCategory.Authentication, error.Category);
        Assert.Equal("invalid_grant", error.VendorErrorCode);
        Assert.Equal("request not supported on this domain", error.VendorMessage);
        Assert.Equal(400, error.StatusCode);
    }

    [Fact]
    public async Task Wrong_client_secret_is_invalid_client()
    {
        using var sim = new SalesforceSimulator();
        await using var sf = sim.CreateConnector(o => o.ClientSecret = "wrong");

        var error = await Assert.ThrowsAsync<ConcordException>(() => sf.Connector.GetAsync("001SIM000000001AAA"));

        Assert.Equal(ErrorCategory.Authentication, error.Category);
        Assert.Equal("invalid_client", error.VendorErrorCode);
    }

    [Fact]
    public async Task Expired_refresh_token_is_invalid_grant()
    {
        using var sim = new SalesforceSimulator();
        await using var sf = sim.CreateConnector(o => o.RefreshToken = "revoked", authMode: SalesforceAuthMode.RefreshToken);

        var error = await Assert.ThrowsAsync<ConcordException>(() => sf.Connector.GetAsync("001SIM000000001AAA"));

        Assert.Equal(ErrorCategory.Authentication, error.Category);
        Assert.Equal("expired access/refresh token", error.VendorMessage);
    }

    [Fact]
    public async Task Token_whose_instance_url_is_not_a_salesforce_host_is_not_used()
    {
        using var sim = new SalesforceSimulator(new SalesforceSimulatorOptions { InstanceUrlOverride = new Uri("https://collector.attacker.example") });
        await using var sf = sim.CreateConnector();

        var error = await Assert.ThrowsAsync<ConcordException>(() => sf.Connector.GetAsync("001SIM000000001AAA"));

        Assert.Equal(ErrorCategory.Authentication, error.Category);
        Assert.Contains("instance_url", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, sim.ApiUsage);
    }

    [Fact]
    public async Task Token_request_that_meets_a_503_is_retried_by_the_pipeline()
    {
        using var sim = new SalesforceSimulator();
        await using var sf = sim.CreateConnector();
        sim.Faults.FailNext(1, 503, r => r.Path == "/services/oauth2/token");

        var result = await sf.Connector.UpsertAsync(Customers.Request(Customers.Company("retry-token-1")));

        Assert.True(result.IsSuccess);
        Assert.Equal([503, 200], sim.Journal.Calls("/services/oauth2/token").Select(c => c.StatusCode));
    }

    [Fact]
    public async Task Every_api_call_goes_to_the_instance_url_of_the_token()
    {
        using var sim = new SalesforceSimulator();
        await using var sf = sim.CreateConnector();

        await sf.Connector.UpsertAsync(Customers.Request(Customers.Company("inst-1")));

        var api = sim.Journal.Entries.Where(e => e.Path.StartsWith("/services/data/", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(api);
        Assert.All(api, e => Assert.True(e.StatusCode is 200 or 201, $"{e.Method} {e.Path} answered {e.StatusCode}"));
        Assert.All(api, e => Assert.StartsWith("127.0.0.1:", e.Headers["Host"], StringComparison.Ordinal));
    }
}
