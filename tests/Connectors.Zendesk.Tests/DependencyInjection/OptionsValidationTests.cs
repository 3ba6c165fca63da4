using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Concord.Connectors.Zendesk.Tests.DependencyInjection;

public sealed class OptionsValidationTests
{
    private static IReadOnlyList<string> Failures(Action<ZendeskConnectorOptions> configure, string name = ZendeskConnectorOptions.DefaultName)
    {
        var services = new ServiceCollection();
        services.AddZendeskConnector(name, o =>
        {
            o.BaseAddress = new Uri("https://acme.zendesk.com/");
            o.ClientId = "client";
            o.ClientSecret = "secret";
            configure(o);
        });
        using var provider = services.BuildServiceProvider();
        try
        {
            _ = provider.GetRequiredService<IOptionsMonitor<ZendeskConnectorOptions>>().Get(name);
            return [];
        }
        catch (OptionsValidationException error)
        {
            return [.. error.Failures];
        }
    }

    [Fact]
    public void Valid_options_pass()
    {
        Assert.Empty(Failures(_ => { }));
    }

    [Theory]
    [InlineData("Concord:Zendesk:BaseAddress (https://acme.example.com/) must be the account's address")]
    public void The_base_address_must_be_a_zendesk_account(string expected)
    {
        Assert.Contains(Failures(o => o.BaseAddress = new Uri("https://acme.example.com/")), f => f.StartsWith(expected, StringComparison.Ordinal));
        Assert.Contains(Failures(o => o.BaseAddress = new Uri("https://acme.zendesk.com/api/v2")), f => f.Contains("without a path", StringComparison.Ordinal));
    }

    [Fact]
    public void Api_token_mode_needs_the_agent_email_and_the_token()
    {
        var failures = Failures(o => o.AuthMode = ZendeskAuthMode.ApiToken, "eu");

        Assert.Contains("Concord:Zendesk:eu:Email is required when AuthMode is ApiToken: the agent whose email precedes /token.", failures);
        Assert.Contains(failures, f => f.StartsWith("Concord:Zendesk:eu:ApiToken is required", StringComparison.Ordinal) && f.Contains("30 April 2027", StringComparison.Ordinal));
    }

    [Fact]
    public void OAuth_needs_the_client_secret()
    {
        Assert.Contains("Concord:Zendesk:ClientSecret is required when AuthMode is OAuth: the OAuth client's secret.", Failures(o => o.ClientSecret = null));
    }

    [Theory]
    [InlineData(nameof(ZendeskConnectorOptions.MaxJobsInFlight), "Concord:Zendesk:MaxJobsInFlight (31) must be between 1 and 30.")]
    [InlineData(nameof(ZendeskConnectorOptions.IncrementalRequestsPerMinute), "Concord:Zendesk:IncrementalRequestsPerMinute (31) must be between 1 and 30 (10, or 30 with High Volume).")]
    public void Limits_beyond_Zendesks_are_refused(string option, string expected)
    {
        var failures = Failures(o => typeof(ZendeskConnectorOptions).GetProperty(option)!.SetValue(o, 31));

        Assert.Contains(expected, failures);
    }

    [Fact]
    public void Field_keys_must_be_zendesk_keys_and_marketplace_headers_go_together()
    {
        var failures = Failures(o =>
        {
            o.CustomFieldMappings["tier"] = "SLA Tier";
            o.OrganizationFields.Currency = "Currency!";
            o.MarketplaceName = "Concord";
        });

        Assert.Contains(failures, f => f.StartsWith("Concord:Zendesk:CustomFieldMappings:tier (SLA Tier) must be a Zendesk field key", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Concord:Zendesk:OrganizationFields:Currency (Currency!) must be a Zendesk field key", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Concord:Zendesk:MarketplaceName, MarketplaceOrganizationId and MarketplaceAppId go together", StringComparison.Ordinal));
    }

    [Fact]
    public void Job_polling_delays_must_make_sense()
    {
        var failures = Failures(o =>
        {
            o.JobPollInitialDelay = TimeSpan.FromSeconds(20);
            o.JobPollMaxDelay = TimeSpan.FromSeconds(10);
        });

        Assert.Contains(failures, f => f.StartsWith("Concord:Zendesk:JobPollInitialDelay (00:00:20) must be above zero and at most JobPollMaxDelay", StringComparison.Ordinal));
    }
}
