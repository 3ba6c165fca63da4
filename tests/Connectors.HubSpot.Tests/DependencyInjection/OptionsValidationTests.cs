using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Concord.Connectors.HubSpot.Tests.DependencyInjection;

public sealed class OptionsValidationTests
{
    public static TheoryData<string, Action<HubSpotConnectorOptions>> BadOptions() => new()
    {
        { "BaseAddress (http://api.hubapi.com/) uses http://, which sends credentials in clear text", o => o.BaseAddress = new Uri("http://api.hubapi.com") },
        { "BaseAddress (https://api.hubapi.com/crm/v3) must be the API root without a path or user info", o => o.BaseAddress = new Uri("https://api.hubapi.com/crm/v3") },
        { "BaseAddress (http://127.0.0.1:9/) uses http://, which sends credentials in clear text", o => { o.BaseAddress = new Uri("http://127.0.0.1:9"); o.AllowInsecureHttp = false; } },
        { "BaseAddress is required", o => o.BaseAddress = null },
        { "ApiVersion (2025-09) must be one of 2026-09, 2026-03, v3", o => o.ApiVersion = "2025-09" },
        { "AccessToken is required when AuthMode is StaticToken", o => o.AccessToken = null },
        { "ClientId is required when AuthMode is OAuth", o => { o.AuthMode = HubSpotAuthMode.OAuth; o.ClientId = null; } },
        { "ClientSecret is required when AuthMode is OAuth", o => { o.AuthMode = HubSpotAuthMode.OAuth; o.ClientSecret = ""; } },
        { "RefreshToken is required when AuthMode is OAuth", o => { o.AuthMode = HubSpotAuthMode.OAuth; o.RefreshToken = null; } },
        { "RefreshAhead (00:30:00) must be between 0 and 25 minutes", o => { o.AuthMode = HubSpotAuthMode.OAuth; o.RefreshAhead = TimeSpan.FromMinutes(30); } },
        { "CompanyUniqueProperty (Concord Id) must be a HubSpot property's internal name", o => o.CompanyUniqueProperty = "Concord Id" },
        { "TaxIdProperty (VAT) must be a HubSpot property's internal name", o => o.TaxIdProperty = "VAT" },
        { "CustomProperties:legal (name) is already mapped by the connector", o => o.CustomProperties["legal"] = "name" },
        { "BatchSize (101) must be between 1 and 100", o => o.BatchSize = 101 },
        { "TenSecondlyLimit (0) must be between 1 and 1000", o => o.TenSecondlyLimit = 0 },
        { "RateLimitHeadroom (0.9) must be between 0 and 0.5", o => o.RateLimitHeadroom = 0.9 },
        { "SearchRequestsPerSecond (6) must be between 1 and 5", o => o.SearchRequestsPerSecond = 6 },
        { "RateLimitHeadroom (0.1) leaves 2 of 20 requests per window free, fewer than MaxParallelBatches (4) in flight", o => o.TenSecondlyLimit = 20 },
        { "MaxParallelBatches (0) must be between 1 and 16", o => o.MaxParallelBatches = 0 },
        { "DailyReserveShare (1) must be at least 0 and below 1", o => o.DailyReserveShare = 1 },
        { "PortalTimeZone (Mars/Olympus) must be a time zone id", o => o.PortalTimeZone = "Mars/Olympus" },
        { "LockedRetryDelay (00:05:00) must be between 0 and 1 minute", o => o.LockedRetryDelay = TimeSpan.FromMinutes(5) },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Bad_options_stop_the_host_with_a_message_naming_the_configuration_path(string expected, Action<HubSpotConnectorOptions> breakIt)
    {
        var services = new ServiceCollection();
        services.AddHubSpotConnector("hubspot-eu", o =>
        {
            o.AccessToken = "pat-na1-x";
            o.ClientId = "client";
            o.ClientSecret = "secret";
            o.RefreshToken = "refresh";
            breakIt(o);
        });
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptionsMonitor<HubSpotConnectorOptions>>().Get("hubspot-eu"));

        Assert.Contains(error.Failures, f => f.StartsWith("Concord:HubSpot:hubspot-eu:" + expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Defaults_are_the_current_version_the_professional_tier_and_the_documented_unique_property()
    {
        var services = new ServiceCollection();
        services.AddHubSpotConnector(o => o.AccessToken = "pat-na1-x");
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptionsMonitor<HubSpotConnectorOptions>>().Get(HubSpotConnectorOptions.DefaultName);

        Assert.Equal("2026-09", options.ApiVersion);
        Assert.Equal(new Uri("https://api.hubapi.com"), options.BaseAddress);
        Assert.Equal(190, options.TenSecondlyLimit);
        Assert.Equal("concord_external_id", options.CompanyUniqueProperty);
        Assert.Equal(100, options.BatchSize);
        Assert.Equal(TimeSpan.FromMinutes(5), options.RefreshAhead);
    }
}
