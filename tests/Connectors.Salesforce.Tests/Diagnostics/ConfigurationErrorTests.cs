using Concord.Canonical.Errors;
using Concord.Connectors.Salesforce.Tests.TestData;
using Concord.Testing.Salesforce;

namespace Concord.Connectors.Salesforce.Tests.Diagnostics;

/// <summary>
/// A missing or inaccessible field is the configuration's fault, the same for every record: it stops the call once as a
/// Configuration error instead of failing (and dead-lettering) each record. A query locator that expired is transient.
/// </summary>
public sealed class ConfigurationErrorTests
{
    [Fact]
    public async Task A_missing_external_id_field_stops_a_batch_once_as_a_configuration_error()
    {
        using var sim = new SalesforceSimulator();
        await using var sf = sim.CreateConnector(o => o.AccountExternalIdField = "Missing_Id__c");

        var error = await Assert.ThrowsAsync<ConcordException>(() => sf.Connector.UpsertManyAsync(Customers.Requests(3)));

        Assert.Equal(ErrorCategory.Configuration, error.Category);
        Assert.Contains("Missing_Id__c", error.Message, StringComparison.Ordinal);
        Assert.Contains("AccountExternalIdField", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_external_id_field_stops_a_single_upsert_as_a_configuration_error()
    {
        using var sim = new SalesforceSimulator();
        await using var sf = sim.CreateConnector(o => o.AccountExternalIdField = "Missing_Id__c");

        var error = await Assert.ThrowsAsync<ConcordException>(() => sf.Connector.UpsertAsync(Customers.Request(Customers.Company("x-1"))));

        Assert.Equal(ErrorCategory.Configuration, error.Category);
    }

    [Fact]
    public async Task An_unknown_field_in_the_feed_query_is_a_configuration_error()
    {
        using var sim = new SalesforceSimulator();
        sim.SeedAccount("f-1", "Feed");
        await using var sf = sim.CreateConnector(o => o.ContactExternalIdField = "Missing_Id__c");

        var error = await Assert.ThrowsAsync<ConcordException>(async () =>
        {
            await foreach (var change in sf.Connector.ReadChangesAsync(null))
            {
                _ = change;
            }
        });

        Assert.Equal(ErrorCategory.Configuration, error.Category);
        Assert.Equal("INVALID_FIELD", error.VendorErrorCode);
        Assert.False(error.IsRecordLevel);
    }

    [Fact]
    public async Task An_expired_query_locator_is_transient_so_the_feed_restarts_from_its_cursor()
    {
        using var sim = new SalesforceSimulator();
        for (var i = 0; i < 450; i++)
        {
            sim.SeedAccount($"loc-{i}", $"Account {i}");
        }

        await using var sf = sim.CreateConnector(o => o.QueryPageSize = 200);
        sim.FailNextApiCalls(1, 400, "INVALID_QUERY_LOCATOR", "invalid query locator", r => r.Path.Contains("/query/", StringComparison.Ordinal));

        var error = await Assert.ThrowsAsync<ConcordException>(async () =>
        {
            await foreach (var change in sf.Connector.ReadChangesAsync(null))
            {
                _ = change;
            }
        });

        Assert.Equal(ErrorCategory.Transient, error.Category);
        Assert.True(error.IsRetryable);
    }
}
