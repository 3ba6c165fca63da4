using Concord.Canonical.Errors;
using Concord.Connectors.HubSpot.Tests.TestData;
using Concord.Testing.HubSpot;

namespace Concord.Connectors.HubSpot.Tests.Writes;

public sealed class UniquePropertyTests
{
    [Fact]
    public async Task The_unique_properties_are_created_at_the_first_write_when_missing()
    {
        await using var sim = new HubSpotSimulator();
        await using var hubspot = sim.CreateConnector();
        Assert.Null(sim.PropertyIsUnique("companies", "concord_external_id"));

        await hubspot.Connector.UpsertAsync(Customers.Request(Customers.Company("setup-1")));
        await hubspot.Connector.UpsertAsync(Customers.Request(Customers.Company("setup-2")));

        Assert.True(sim.PropertyIsUnique("companies", "concord_external_id"));
        Assert.True(sim.PropertyIsUnique("contacts", "concord_external_id"));
        Assert.Single(sim.Journal.Calls("POST", "/crm/properties/2026-09/companies"));
        Assert.Single(sim.Journal.Calls("GET", "/crm/properties/2026-09/companies/concord_external_id"));
    }

    [Fact]
    public async Task Without_the_schema_scope_a_missing_property_is_a_configuration_error_naming_the_scope()
    {
        var options = new HubSpotSimulatorOptions();
        options.Scopes.Remove("crm.schemas.companies.write");
        await using var sim = new HubSpotSimulator(options);
        await using var hubspot = sim.CreateConnector();

        var error = await Assert.ThrowsAsync<ConcordException>(() => hubspot.Connector.UpsertAsync(Customers.Request(Customers.Company("scope-1"))));

        Assert.Equal(ErrorCategory.Configuration, error.Category);
        Assert.Contains("crm.schemas.companies.write", error.Message, StringComparison.Ordinal);
        Assert.Empty(sim.Companies);
    }

    [Fact]
    public async Task An_existing_property_without_unique_values_is_a_configuration_error()
    {
        await using var sim = new HubSpotSimulator();
        sim.DefineProperty("companies", "concord_external_id", hasUniqueValue: false);
        await using var hubspot = sim.CreateConnector();

        var error = await Assert.ThrowsAsync<ConcordException>(() => hubspot.Connector.UpsertAsync(Customers.Request(Customers.Company("nonunique-1"))));

        Assert.Equal(ErrorCategory.Configuration, error.Category);
        Assert.Contains("does not require unique values", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_creation_turned_off_a_missing_property_is_a_configuration_error_saying_what_to_do()
    {
        await using var sim = new HubSpotSimulator();
        await using var hubspot = sim.CreateConnector(o => o.CreateUniqueProperties = false);

        var error = await Assert.ThrowsAsync<ConcordException>(() => hubspot.Connector.UpsertAsync(Customers.Request(Customers.Company("off-1"))));

        Assert.Equal(ErrorCategory.Configuration, error.Category);
        Assert.Contains("Require unique values", error.Message, StringComparison.Ordinal);
        Assert.Empty(sim.Journal.Calls("POST", "/crm/properties/2026-09/companies"));
    }

    [Fact]
    public async Task A_failed_set_up_is_tried_again_at_the_next_write()
    {
        await using var sim = new HubSpotSimulator();
        await using var hubspot = sim.CreateConnector(o => o.Resilience.MaxRetryAttempts = 0);
        sim.Faults.FailNext(1, 503, r => r.Path.Contains("/properties/", StringComparison.Ordinal));

        await Assert.ThrowsAsync<ConcordException>(() => hubspot.Connector.UpsertAsync(Customers.Request(Customers.Company("again-1"))));
        var result = await hubspot.Connector.UpsertAsync(Customers.Request(Customers.Company("again-1")));

        Assert.True(result.IsSuccess);
    }
}
