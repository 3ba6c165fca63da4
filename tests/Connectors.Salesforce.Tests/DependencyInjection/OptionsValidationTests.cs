using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Concord.Connectors.Salesforce.Tests.DependencyInjection;

public sealed class OptionsValidationTests
{
    public static TheoryData<string, Action<SalesforceConnectorOptions>> BadOptions() => new()
    {
        { "BaseAddress is required", o => o.BaseAddress = null },
        { "BaseAddress (http://acme.my.salesforce.com/) uses http://, which sends credentials in clear text", o => { o.BaseAddress = new Uri("http://acme.my.salesforce.com"); o.AllowInsecureHttp = false; } },
        { "BaseAddress (http://acme.my.salesforce.com/) uses http:// to a host that is not loopback", o => o.BaseAddress = new Uri("http://acme.my.salesforce.com") },
        { "BaseAddress (https://login.salesforce.com/) must be the org's My Domain URL", o => o.BaseAddress = new Uri("https://login.salesforce.com") },
        { "BaseAddress (https://acme.example.com/) must be the org's My Domain URL", o => o.BaseAddress = new Uri("https://acme.example.com") },
        { "BaseAddress (http://127.0.0.1:5000/) uses http://", o => { o.BaseAddress = new Uri("http://127.0.0.1:5000"); o.AllowInsecureHttp = false; } },
        { "ClientId is required", o => o.ClientId = "" },
        { "ClientSecret is required when AuthMode is ClientCredentials", o => o.ClientSecret = null },
        { "Username is required when AuthMode is JwtBearer", o => { o.AuthMode = SalesforceAuthMode.JwtBearer; o.Username = null; o.PrivateKeyPem = Pem; } },
        { "PrivateKeyPem is required when AuthMode is JwtBearer", o => { o.AuthMode = SalesforceAuthMode.JwtBearer; o.PrivateKeyPem = null; } },
        { "PrivateKeyPem is not an RSA private key in PEM", o => { o.AuthMode = SalesforceAuthMode.JwtBearer; o.PrivateKeyPem = "-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----"; } },
        { "RefreshToken is required when AuthMode is RefreshToken", o => { o.AuthMode = SalesforceAuthMode.RefreshToken; o.RefreshToken = null; } },
        { "ApiVersion (v65.0) must look like 65.0", o => o.ApiVersion = "v65.0" },
        { "ApiVersion (45.0) is too old", o => o.ApiVersion = "45.0" },
        { "BatchSize (201) must be between 1 and 200", o => o.BatchSize = 201 },
        { "BatchSize (0) must be between 1 and 200", o => o.BatchSize = 0 },
        { "QueryPageSize (100) must be between 200 and 2000", o => o.QueryPageSize = 100 },
        { "DailyBudgetShare (1.5) must be above 0 and at most 1", o => o.DailyBudgetShare = 1.5 },
        { "ChangeFeedOverlap (-00:00:01) must be between zero and one day", o => o.ChangeFeedOverlap = TimeSpan.FromSeconds(-1) },
        { "JwtAudience (https://login.salesforce.com) is the production audience, but BaseAddress (https://acme--uat.sandbox.my.salesforce.com/) is a sandbox", o => { o.BaseAddress = new Uri("https://acme--uat.sandbox.my.salesforce.com"); o.AuthMode = SalesforceAuthMode.JwtBearer; o.PrivateKeyPem = Pem; } },
        { "JwtAudience (https://test.salesforce.com) is the sandbox audience, but BaseAddress (https://acme.my.salesforce.com/) is a production org", o => { o.BaseAddress = new Uri("https://acme.my.salesforce.com"); o.AuthMode = SalesforceAuthMode.JwtBearer; o.PrivateKeyPem = Pem; o.JwtAudience = "https://test.salesforce.com"; } },
        { "AccountExternalIdField (Concord Id) must be a field API name", o => o.AccountExternalIdField = "Concord Id" },
        { "CustomFieldMappings:tier (Tier c) is not a field name of the vendor", o => o.CustomFieldMappings["tier"] = "Tier c" },
        { "CustomFieldMappings:level maps website, which the connector maps already", o => o.CustomFieldMappings["level"] = "website" },
    };

    private static readonly string Pem = System.Security.Cryptography.RSA.Create(2048).ExportPkcs8PrivateKeyPem();

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Bad_options_stop_the_host_with_a_message_naming_the_option(string expected, Action<SalesforceConnectorOptions> breakIt)
    {
        var services = new ServiceCollection();
        services.AddSalesforceConnector("sf-eu", o =>
        {
            o.BaseAddress = new Uri("http://127.0.0.1:9");
            o.AllowInsecureHttp = true;
            o.ClientId = "key";
            o.ClientSecret = "secret";
            o.Username = "integration@acme.example";
            breakIt(o);
        });
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptionsMonitor<SalesforceConnectorOptions>>().Get("sf-eu"));

        Assert.Contains(error.Failures, f => f.StartsWith("Concord:Salesforce:sf-eu:" + expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("https://acme.my.salesforce.com")]
    [InlineData("https://acme--uat.sandbox.my.salesforce.com")]
    public void Real_my_domain_urls_are_accepted(string url)
    {
        var services = new ServiceCollection();
        services.AddSalesforceConnector(o =>
        {
            o.BaseAddress = new Uri(url);
            o.ClientId = "key";
            o.ClientSecret = "secret";
        });
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptionsMonitor<SalesforceConnectorOptions>>().Get(SalesforceConnectorOptions.DefaultName);

        Assert.Equal(new Uri(url), options.BaseAddress);
        Assert.Equal("65.0", options.ApiVersion);
        Assert.Equal(200, options.BatchSize);
        Assert.Equal(0.8, options.DailyBudgetShare);
    }
}
