using Concord.Canonical;
using Concord.Canonical.Errors;
using Concord.Connectors.Odoo.Api.Dtos;
using Concord.Connectors.Odoo.Mapping;
using Concord.Connectors.Odoo.Tests.Support;

namespace Concord.Connectors.Odoo.Tests.Mapping;

public sealed class PartnerMapperTests
{
    private readonly FakeLookup _lookup = new();

    [Fact]
    public void Company_maps_vat_registry_address_tags_language_and_notes()
    {
        var customer = Customers.Company("m-1") with
        {
            TaxIds = [new TaxIdentifier { Type = TaxIdType.Vat, Value = "DE123456789", Country = "DE" }, new TaxIdentifier { Type = TaxIdType.CompanyRegistry, Value = "HRB1234", Country = "DE" }],
            CustomAttributes = System.Collections.Immutable.ImmutableSortedDictionary<string, string>.Empty.Add("ref", "CUST-9"),
        };
        var errors = new List<FieldError>();

        var vals = PartnerMapper.Root(customer, _lookup, hasMobile: true, errors);

        Assert.Empty(errors);
        Assert.True(vals.IsCompany);
        Assert.Equal("DE123456789", vals.Vat);
        Assert.Equal("HRB1234", vals.CompanyRegistry);
        Assert.Equal("CUST-9", vals.Ref);
        Assert.Equal("de_DE", vals.Lang);
        Assert.Equal(57, vals.CountryId);
        Assert.Equal("Berlin", vals.City);
        Assert.Equal([1L, 2L], vals.CategoryIds);
        Assert.Equal("Key account", vals.Comment);
        Assert.True(vals.Active);
    }

    [Fact]
    public void Contact_has_no_address_and_no_vat()
    {
        var contact = Customers.Company("m-2").Contacts[0];

        var vals = PartnerMapper.Contact(contact, parentId: 7, hasMobile: true);
        var row = new string[PartnerColumns.For(PartnerLevel.Contact, true).Fields.Count];
        vals.WriteCells(PartnerColumns.For(PartnerLevel.Contact, true), row, 0);

        Assert.Equal("contact", vals.Type);
        Assert.Equal(7, vals.ParentId);
        Assert.Null(vals.Vat);
        Assert.DoesNotContain(PartnerColumns.For(PartnerLevel.Contact, true).Fields, f => f is "street" or "city" or "country_id/.id" or "vat");
        Assert.Equal("+49 170 1234567", vals.Mobile);
        Assert.Null(vals.Phone);
    }

    [Fact]
    public void Without_a_mobile_field_a_mobile_number_goes_to_phone()
    {
        var contact = Customers.Company("m-3").Contacts[0];

        var vals = PartnerMapper.Contact(contact, parentId: 7, hasMobile: false);

        Assert.Equal("+49 170 1234567", vals.Phone);
        Assert.Null(vals.Mobile);
        Assert.DoesNotContain("mobile", PartnerColumns.For(PartnerLevel.Contact, false).Fields);
        Assert.DoesNotContain("mobile", PartnerColumns.For(PartnerLevel.Root, false).Fields);
    }

    [Theory]
    [InlineData(AddressRole.Billing, "invoice")]
    [InlineData(AddressRole.Shipping, "delivery")]
    [InlineData(AddressRole.Other, "other")]
    public void Address_roles_become_child_types(AddressRole role, string type)
    {
        var errors = new List<FieldError>();

        var vals = PartnerMapper.Address(new PostalAddress { Role = role, City = "Austin", Country = "US", Region = "US-TX" }, "$.addresses[1]", 9, _lookup, errors);

        Assert.Empty(errors);
        Assert.Equal(type, vals.Type);
        Assert.Equal(233, vals.CountryId);
        Assert.Equal(3, vals.StateId);
    }

    [Fact]
    public void Unknown_country_and_state_are_field_errors_with_paths()
    {
        var errors = new List<FieldError>();

        PartnerMapper.Address(new PostalAddress { Role = AddressRole.Billing, Country = "JP" }, "$.addresses[2]", null, _lookup, errors);
        PartnerMapper.Address(new PostalAddress { Role = AddressRole.Billing, Country = "US", Region = "US-ZZ" }, "$.addresses[3]", null, _lookup, errors);

        Assert.Equal(["$.addresses[2].country", "$.addresses[3].region"], errors.Select(e => e.Field));
    }

