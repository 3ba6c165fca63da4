using System.Globalization;
using Concord.Testing.HubSpot;
using Concord.Testing.Odoo;
using Concord.Testing.Salesforce;
using Concord.Testing.Zendesk;

namespace Concord.Samples.CustomerSync.Demo;

/// <summary>
/// The embedded systems of the demo: a Salesforce and an Odoo simulator on 127.0.0.1, seeded from a <see cref="DemoCatalog"/>,
/// an empty HubSpot simulator (the second target) and an empty Zendesk simulator (the support flow fills it).
/// </summary>
internal sealed class DemoEnvironment : IAsyncDisposable
{
    private readonly Dictionary<int, string> _salesforceIds = [];
    private readonly Dictionary<int, long> _odooIds = [];

    private DemoEnvironment(DemoCatalog catalog)
    {
        Catalog = catalog;
        Salesforce = new SalesforceSimulator(new SalesforceSimulatorOptions { DailyApiAllocation = 1_000_000 });

        // The back office entered its companies before the sales reps last touched their accounts: Odoo's clock runs a day
        // behind, so "most recent wins" prefers Salesforce's values for the fields nobody owns on every run. With one
        // clock, both simulators stamp the seeded records within the same second or two, and which side is newer (and so
        // how many changes are refused) would change from run to run.
        Odoo = new OdooSimulator(new OdooSimulatorOptions { TimeProvider = new ShiftedClock(OdooClockOffset) });
        HubSpot = new HubSpotSimulator();

        // An Enterprise Plus account with bulk user import switched on, as a support team syncing customers would ask for.
        Zendesk = new ZendeskSimulator(new ZendeskSimulatorOptions { RequestsPerMinute = 2500, BulkUserImportEnabled = true });
    }

    /// <summary>How far Odoo's clock runs behind Salesforce's in the demo.</summary>
    public static TimeSpan OdooClockOffset { get; } = TimeSpan.FromDays(-1);

    public DemoCatalog Catalog { get; }

    public SalesforceSimulator Salesforce { get; }

    public OdooSimulator Odoo { get; }

    public HubSpotSimulator HubSpot { get; }

    public ZendeskSimulator Zendesk { get; }

    public int ContactCount { get; private set; }

    public static async Task<DemoEnvironment> StartAsync(int accounts, CancellationToken cancellationToken)
    {
        var environment = new DemoEnvironment(new DemoCatalog(accounts));
        try
        {
            await environment.SeedAsync(cancellationToken);
            return environment;
        }
        catch
        {
            await environment.DisposeAsync();
            throw;
        }
    }

    /// <summary>Edits accounts in Salesforce as sales reps would: a new phone number, and for customers Odoo already had, a new billing street (which Odoo owns, so the flow must refuse it).</summary>
    public IReadOnlyList<DemoAccount> EditAccounts(int count)
    {
        var edited = Catalog.PickEdits(count);
        foreach (var account in edited)
        {
            var prefix = account.Phone[..(account.Phone.LastIndexOf(' ') + 1)];
            var phone = prefix + "555" + (account.Index % 10_000).ToString("D4", CultureInfo.InvariantCulture);
            var fields = new Dictionary<string, object?> { ["Phone"] = phone == account.Phone ? prefix + "5560000" : phone };
            if (account.Role == DemoRole.ExistsInOdoo)
            {
                fields["BillingStreet"] = "1 Sales Rep Avenue";
            }

            Salesforce.EditRecord(_salesforceIds[account.Index], fields);
        }

        return edited;
    }

    /// <summary>How many of the customers Odoo already had still carry Odoo's own tax id and billing street.</summary>
    public int OdooOwnedFieldsIntact()
    {
        var intact = 0;
        foreach (var customer in Catalog.OdooCustomers)
        {
            var partner = Odoo.Partner(_odooIds[customer.AccountIndex]);
            if (partner?.Text("vat") == customer.Vat && partner.Text("street") == customer.Billing.Street)
            {
                intact++;
            }
        }

        return intact;
    }

    /// <summary>How many Zendesk organizations carry a canonical id, and how many of them share one (there must be none).</summary>
    public (int Organizations, int Users, int DuplicateExternalIds) ZendeskTally() =>
        (Zendesk.Organizations.Count(o => !o.IsDeleted && o.ExternalId is not null),
         Zendesk.Users.Count(u => u.Active && u.ExternalId is not null),
         Zendesk.Organizations.Where(o => o.ExternalId is not null).GroupBy(o => o.ExternalId!, StringComparer.OrdinalIgnoreCase).Count(g => g.Count() > 1));

    /// <summary>Counts Odoo companies by website, to show that no company was created twice.</summary>
    public int OdooCompaniesWithSharedWebsite() =>
        Odoo.Partners.Where(p => p.IsCompany && p.Active && p.Text("website") is not null)
            .GroupBy(p => Domain(p.Text("website")!))
            .Count(g => g.Count() > 1);

    /// <summary>How many live companies and contacts HubSpot holds, and how many canonical ids it holds more than once.</summary>
    public (int Companies, int Contacts, int Twice) HubSpotCounts()
    {
        var companies = HubSpot.Companies.Where(c => !c.Archived && c.MergedInto is null).ToList();
        var contacts = HubSpot.Contacts.Count(c => !c.Archived && c.MergedInto is null);
        var twice = companies.GroupBy(c => c["concord_external_id"]).Count(g => g.Key is not null && g.Count() > 1);
        return (companies.Count, contacts, twice);
    }

    public async ValueTask DisposeAsync()
    {
        await Salesforce.DisposeAsync();
        await Odoo.DisposeAsync();
        await HubSpot.DisposeAsync();
        await Zendesk.DisposeAsync();
    }

    private async Task SeedAsync(CancellationToken cancellationToken)
    {
        foreach (var account in Catalog.Accounts)
        {
            var id = Salesforce.SeedAccount(null, account.Name, new Dictionary<string, object?>
            {
                ["Website"] = account.Website,
                ["Phone"] = account.Phone,
                ["BillingStreet"] = account.Billing.Street,
                ["BillingCity"] = account.Billing.City,
                ["BillingPostalCode"] = account.Billing.PostalCode,
                ["BillingCountry"] = account.Billing.Country,
            });
            _salesforceIds[account.Index] = id;
            foreach (var contact in account.Contacts)
            {
                Salesforce.SeedContact(id, null, contact.LastName, new Dictionary<string, object?>
                {
                    ["FirstName"] = contact.FirstName,
                    ["Email"] = contact.Email,
                    ["Title"] = contact.Title,
                });
                ContactCount++;
            }
        }

        using var backOffice = new OdooBackOffice(Odoo);
        foreach (var customer in Catalog.OdooCustomers)
        {
            _odooIds[customer.AccountIndex] = await backOffice.CreateCompanyAsync(customer, cancellationToken);
        }
    }

    private static string Domain(string website) =>
        new Uri(website.Contains("://", StringComparison.Ordinal) ? website : "https://" + website).Host.Replace("www.", string.Empty, StringComparison.Ordinal);

    /// <summary>The system clock, shifted.</summary>
    private sealed class ShiftedClock(TimeSpan offset) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + offset;
    }
}
