using Concord.Canonical;
using Concord.Canonical.Connectors;
using Concord.Connectors.Odoo.Tests.Support;
using Concord.Testing.Odoo;

namespace Concord.Connectors.Odoo.Tests.Upsert;

public sealed class ReadTests
{
    [Fact]
    public async Task Find_by_vat_or_email_returns_the_customer_with_its_contacts()
    {
        await using var odoo = OdooFixture.Start();
        var created = await odoo.Connector.UpsertAsync(Customers.Request(Customers.Company("find-1")));
        odoo.Simulator.CreatePartner(new OdooPartnerSeed { Name = "Unrelated", IsCompany = true, Vat = "FR999" });

        var byVat = await odoo.Connector.FindAsync(new MatchKeys { TaxIds = [new TaxIdentifier { Type = TaxIdType.Vat, Value = "DE123456789", Country = "DE" }] });
        var byEmail = await odoo.Connector.FindAsync(new MatchKeys { Emails = ["info@acme.example"] });
        var none = await odoo.Connector.FindAsync(new MatchKeys { Emails = ["nobody@nowhere.example"] });

        var found = Assert.Single(byVat);
        Assert.Equal(created.ExternalId, found.Provenance.ExternalIdIn("odoo"));
        Assert.Equal(2, found.Contacts.Length);
        Assert.Equal(created.ExternalId, Assert.Single(byEmail).Provenance.ExternalIdIn("odoo"));
        Assert.Empty(none);
        Assert.Empty(await odoo.Connector.FindAsync(new MatchKeys()));
    }

    [Fact]
    public async Task Get_of_an_unknown_or_malformed_id_is_null()
    {
        await using var odoo = OdooFixture.Start();

        Assert.Null(await odoo.Connector.GetAsync("424242"));
        Assert.Null(await odoo.Connector.GetAsync("not-a-number"));
    }

    [Fact]
    public async Task Written_customer_reads_back_equal_in_what_Odoo_holds()
    {
        await using var odoo = OdooFixture.Start();
        var customer = Customers.Company("roundtrip", withBilling: true);
        var created = await odoo.Connector.UpsertAsync(Customers.Request(customer));

        var read = (await odoo.Connector.GetAsync(created.ExternalId!))!;

        Assert.Equal(customer.Name, read.Name);
        Assert.Equal(customer.TaxIds.ToArray(), read.TaxIds.ToArray());
        Assert.Equal(customer.Emails.ToArray(), read.Emails.ToArray());
        Assert.Equal("acme.example", read.Domain);
        Assert.Equal("de-DE", read.Language);
        Assert.Equal(customer.Notes, read.Notes);
        Assert.Equal(["Customer", "VIP"], read.Tags.Order().ToArray());
        Assert.Equal("Berlin", read.AddressFor(AddressRole.Main)!.City);
        Assert.Equal("Accounts payable", read.AddressFor(AddressRole.Billing)!.Name);
        Assert.Equal(customer.Contacts.Select(c => c.Name), read.Contacts.Select(c => c.Name));
        Assert.Equal(Canonical.ContactPointUse.Mobile, read.Contacts[0].Phones[0].Use);
    }
}