    [Fact]
    public void Archived_customer_maps_to_inactive_partner()
    {
        var vals = PartnerMapper.Root(Customers.Company("m-4") with { Status = CustomerStatus.Archived }, _lookup, true, []);

        Assert.False(vals.Active);
    }

    [Fact]
    public void Partner_tree_reads_back_as_the_canonical_customer()
    {
        var root = new PartnerRecord
        {
            Id = 10, Name = "Acme GmbH", IsCompany = true, Vat = "DE123456789", Email = "INFO@acme.example", Lang = "de_DE", CountryId = 57, City = "Berlin",
            Street = "Hauptstraße 1", CategoryIds = [2, 1], Comment = "<p>Key account</p>", Active = false, WriteDate = "2026-01-02 03:04:05", Ref = "CUST-9",
        };
        PartnerRecord[] children =
        [
            new() { Id = 11, ParentId = 10, Type = "contact", Name = "Ada", Email = "ada@acme.example", Function = "CFO", WriteDate = "2026-01-02 03:04:09" },
            new() { Id = 12, ParentId = 10, Type = "invoice", Name = "AP", City = "Austin", CountryId = 233, StateId = 3, WriteDate = "2026-01-01 00:00:00" },
            new() { Id = 13, ParentId = 10, Type = "contact", Name = "Gone", Active = false, WriteDate = "2026-01-01 00:00:00" },
        ];

        var customer = PartnerReader.ToCustomer(root, children, _lookup, "odoo");

        Assert.Equal(CustomerKind.Company, customer.Kind);
        Assert.Equal(CustomerStatus.Archived, customer.Status);
        Assert.Equal("info@acme.example", customer.Emails[0].Address);
        Assert.Equal("de-DE", customer.Language);
        Assert.Equal(["Customer", "VIP"], customer.Tags.ToArray());
        Assert.Equal("Key account", customer.Notes);
        Assert.Equal("CUST-9", customer.CustomAttributes["ref"]);
        Assert.Equal(new TaxIdentifier { Type = TaxIdType.Vat, Value = "DE123456789", Country = "DE" }, customer.TaxIds[0]);
        var contact = Assert.Single(customer.Contacts);
        Assert.Equal("CFO", contact.JobTitle);
        Assert.Equal(new Canonical.ExternalRef("odoo", "11"), contact.ExternalRefs[0]);
        var billing = customer.AddressFor(AddressRole.Billing)!;
        Assert.Equal("US-TX", billing.Region);
        Assert.Equal("DE", customer.AddressFor(AddressRole.Main)!.Country);
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 9, TimeSpan.Zero), customer.Provenance.SourceModifiedAt);
        Assert.Equal("10", customer.Provenance.ExternalIdIn("odoo"));
    }

    [Theory]
    [InlineData("fr-BE", "fr_BE")]
    [InlineData("en", "en_US")]
    [InlineData("de", "de_DE")]
    [InlineData(null, null)]
    public void Languages_convert_to_Odoo_codes(string? bcp47, string? odoo) => Assert.Equal(odoo, OdooLanguage.ToOdoo(bcp47));

    [Fact]
    public void External_id_names_are_stable_and_safe()
    {
        Assert.Equal("p_abc-123", ExternalIdNames.Customer("abc-123"));
        Assert.Equal(ExternalIdNames.Customer("a.b/c"), ExternalIdNames.Customer("a.b/c"));
        Assert.DoesNotContain('.', ExternalIdNames.Customer("a.b/c"));
        Assert.Equal("c_x1", ExternalIdNames.Contact("abc", new Contact { Id = "x1", Name = "A" }));
    }

    private sealed class FakeLookup : IReferenceLookup
    {
        public long? CountryId(string isoCode) => isoCode switch { "DE" => 57, "US" => 233, _ => null };

        public long? StateId(long countryId, string code) => (countryId, code) switch { (233, "TX") => 3, (57, "BE") => 4, _ => null };

        public long? TagId(string name) => name switch { "Customer" => 1, "VIP" => 2, _ => null };

        public string? CountryCode(long countryId) => countryId switch { 57 => "DE", 233 => "US", _ => null };

        public (string CountryCode, string Code)? State(long stateId) => stateId == 3 ? ("US", "TX") : null;

        public string? TagName(long tagId) => tagId switch { 1 => "Customer", 2 => "VIP", _ => null };
    }
}
