using System.Globalization;
using Concord.Canonical;
using Concord.EndToEnd.Tests.Support;
using Concord.EndToEnd.Worker;
using Concord.Sync.Flows;
using Concord.Sync.Identity;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Concord.EndToEnd.Tests;

/// <summary>
/// Issue 11 §3 against the simulators: while the Salesforce feed brings 1,000 new companies to Odoo, a host-submitted
/// flow brings 200 of the same companies (same website) from a shop at the same time. Each company is created in Odoo
/// once, and the shop's record joins the Salesforce record's customer.
/// </summary>
public sealed class TwoFlowTests(ITestOutputHelper output)
{
    private const int FromShop = 200;

    [Fact]
    public async Task The_feed_and_a_host_flow_bringing_the_same_new_companies_at_once_create_each_company_once()
    {
        await using var world = new EndToEndWorld("e2e-two-flows");
        await using var host = world.BuildHost(more: concord => concord.AddFlow("shop", flow => flow
            .FromHost("shop")
            .To("odoo")
            .Ownership(owners => owners
                .System("salesforce", CustomerField.Name, CustomerField.Contacts, CustomerField.Phones, CustomerField.Website)
                .System("odoo", CustomerField.TaxIds, CustomerField.BillingAddress, CustomerField.MainAddress))
            .PollEvery(null)
            .Configure(options =>
            {
                options.PageSize = 20;
                options.WriteLease = EndToEndFlow.WriteLease;
                options.MaxDeliveryAttempts = 100;
            })));
        var runner = host.GetRequiredService<IFlowRunner>();
        var feed = runner.GetFlow(world.FlowName);
        var shop = runner.GetFlow("shop");
        var now = DateTimeOffset.UtcNow;
        var accounts = world.ValidAccountIds.Take(FromShop).ToList();
        var customers = accounts.Select((id, i) => new CanonicalCustomer
        {
            Kind = CustomerKind.Company,
            Name = string.Create(CultureInfo.InvariantCulture, $"Shop buyer {i}"),
            Website = world.WebsiteOf[id],
            Provenance = new Provenance { ExternalRefs = [new ExternalRef("shop", "buyer-" + id)], SourceModifiedAt = now },
        }).ToList();

        var fed = EndToEndFlow.RunUntilSettledAsync(feed);
        var submitted = Task.Run(() => shop.SubmitManyAsync(customers));
        await Task.WhenAll(fed, submitted);
        output.WriteLine($"shop, submitted with the feed: {await submitted}");
        for (var pass = 0; pass < 20 && (await shop.RunOnceAsync()) is { } retry; pass++)
        {
            output.WriteLine($"shop, retry: {retry}");
            if (retry.Deferred == 0)
            {
                break;
            }

            await Task.Delay(EndToEndFlow.WriteLease);
        }

        await EndToEndFlow.RunUntilSettledAsync(feed);
        await world.AssertCompleteAsync();
        var map = host.GetRequiredService<IIdentityMap>();
        var bySalesforce = await map.ResolveAsync([.. accounts.Select(id => new ExternalRef("salesforce", id))]);
        var byShop = await map.ResolveAsync([.. accounts.Select(id => new ExternalRef("shop", "buyer-" + id))]);
        var apart = accounts.Where(id => byShop.GetValueOrDefault(new ExternalRef("shop", "buyer-" + id)) != bySalesforce[new ExternalRef("salesforce", id)]).ToList();
        Assert.True(apart.Count == 0, $"{apart.Count} shop records are not the Salesforce record's customer, e.g. {string.Join(", ", apart.Take(5))}");
    }
}
