using Concord.Canonical;
using Concord.Sync.Flows;
using Concord.Testing.Odoo;
using Concord.Testing.Salesforce;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Concord.EndToEnd.Tests;

/// <summary>
/// Found by the soak (build/soak.sh, seed 1, 5,000 customers, before issue 17 §2: 40 of 41 stale names were never
/// delivered by the feed): Salesforce's <c>SystemModstamp</c> has whole seconds, so a record edited in the same second as
/// the record the feed last read, with a smaller Id, was never read by a strict keyset feed and Odoo kept its old value
/// for good. The feed's overlap window reads it again.
/// </summary>
public sealed class SalesforceFeedTests
{
    [Fact]
    public async Task An_account_edited_in_the_same_second_as_the_last_one_the_feed_read_reaches_odoo()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
        await using var salesforce = new SalesforceSimulator(new SalesforceSimulatorOptions { TimeProvider = clock, DailyApiAllocation = 100_000 });
        await using var odoo = new OdooSimulator();
        var first = salesforce.SeedAccount(null, "First GmbH", new Dictionary<string, object?> { ["Website"] = "https://first.example", ["BillingCountry"] = "DE" });
        var second = salesforce.SeedAccount(null, "Second GmbH", new Dictionary<string, object?> { ["Website"] = "https://second.example", ["BillingCountry"] = "DE" });
        Assert.True(string.CompareOrdinal(first, second) < 0);

        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Error));
        services.AddConcord(concord => concord
            .AddSalesforceConnector(o => salesforce.Configure(o))
            .AddOdooConnector(o => odoo.Configure(o))
            .AddFlow("accounts", flow => flow.From("salesforce").To("odoo").PollEvery(null)));
        await using var host = services.BuildServiceProvider();
        var flow = host.GetRequiredService<IFlowRunner>().GetFlow("accounts");
        await flow.RunOnceAsync();

        // 09:00:10.200: a user renames the second account; the feed reads it (its cursor is now 09:00:10, second's Id).
        clock.Advance(TimeSpan.FromSeconds(10.2));
        salesforce.EditRecord(second, new Dictionary<string, object?> { ["Name"] = "Second Renamed GmbH" });
        await flow.RunOnceAsync();

        // 09:00:10.700: another user renames the first account, in the same second.
        clock.Advance(TimeSpan.FromSeconds(0.5));
        salesforce.EditRecord(first, new Dictionary<string, object?> { ["Name"] = "First Renamed GmbH" });
        await flow.RunOnceAsync();
        clock.Advance(TimeSpan.FromMinutes(5));
        await flow.RunOnceAsync();

        var names = odoo.Partners.Where(p => p.IsCompany).Select(p => p.Name).Order(StringComparer.Ordinal);
        Assert.Equal(["First Renamed GmbH", "Second Renamed GmbH"], names);
    }
}
