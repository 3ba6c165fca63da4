using System.Globalization;
using Concord.Connectors.Odoo.Tests.Support;
using Concord.Testing.Odoo;

namespace Concord.Connectors.Odoo.Tests.Webhooks;

/// <summary>ResolveCustomerIdsAsync: an Odoo webhook names a res.partner; the customer is the tree that partner belongs to.</summary>
public sealed class HintResolutionTests
{
    [Fact]
    public async Task A_child_contact_or_address_names_its_company_and_a_top_level_partner_names_itself_in_one_read()
    {
        await using var odoo = OdooFixture.Start();
        var sim = odoo.Simulator;
        var acme = sim.CreatePartner(new OdooPartnerSeed { Name = "Acme GmbH", IsCompany = true });
        var ada = sim.CreatePartner(new OdooPartnerSeed { Name = "Ada", ParentId = acme, Email = "ada@acme.example" });
        var invoice = sim.CreatePartner(new OdooPartnerSeed { Name = "Acme billing", ParentId = acme, Type = "invoice" });
        var person = sim.CreatePartner(new OdooPartnerSeed { Name = "Bea Solo" }); // a standalone person is a customer too
        await odoo.Connector.GetServerVersionAsync(); // signs in
        var before = odoo.CallCount;

        var resolved = await odoo.Connector.ResolveCustomerIdsAsync("res.partner", [Id(ada), Id(invoice), Id(person), Id(acme), "not-an-id"]);

        Assert.Equal([Id(acme), Id(person)], resolved);
        Assert.Equal(1, odoo.CallCount - before);
    }

    [Fact]
    public async Task A_contact_moved_to_another_company_names_the_company_it_is_in_now()
    {
        await using var odoo = OdooFixture.Start();
        var sim = odoo.Simulator;
        var acme = sim.CreatePartner(new OdooPartnerSeed { Name = "Acme GmbH", IsCompany = true });
        var globex = sim.CreatePartner(new OdooPartnerSeed { Name = "Globex", IsCompany = true });
        var ada = sim.CreatePartner(new OdooPartnerSeed { Name = "Ada", ParentId = acme });

        sim.MovePartner(ada, globex);

        Assert.Equal([Id(globex)], await odoo.Connector.ResolveCustomerIdsAsync("res.partner", [Id(ada)]));
    }

    [Fact]
    public async Task A_partner_odoo_no_longer_has_keeps_its_id_and_other_models_name_no_customer()
    {
        await using var odoo = OdooFixture.Start();
        var gone = odoo.Simulator.CreatePartner(new OdooPartnerSeed { Name = "Gone Ltd", IsCompany = true });
        odoo.Simulator.DeletePartner(gone);
        await odoo.Connector.GetServerVersionAsync(); // signs in
        var before = odoo.CallCount;

        Assert.Equal([Id(gone)], await odoo.Connector.ResolveCustomerIdsAsync("res.partner", [Id(gone)]));
        Assert.Empty(await odoo.Connector.ResolveCustomerIdsAsync("sale.order", ["7"]));
        Assert.Equal(1, odoo.CallCount - before);
    }

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);
}
