using Concord.Canonical;
using Concord.Sync.Flows;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Concord.Soak.Runner;

/// <summary>
/// The two flows of the soak, sharing Odoo as their target on one SQLite file: Salesforce's change feed, and a shop that
/// submits its customers (a host flow). Salesforce owns names, contacts, phones and websites; the shop owns emails; Odoo
/// owns tax ids and addresses (seeded on create).
/// </summary>
internal static class SoakFlows
{
    public const string FeedFlow = "soak-salesforce";
    public const string ShopFlow = "soak-shop";
    public const string ShopSystem = "shop";
    public const string StatePathKey = "Soak:StatePath";
    public const string EventsPathKey = "Soak:EventsPath";
    public const string FeedPathKey = "Soak:FeedPath";

    /// <summary>How long a write's claim holds: short, so a restarted worker takes over a killed one's claims soon.</summary>
    public static readonly TimeSpan WriteLease = TimeSpan.FromSeconds(5);

    public static void Add(IServiceCollection services, IConfiguration configuration)
    {
        var statePath = configuration[StatePathKey] ?? throw new InvalidOperationException($"{StatePathKey} is not set.");
        services.AddConcord(concord => concord
            .UseSqlite(statePath)
            .AddSalesforceConnector(configuration.GetSection("Concord:Salesforce"))
            .AddOdooConnector(configuration.GetSection("Concord:Odoo"))
            .AddFlow(FeedFlow, flow => Declare(flow.From("salesforce")))
            .AddFlow(ShopFlow, flow => Declare(flow.FromHost(ShopSystem))));
    }

    private static void Declare(FlowBuilder flow) => flow
        .To("odoo")
        .Ownership(owners => owners
            .System("salesforce", CustomerField.Name, CustomerField.Contacts, CustomerField.Phones, CustomerField.Website)
            .System(ShopSystem, CustomerField.Emails)
            .System("odoo", CustomerField.TaxIds, CustomerField.BillingAddress, CustomerField.MainAddress)
            .SeedOwnedFieldsOnCreate(true))
        .WhenTargetUnavailable(TargetPolicy.Defer)
        .PollEvery(null)
        .Configure(options =>
        {
            options.PageSize = 500; // the default
            options.MaxDeliveryAttempts = 100;
            options.WriteLease = WriteLease;
            options.FeedLease = WriteLease; // a restarted worker soon takes over the feed lease a killed one held
            options.ProbeInterval = TimeSpan.FromSeconds(1); // an injected outage pauses the target only briefly
        });
}
