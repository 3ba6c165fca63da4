using Concord.Canonical.Resilience;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit;

namespace Concord.Canonical.Tests.Resilience;

public sealed class OptionsValidationTests
{
    [Fact]
    public void Defaults_are_valid()
    {
        var result = new ConnectorResilienceOptionsValidator().Validate(null, new ConnectorResilienceOptions());

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Theory]
    [InlineData(nameof(ConnectorResilienceOptions.AttemptTimeout), "must be below Concord:Odoo:Resilience:TotalRequestTimeout")]
    [InlineData(nameof(ConnectorResilienceOptions.MaxRetryAttempts), "must be between 0 and 100")]
    [InlineData(nameof(ConnectorResilienceOptions.MaxDelay), "must not be below Concord:Odoo:Resilience:BaseDelay")]
    [InlineData(nameof(ConnectorResilienceOptions.FailureRatio), "must be above 0 and at most 1")]
    [InlineData(nameof(ConnectorResilienceOptions.MinimumThroughput), "must be at least 2")]
    [InlineData(nameof(ConnectorResilienceOptions.BreakDuration), "must be between")]
    [InlineData(nameof(ConnectorResilienceOptions.PermitLimit), "must be at least 1")]
    [InlineData(nameof(ConnectorResilienceOptions.Window), "must be between")]
    [InlineData(nameof(ConnectorResilienceOptions.QueueLimit), "must not be negative")]
    [InlineData(nameof(ConnectorResilienceOptions.RateBudgetBatchSize), "must be between 1 and Concord:Odoo:Resilience:PermitLimit (10)")]
    [InlineData(nameof(ConnectorResilienceOptions.RateBudgetKey), "must be a non-blank name")]
    public void Each_bad_option_is_named_in_the_message(string option, string rule)
    {
        var options = new ConnectorResilienceOptions();
        switch (option)
        {
            case nameof(options.AttemptTimeout): options.AttemptTimeout = options.TotalRequestTimeout; break;
            case nameof(options.MaxRetryAttempts): options.MaxRetryAttempts = -1; break;
            case nameof(options.MaxDelay): options.MaxDelay = TimeSpan.FromMilliseconds(10); break;
            case nameof(options.FailureRatio): options.FailureRatio = 0; break;
            case nameof(options.MinimumThroughput): options.MinimumThroughput = 1; break;
            case nameof(options.BreakDuration): options.BreakDuration = TimeSpan.FromMilliseconds(100); break;
            case nameof(options.PermitLimit): options.PermitLimit = 0; break;
            case nameof(options.Window): options.Window = TimeSpan.Zero; break;
            case nameof(options.QueueLimit): options.QueueLimit = -1; break;
            case nameof(options.RateBudgetBatchSize): options.RateBudgetBatchSize = 11; break;
            case nameof(options.RateBudgetKey): options.RateBudgetKey = " "; break;
        }

        var result = new ConnectorResilienceOptionsValidator("Concord:Odoo:Resilience").Validate(null, options);

        Assert.True(result.Failed);
        var failure = Assert.Single(result.Failures!);
        Assert.StartsWith($"Concord:Odoo:Resilience:{option} (", failure, StringComparison.Ordinal);
        Assert.Contains(rule, failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Shared_budget_needs_a_window_of_at_least_100_ms()
    {
        var options = new ConnectorResilienceOptions { SharedRateBudget = true, Window = TimeSpan.FromMilliseconds(50) };

        var result = new ConnectorResilienceOptionsValidator("Concord:HubSpot:Resilience").Validate(null, options);

        var failure = Assert.Single(result.Failures!);
        Assert.StartsWith("Concord:HubSpot:Resilience:Window (00:00:00.0500000) must be at least 00:00:00.1000000 when Concord:HubSpot:Resilience:SharedRateBudget is on", failure, StringComparison.Ordinal);
        Assert.True(new ConnectorResilienceOptionsValidator().Validate(null, new ConnectorResilienceOptions { Window = TimeSpan.FromMilliseconds(50) }).Succeeded);
    }

    [Fact]
    public void Bad_options_stop_the_host_at_start_with_the_option_named()
    {
        var services = new ServiceCollection();
        services.AddHttpClient("Concord.odoo.eu")
            .AddConcordResilience("odoo", _ => new ConnectorResilienceOptions { AttemptTimeout = TimeSpan.FromMinutes(5) });
        using var provider = services.BuildServiceProvider();

        var failure = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("ConnectorResilienceOptions[Concord.odoo.eu]:AttemptTimeout (00:05:00) must be below", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_of_two_clients_are_validated_separately()
    {
        var services = new ServiceCollection();
        services.AddHttpClient("Concord.odoo.good").AddConcordResilience("odoo", _ => new ConnectorResilienceOptions());
        services.AddHttpClient("Concord.odoo.bad").AddConcordResilience("odoo", _ => new ConnectorResilienceOptions { PermitLimit = 0 });
        using var provider = services.BuildServiceProvider();
        var monitor = provider.GetRequiredService<IOptionsMonitor<ConnectorResilienceOptions>>();

        Assert.Equal(10, monitor.Get("Concord.odoo.good").PermitLimit);
        var failure = Assert.Throws<OptionsValidationException>(() => monitor.Get("Concord.odoo.bad"));
        Assert.Contains("ConnectorResilienceOptions[Concord.odoo.bad]:PermitLimit", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Adding_the_pipeline_twice_to_one_client_is_refused()
    {
        var services = new ServiceCollection();
        var client = services.AddHttpClient("Concord.odoo.eu").AddConcordResilience("odoo", _ => new ConnectorResilienceOptions());

        var failure = Assert.Throws<InvalidOperationException>(() => client.AddConcordResilience("odoo", _ => new ConnectorResilienceOptions()));

        Assert.Contains("'Concord.odoo.eu'", failure.Message, StringComparison.Ordinal);
    }
}
