using System.Collections.Immutable;
using Concord.Canonical;
using Concord.Canonical.Connectors;
using Concord.Canonical.Errors;
using Concord.Connectors.Zendesk.Mapping;
using Concord.Connectors.Zendesk.Tests.TestData;
using Concord.Testing.Zendesk;

namespace Concord.Connectors.Zendesk.Tests.Mapping;

public sealed class MappingTests
{
    private static CanonicalCustomer Rich(string id) => Customers.Company(id, contacts: 1) with
    {
        TaxIds = [new TaxIdentifier { Type = TaxIdType.Vat, Value = "DE811907980", Country = "DE" }, new TaxIdentifier { Type = TaxIdType.CompanyRegistry, Value = "HRB1", Country = "DE" }],
        Currency = "EUR",
        LifecycleStage = LifecycleStage.SalesQualifiedLead,
        Tags = ["vip", "key account"],
        CustomAttributes = ImmutableSortedDictionary<string, string>.Empty.Add("tier", "gold"),
        Contacts = [Customers.Person(id, 1) with { JobTitle = "CTO" }],
    };

    [Theory]
    [InlineData(ZendeskAddressTarget.Details)]
    [InlineData(ZendeskAddressTarget.OrganizationFields)]
    public async Task Every_carried_field_reads_back_as_written(ZendeskAddressTarget target)
    {
        await using var sim = new ZendeskSimulator(new ZendeskSimulatorOptions { BulkUserImportEnabled = true });
        await using var zendesk = sim.CreateConnector(o =>
        {
            o.AddressTarget = target;
            o.CustomFieldMappings["tier"] = "sla_tier";
            o.JobTitleUserField = "job_title";
        });
        var customer = Rich("rich-1");

        var result = await zendesk.Connector.UpsertAsync(Customers.Request(customer));
        var read = (await zendesk.Connector.GetAsync(result.ExternalId!))!;

        Assert.Equal(customer.Name, read.Name);
        Assert.Equal(customer.Domain, read.Domain);
        Assert.Equal(customer.Addresses.Single(), read.Addresses.Single());
        Assert.Equal(customer.TaxIds.ToArray(), read.TaxIds.ToArray());
        Assert.Equal("EUR", read.Currency);
        Assert.Equal(LifecycleStage.SalesQualifiedLead, read.LifecycleStage);
        Assert.Equal(["vip", "key_account"], read.Tags.ToArray());
        Assert.Equal(customer.Notes, read.Notes);
        Assert.Equal("gold", read.CustomAttributes["tier"]);
        var contact = read.Contacts.Single();
        Assert.Equal(("rich-1-c1", "Ada Lovelace1", "ada1@rich-1.example", "+442079460000", "en-GB", "CTO"), (contact.Id, contact.Name, contact.Emails[0].Address, contact.Phones[0].E164, contact.Language, contact.JobTitle));
        Assert.Equal(target == ZendeskAddressTarget.Details ? "Unter den Linden 1\nHof 2\n10117 Berlin\nDE-BE, DE" : null, sim.Organizations.Single().Details);

        // Written back unchanged, nothing is sent.
        var again = await zendesk.Connector.UpsertManyAsync([Customers.Request(customer)]);
        Assert.Equal(UpsertOutcome.Unchanged, again[0].Outcome);
    }

    [Fact]
    public void Carried_fields_follow_the_configured_field_keys()
    {
        IReadOnlySet<CustomerField> all = new ZendeskMapper(new ZendeskConnectorOptions { CustomFieldMappings = { ["tier"] = "sla_tier" } }, "zendesk").Carried;
        IReadOnlySet<CustomerField> bare = new ZendeskMapper(new ZendeskConnectorOptions { OrganizationFields = new() { TaxIds = "", Currency = null, LifecycleStage = " " } }, "zendesk").Carried;

        Assert.Equal(
            new[] { CustomerField.Kind, CustomerField.Name, CustomerField.Contacts, CustomerField.BillingAddress, CustomerField.TaxIds, CustomerField.Website, CustomerField.LifecycleStage, CustomerField.Currency, CustomerField.Tags, CustomerField.Notes, CustomerField.CustomAttributes }.Order(),
            all.Order());
        Assert.DoesNotContain(CustomerField.TaxIds, bare);
        Assert.DoesNotContain(CustomerField.Currency, bare);
        Assert.DoesNotContain(CustomerField.LifecycleStage, bare);
        Assert.DoesNotContain(CustomerField.CustomAttributes, bare);
        Assert.DoesNotContain(CustomerField.Emails, all);
        Assert.DoesNotContain(CustomerField.Status, all);
    }

