using Concord.Canonical;
using Concord.Sync.Flows;
using Concord.Sync.Ownership;
using Concord.Sync.Tests.Engine.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit;

namespace Concord.Sync.Tests.Flows;

public sealed class FlowDeclarationTests
{
    private static string StartupFailure(EngineHarness harness)
    {
        var error = Assert.ThrowsAny<Exception>(() => harness.Services.GetRequiredService<IStartupValidator>().Validate());
        return error is AggregateException aggregate ? string.Join(" | ", aggregate.Flatten().InnerExceptions.Select(e => e.Message)) : error.Message;
    }

    [Fact]
    public void An_unknown_target_connector_fails_at_start_naming_the_flow_and_the_connector()
    {
        using var harness = new EngineHarness(c => c.AddFlow("accounts-to-erp", f => f.From("crm").To("odoo")), null, new FakeCustomerConnector("crm"));

        var message = StartupFailure(harness);

        Assert.Contains("Flow 'accounts-to-erp' writes to connector 'odoo', which is not registered (registered connectors: crm)", message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_source_and_a_missing_target_are_both_reported()
    {
        using var harness = new EngineHarness(c => c.AddFlow("f1", f => f.From("salesforce")), null, new FakeCustomerConnector("crm"));

        var message = StartupFailure(harness);

        Assert.Contains("Flow 'f1' reads from connector 'salesforce', which is not registered", message, StringComparison.Ordinal);
        Assert.Contains("Flow 'f1' has no target", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolving_the_runner_validates_too()
    {
        using var harness = new EngineHarness(c => c.AddFlow("f1", f => f.From("crm").To("erp").Configure(o => o.PageSize = 0)), null, new FakeCustomerConnector("crm"), new FakeCustomerConnector("erp"));

        var error = Assert.Throws<OptionsValidationException>(() => harness.Runner);

        Assert.Contains("FlowOptions.PageSize", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_flow_name_declared_twice_is_refused()
    {
        var services = new ServiceCollection();
        var builder = services.AddConcord().AddFlow("f", f => f.FromHost("shop").To("erp"));

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddFlow("f", f => f.FromHost("shop").To("erp")));

        Assert.Contains("'f'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_fluent_declaration_lands_in_the_named_options()
    {
        using var harness = new EngineHarness(
            c => c.AddFlow("accounts-to-erp", f => f
                .From("crm")
                .To("erp", "desk")
                .Ownership(o => o.Field(CustomerField.TaxIds).OwnedBy("erp").Unowned(Survivorship.NonEmpty))
                .WhenTargetUnavailable(TargetPolicy.Stop)
                .PollEvery(TimeSpan.FromSeconds(30))),
            null,
            new FakeCustomerConnector("crm"),
            new FakeCustomerConnector("erp"),
            new FakeCustomerConnector("desk"));

        var flow = harness.Flow("accounts-to-erp");

        Assert.Equal(["erp", "desk"], flow.Options.Targets);
        Assert.Equal(("crm", FlowSourceKind.ChangeFeed, TargetPolicy.Stop), (flow.Options.Source, flow.Options.SourceKind, flow.Options.WhenTargetUnavailable));
        Assert.Equal("erp", flow.Options.Ownership.OwnerOf(CustomerField.TaxIds));
        Assert.Equal(Survivorship.NonEmpty, flow.Options.Ownership.Unowned);
        Assert.Equal(TimeSpan.FromSeconds(30), flow.Options.PollInterval);
        Assert.Throws<KeyNotFoundException>(() => harness.Runner.GetFlow("other"));
    }

    [Fact]
    public void Without_flows_the_runner_is_empty_and_names_what_is_missing()
    {
        using var harness = new EngineHarness(_ => { });

        Assert.Empty(harness.Runner.Flows);
        Assert.Contains("declared: none", Assert.Throws<KeyNotFoundException>(() => harness.Runner.GetFlow("x")).Message, StringComparison.Ordinal);
    }
}
