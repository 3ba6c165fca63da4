using Concord.Canonical.Connectors;
using Concord.Canonical.Errors;
using Concord.Connectors.Odoo.Tests.Support;
using Concord.Testing.Odoo;

namespace Concord.Connectors.Odoo.Tests.Api;

/// <summary>Odoo 19: Auto detects the version once and speaks JSON-2 with a bearer key.</summary>
public sealed class Json2Tests
{
    [Fact]
    public async Task Auto_speaks_json2_on_19_and_never_calls_execute_kw()
    {
        await using var odoo = OdooFixture.Start(new OdooSimulatorOptions { ServerVersion = "19.0" });

        var result = await odoo.Connector.UpsertAsync(Customers.Request(Customers.Company("j2-1")));
        var again = await odoo.Connector.UpsertAsync(Customers.Request(Customers.Company("j2-1")));

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(UpsertOutcome.Unchanged, again.Outcome);
        Assert.Equal("19.0", await odoo.Connector.GetServerVersionAsync());
        Assert.Empty(odoo.Simulator.Journal.Calls("/jsonrpc"));
        Assert.Single(odoo.Simulator.Journal.Calls("POST", "/web/webclient/version_info"));
        Assert.NotEmpty(odoo.Simulator.Journal.Calls("POST", "/json/2/res.partner/load"));
        Assert.All(odoo.Simulator.Journal.Calls("POST", "/json/2/res.partner/load"), e => Assert.Equal("***", e.Headers["Authorization"]));
        Assert.Equal(1, odoo.PartnerCount(p => p.IsCompany));
    }

    [Fact]
    public async Task Mobile_is_not_written_to_a_19_server()
    {
        await using var odoo = OdooFixture.Start(new OdooSimulatorOptions { ServerVersion = "19.0" });

        var result = await odoo.Connector.UpsertAsync(Customers.Request(Customers.Company("j2-2")));

        Assert.True(result.IsSuccess, result.Error?.Message);
        var contact = odoo.Simulator.Partner(long.Parse(result.ContactExternalIds["j2-2-contact-1"]))!;
        Assert.Equal("+491701234567", contact.Text("phone"));
        Assert.DoesNotContain(odoo.Simulator.Journal.Entries, e => e.Body?.Contains("\"mobile\"", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task Auto_speaks_json_rpc_on_18()
    {
        await using var odoo = OdooFixture.Start();

        await odoo.Connector.GetAsync("1");

        Assert.Equal("18.0", await odoo.Connector.GetServerVersionAsync());
        Assert.Empty(odoo.Simulator.Journal.Where(e => e.Path.StartsWith("/json/2/", StringComparison.Ordinal)));
        Assert.NotEmpty(odoo.Simulator.Journal.Calls("/jsonrpc"));
    }

    [Fact]
    public async Task Json2_bad_key_is_an_authentication_error()
    {
        await using var odoo = OdooFixture.Start(new OdooSimulatorOptions { ServerVersion = "19.0" }, o => o.ApiKey = "wrong");

        var error = await Assert.ThrowsAsync<ConcordException>(() => odoo.Connector.GetAsync("1"));

        Assert.Equal(ErrorCategory.Authentication, error.Category);
        Assert.Equal(401, error.StatusCode);
    }

    [Fact]
    public async Task Json2_archived_partner_round_trips_and_reads_back()
    {
        await using var odoo = OdooFixture.Start(new OdooSimulatorOptions { ServerVersion = "19.0" });
        var created = await odoo.Connector.UpsertAsync(Customers.Request(Customers.Company("j2-3", withBilling: true)));

        var read = await odoo.Connector.GetAsync(created.ExternalId!);

        Assert.NotNull(read);
        Assert.Equal("Acme GmbH", read.Name);
        Assert.Equal(2, read.Contacts.Length);
        Assert.Equal("DE-BE", read.AddressFor(Concord.Canonical.AddressRole.Billing)!.Region);
        Assert.Equal(["Customer", "VIP"], read.Tags.Order());
    }
}