    [Fact]
    public async Task A_field_the_account_lacks_is_a_Configuration_error_naming_it_unless_creation_is_allowed()
    {
        await using var sim = new ZendeskSimulator();
        await using var strict = sim.CreateConnector(o => o.CreateMissingFields = false);

        var error = await Assert.ThrowsAsync<ConcordException>(() => strict.Connector.UpsertAsync(Customers.Request(Customers.Company("f-1"))));

        Assert.Equal(ErrorCategory.Configuration, error.Category);
        Assert.Contains("'concord_tax_ids'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Concord:Zendesk:CreateMissingFields", error.Message, StringComparison.Ordinal);
        Assert.Empty(sim.Organizations);

        await using var lenient = sim.CreateConnector(o => o.CreateMissingFields = true, name: "lenient");
        var result = await lenient.Connector.UpsertAsync(Customers.Request(Customers.Company("f-1")));
        Assert.True(result.IsSuccess);
        Assert.Contains("concord_currency", sim.OrganizationFieldKeys);
    }

    [Fact]
    public async Task A_job_title_user_field_the_account_lacks_is_a_Configuration_error_naming_it_and_its_option()
    {
        await using var sim = new ZendeskSimulator(new ZendeskSimulatorOptions { BulkUserImportEnabled = true });
        await using (var setup = sim.CreateConnector(name: "setup"))
        {
            // The organization fields exist, so only the user field is missing.
            Assert.True((await setup.Connector.UpsertAsync(Customers.Request(Customers.Company("jt-0")))).IsSuccess);
        }

        await using var strict = sim.CreateConnector(o =>
        {
            o.CreateMissingFields = false;
            o.JobTitleUserField = "job_title";
        });

        var error = await Assert.ThrowsAsync<ConcordException>(() => strict.Connector.UpsertAsync(Customers.Request(Customers.Company("jt-1", contacts: 1))));

        Assert.Equal(ErrorCategory.Configuration, error.Category);
        Assert.Contains("user field 'job_title'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Concord:Zendesk:JobTitleUserField", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("job_title", sim.UserFieldKeys);
        Assert.Empty(sim.Users);
    }

    [Fact]
    public async Task Creating_a_field_without_the_right_is_a_Configuration_error()
    {
        await using var sim = new ZendeskSimulator(new ZendeskSimulatorOptions { Scopes = "read organizations:write users:write" });
        await using var zendesk = sim.CreateConnector();

        var error = await Assert.ThrowsAsync<ConcordException>(() => zendesk.Connector.UpsertAsync(Customers.Request(Customers.Company("f-1"))));

        Assert.Equal(ErrorCategory.Configuration, error.Category);
        Assert.Contains("may not create it", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Unter den Linden 1\nHof 2\n10117 Berlin\nDE-BE, DE", "Unter den Linden 1", "Hof 2", "10117", "Berlin", "DE-BE", "DE")]
    [InlineData("1 Main St\nSpringfield\nUS", "1 Main St", null, null, "Springfield", null, "US")]
    [InlineData("Typed by an agent", "Typed by an agent", null, null, null, null, null)]
    public void Address_text_reads_back_line_by_line(string text, string? street, string? street2, string? postal, string? city, string? region, string? country)
    {
        var address = AddressText.Parse(text, AddressRole.Billing)!;

        Assert.Equal((street, street2, postal, city, region, country), (address.Street, address.Street2, address.PostalCode, address.City, address.Region, address.Country));
    }

    [Fact]
    public void Tags_are_lower_case_without_blanks_and_each_once()
    {
        Assert.Equal(["vip", "key_account"], ZendeskMapper.Tags(["VIP", " key  account ", "vip"]));
    }

    [Fact]
    public void Tax_ids_round_trip_through_their_text_form()
    {
        ImmutableArray<TaxIdentifier> taxIds = [new TaxIdentifier { Type = TaxIdType.Ein, Value = "123456789", Country = "US" }, new TaxIdentifier { Type = TaxIdType.Vat, Value = "FR1", Country = "FR" }];

        var text = ZendeskMapper.FormatTaxIds(taxIds);

        Assert.Equal("US:ein:123456789; FR:vat:FR1", text);
        Assert.Equal(taxIds.ToArray(), ZendeskMapper.ParseTaxIds(text).ToArray());
    }
}
