using Concord.Canonical;
using Concord.Canonical.Connectors;
using Concord.Canonical.Errors;
using Concord.Connectors.Odoo.Tests.Support;
using Concord.Testing.Odoo;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Concord.Connectors.Odoo.Tests.Upsert;

/// <summary>Issue 13 §4: errors a user can act on — the right category, at the right path, once.</summary>
public sealed class ActionableErrorTests
{
    [Fact]
    public async Task An_unknown_database_over_json2_is_a_configuration_error()
    {
        await using var odoo = OdooFixture.Start(new OdooSimulatorOptions { ServerVersion = "19.0" }, o => o.Database = "nope");

        var error = await Assert.ThrowsAsync<ConcordException>(() => odoo.Connector.UpsertManyAsync([Customers.Request(Customers.Company("db-1"))]));

        Assert.Equal(ErrorCategory.Configuration, error.Category);
        Assert.Contains("OdooConnectorOptions.Database", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("18.0")]
    [InlineData("19.0")]
    public async Task A_base_address_below_the_server_root_is_a_configuration_error_for_the_connector_not_a_missing_record(string version)
    {
        await using var odoo = OdooFixture.Start(new OdooSimulatorOptions { ServerVersion = version });
        await using var misplaced = odoo.Simulator.CreateConnector(o => o.BaseAddress = new Uri(odoo.Simulator.BaseAddress, "odoo/"));

        var error = await Assert.ThrowsAsync<ConcordException>(() => misplaced.Connector.UpsertManyAsync([Customers.Request(Customers.Company("path-1")), Customers.Request(Customers.Company("path-2", name: "Other"))]));

        Assert.Equal(ErrorCategory.Configuration, error.Category);
        Assert.False(error.IsRecordLevel);
        Assert.Contains("BaseAddress", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, odoo.PartnerCount());
    }

    [Fact]
    public async Task A_language_Odoo_has_not_installed_is_left_out_and_said_once()
    {
        using var sim = new OdooSimulator();
        var logs = new FakeLogCollector();
        await using var test = sim.CreateConnector(services: s => s.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(logs))));
        var existing = await test.Connector.UpsertAsync(Customers.Request(Customers.Company("lang-0", name: "Keeps German", vat: null)));

        var results = await test.Connector.UpsertManyAsync(
        [
            Customers.Request(Customers.Company("lang-1", name: "Japanese 1", vat: null) with { Language = "ja-JP" }),
            Customers.Request(Customers.Company("lang-2", name: "Japanese 2", vat: null, email: "j2@example.com") with { Language = "ja-JP" }),
            Customers.Request(Customers.Company("lang-0", name: "Keeps German", vat: null) with { Language = "ja-JP", Notes = "Renamed notes" }),
        ]);
        var again = await test.Connector.UpsertAsync(Customers.Request(Customers.Company("lang-3", name: "Japanese 3", vat: null, email: "j3@example.com") with { Language = "ja-JP" }));

        Assert.Equal([UpsertOutcome.Created, UpsertOutcome.Created, UpsertOutcome.Updated], results.Select(r => r.Outcome));
        Assert.Equal(UpsertOutcome.Created, again.Outcome);
        Assert.Null(sim.Partner(long.Parse(results[0].ExternalId!, System.Globalization.CultureInfo.InvariantCulture))!.Text("lang"));
        Assert.Equal("de_DE", sim.Partner(long.Parse(existing.ExternalId!, System.Globalization.CultureInfo.InvariantCulture))!.Text("lang"));
        Assert.Equal("Renamed notes", sim.Partner(long.Parse(existing.ExternalId!, System.Globalization.CultureInfo.InvariantCulture))!.Text("comment"));
        var warning = Assert.Single(logs.GetSnapshot(), r => r.Message.Contains("ja_JP", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Warning, warning.Level);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task A_blank_contact_name_is_refused_by_validation_and_nothing_of_the_customer_is_written(string name)
    {
        await using var odoo = OdooFixture.Start();
        var customer = Customers.Company("blank-1");
        customer = customer with { Contacts = [customer.Contacts[0], customer.Contacts[1] with { Name = name }] };

        var results = await odoo.Connector.UpsertManyAsync([Customers.Request(customer), Customers.Request(Customers.Company("blank-2", name: "Fine", vat: null, email: "fine@example.com"))]);

        Assert.Equal(ErrorCategory.Validation, results[0].Error!.Category);
        Assert.Equal("$.contacts[1].name", Assert.Single(results[0].Error!.FieldErrors).Field);
        Assert.True(results[1].IsSuccess);
        Assert.Equal(1, odoo.PartnerCount(p => p.IsCompany));
        Assert.DoesNotContain(odoo.Simulator.Partners, p => p.Name == "Acme GmbH");
    }

    [Fact]
    public async Task A_NUL_character_is_reported_at_its_field_not_at_the_root()
    {
        await using var odoo = OdooFixture.Start();
        var customer = Customers.Company("nul-1");
        customer = customer with { Notes = "Key\0account", Contacts = [customer.Contacts[0] with { JobTitle = "C\0O" }] };

        var result = await odoo.Connector.UpsertAsync(Customers.Request(customer));

        Assert.Equal(ErrorCategory.Validation, result.Error!.Category);
        Assert.Equal(["$.contacts[0].jobTitle", "$.notes"], result.Error.FieldErrors.Select(e => e.Field).Order());
        Assert.Equal(0, odoo.PartnerCount());
    }

    [Fact]
    public async Task A_row_Odoo_refuses_is_reported_at_its_field()
    {
        await using var odoo = OdooFixture.Start(new OdooSimulatorOptions { ValidateVat = true });

        var results = await odoo.Connector.UpsertManyAsync([Customers.Request(Customers.Company("vat-1", vat: "DE12")), Customers.Request(Customers.Company("vat-2", name: "Other", vat: "DE123456789", email: "o@example.com"))]);

        var error = results[0].Error!;
        Assert.Equal(ErrorCategory.Validation, error.Category);
        Assert.Equal("$.taxIds", Assert.Single(error.FieldErrors).Field);
        Assert.Contains("does not seem to be valid", error.VendorMessage, StringComparison.Ordinal);
        Assert.True(results[1].IsSuccess);
    }
}
