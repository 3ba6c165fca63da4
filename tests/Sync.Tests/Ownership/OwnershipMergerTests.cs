using Concord.Canonical;
using Concord.Sync.Ownership;
using Concord.Sync.Tests.Engine.Fakes;
using Xunit;

namespace Concord.Sync.Tests.Ownership;

public sealed class OwnershipMergerTests
{
    private static readonly DateTimeOffset Older = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Newer = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    private static CanonicalCustomer At(CanonicalCustomer customer, string system, DateTimeOffset modifiedAt) =>
        customer with { Provenance = new Provenance { SourceSystem = system, SourceModifiedAt = modifiedAt } };

    [Fact]
    public void The_owner_keeps_its_value_and_the_refused_change_names_the_owner()
    {
        var policy = new OwnershipPolicyBuilder().Field(CustomerField.TaxIds, CustomerField.BillingAddress).OwnedBy("erp").Build();
        var incoming = At(Customers.Company(1, taxId: "DE999999999") with { Name = "New name" }, "crm", Newer);
        var current = At(Customers.Company(1, taxId: "DE111111111"), "erp", Older);

        var result = OwnershipMerger.Merge(policy, incoming, "crm", current, "erp");

        Assert.Equal("DE111111111", result.Merged.TaxIds.Single().Value);
        Assert.Equal("New name", result.Merged.Name);
        Assert.Equal(["Name"], result.ChangedFields.ToArray());
        var refused = Assert.Single(result.Refused);
        Assert.Equal(("TaxIds", "erp", "owned by erp"), (refused.Field, refused.Owner, refused.Reason));
    }

    [Fact]
    public void A_phone_that_reads_back_in_another_format_is_no_change()
    {
        var incoming = At(Customers.Company(1) with { Phones = [new PhoneNumber { Raw = "+49 30 1000037", E164 = "+49301000037" }] }, "crm", Older);
        var current = At(Customers.Company(1) with { Phones = [new PhoneNumber { Raw = "+49301000037", E164 = "+49301000037" }] }, "erp", Newer);

        var result = OwnershipMerger.Merge(OwnershipPolicy.Default, incoming, "crm", current, "erp");

        Assert.Empty(result.ChangedFields);
        Assert.Empty(result.Refused);
    }

    [Fact]
    public void A_target_value_concord_wrote_counts_as_old_as_its_source_version_not_as_the_target_time()
    {
        var written = At(Customers.Company(1) with { Name = "Written by Concord" }, "crm", Older);
        var incoming = At(Customers.Company(1) with { Name = "Renamed" }, "crm", Older.AddDays(1));
        var current = At(Customers.Company(1) with { Name = "Written by Concord" }, "erp", Newer);
        var own = new OwnWrites(() => null, () => written, () => null, createdByConcord: false);

        var result = OwnershipMerger.Merge(OwnershipPolicy.Default, incoming, "crm", current, "erp", own: own);
        var withoutHistory = OwnershipMerger.Merge(OwnershipPolicy.Default, incoming, "crm", current, "erp");

        Assert.Equal("Renamed", result.Merged.Name);
        Assert.Empty(result.Refused);
        Assert.Equal("Written by Concord", withoutHistory.Merged.Name);
    }

    [Fact]
    public void A_target_value_someone_edited_after_concords_write_still_wins_when_it_is_newer()
    {
        var written = At(Customers.Company(1) with { Name = "Written by Concord" }, "crm", Older);
        var incoming = At(Customers.Company(1) with { Name = "Renamed" }, "crm", Older.AddDays(1));
        var current = At(Customers.Company(1) with { Name = "Edited in the ERP" }, "erp", Newer);
        var own = new OwnWrites(() => null, () => written, () => null, createdByConcord: false);

        var result = OwnershipMerger.Merge(OwnershipPolicy.Default, incoming, "crm", current, "erp", own: own);

        Assert.Equal("Edited in the ERP", result.Merged.Name);
        Assert.Equal("Name", Assert.Single(result.Refused).Field);
    }

    [Theory]
    [InlineData(Survivorship.MostRecent)]
    [InlineData(Survivorship.NonEmpty)]
    [InlineData(Survivorship.SourcePriority)]
    public void A_field_group_the_source_does_not_carry_keeps_the_target_value_whatever_the_survivorship_rule(Survivorship rule)
    {
        var policy = new OwnershipPolicyBuilder().Unowned(rule, "crm", "erp").Build();
        var incoming = At(Customers.Company(1) with { Name = "New name", Tags = [], Addresses = [] }, "crm", Newer);
        var current = At(Customers.Company(1) with { Tags = ["vip"], Addresses = [new PostalAddress { Role = AddressRole.Other, City = "Lyon", Country = "FR" }] }, "erp", Older);
        var carried = new HashSet<CustomerField>(CustomerFields.All.Except([CustomerField.Tags, CustomerField.OtherAddresses]));

        var result = OwnershipMerger.Merge(policy, incoming, "crm", current, "erp", sourceFields: carried);

        Assert.Equal(["vip"], result.Merged.Tags.ToArray());
        Assert.Equal("Lyon", Assert.Single(result.Merged.Addresses).City);
        Assert.Equal("New name", result.Merged.Name);
        Assert.Equal(["Name"], result.ChangedFields.ToArray());
        Assert.Empty(result.Refused);
    }

    [Fact]
    public void Without_carried_fields_an_empty_group_from_a_newer_source_clears_the_target_under_most_recent()
    {
        var incoming = At(Customers.Company(1) with { Tags = [] }, "crm", Newer);
        var current = At(Customers.Company(1) with { Tags = ["vip"] }, "erp", Older);

        var result = OwnershipMerger.Merge(OwnershipPolicy.Default, incoming, "crm", current, "erp");

        Assert.Empty(result.Merged.Tags);
        Assert.Equal(["Tags"], result.ChangedFields.ToArray());
    }

    [Fact]
    public void A_field_group_the_target_does_not_carry_is_neither_a_change_nor_a_refusal()
    {
        var policy = new OwnershipPolicyBuilder().Field(CustomerField.Tags).OwnedBy("erp").Build();
        var carriedByTarget = new HashSet<CustomerField>(CustomerFields.All.Except([CustomerField.TaxIds, CustomerField.Tags]));
        var incoming = At(Customers.Company(1, taxId: "DE999999999") with { Name = "New name", Tags = ["crm-tag"] }, "crm", Newer);
        var current = At(Customers.Company(1) with { TaxIds = [], Tags = [] }, "erp", Older);

        var updated = OwnershipMerger.Merge(policy, incoming, "crm", current, "erp", targetFields: carriedByTarget);
        var created = OwnershipMerger.Merge(policy, incoming, "crm", null, "erp", targetFields: carriedByTarget);

        Assert.Equal(["Name"], updated.ChangedFields.ToArray());
        Assert.Empty(updated.Refused);
        Assert.DoesNotContain("TaxIds", created.ChangedFields);
        Assert.DoesNotContain("Tags", created.ChangedFields);
        Assert.Empty(created.Refused);
    }

    [Fact]
    public void The_source_that_owns_a_field_overwrites_it()
    {
        var policy = new OwnershipPolicyBuilder().System("crm", CustomerField.Name).Build();
        var incoming = At(Customers.Company(1) with { Name = "CRM name" }, "crm", Older);
        var current = At(Customers.Company(1) with { Name = "ERP name" }, "erp", Newer);

        var result = OwnershipMerger.Merge(policy, incoming, "crm", current, "erp");

        Assert.Equal("CRM name", result.Merged.Name);
        Assert.Empty(result.Refused);
    }

    [Fact]
    public void Most_recent_wins_keeps_a_newer_target_value()
    {
        var incoming = At(Customers.Company(1) with { Notes = "old note" }, "crm", Older);
        var current = At(Customers.Company(1) with { Notes = "fresh note" }, "erp", Newer);

        var result = OwnershipMerger.Merge(OwnershipPolicy.Default, incoming, "crm", current, "erp");

        Assert.Equal("fresh note", result.Merged.Notes);
        Assert.Equal("Notes", Assert.Single(result.Refused).Field);
        Assert.Null(result.Refused[0].Owner);
    }

    [Fact]
    public void Non_empty_wins_never_erases_a_value_with_an_empty_one()
    {
        var policy = new OwnershipPolicyBuilder().Unowned(Survivorship.NonEmpty).Build();
        var incoming = At(Customers.Company(1) with { Notes = null, Currency = "EUR" }, "crm", Older);
        var current = At(Customers.Company(1) with { Notes = "keep me", Currency = "USD" }, "erp", Newer);

        var result = OwnershipMerger.Merge(policy, incoming, "crm", current, "erp");

        Assert.Equal("keep me", result.Merged.Notes);
        Assert.Equal("EUR", result.Merged.Currency);
    }

    [Fact]
    public void Source_priority_lets_the_higher_ranked_system_win()
    {
        var policy = new OwnershipPolicyBuilder().Unowned(Survivorship.SourcePriority, "erp", "crm").Build();
        var incoming = At(Customers.Company(1) with { Language = "en-US" }, "crm", Newer);
        var current = At(Customers.Company(1) with { Language = "de-DE" }, "erp", Older);

        var result = OwnershipMerger.Merge(policy, incoming, "crm", current, "erp");

        Assert.Equal("de-DE", result.Merged.Language);
        Assert.Contains("priority", Assert.Single(result.Refused).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void On_create_owned_fields_are_seeded_unless_the_policy_says_not_to()
    {
        var seeding = new OwnershipPolicyBuilder().Field(CustomerField.TaxIds).OwnedBy("erp").Build();
        var strict = new OwnershipPolicyBuilder().Field(CustomerField.TaxIds).OwnedBy("erp").SeedOwnedFieldsOnCreate(false).Build();
        var incoming = At(Customers.Company(1, taxId: "DE123456789"), "crm", Newer);

        var seeded = OwnershipMerger.Merge(seeding, incoming, "crm", null, "erp");
        var unseeded = OwnershipMerger.Merge(strict, incoming, "crm", null, "erp");

        Assert.Single(seeded.Merged.TaxIds);
        Assert.Empty(unseeded.Merged.TaxIds);
        Assert.Equal("TaxIds", Assert.Single(unseeded.Refused).Field);
    }

    [Fact]
    public void The_expression_form_maps_members_to_field_groups()
    {
        var policy = new OwnershipPolicyBuilder()
            .Field(c => c.TaxIds).OwnedBy("erp")
            .Field(c => c.Addresses).OwnedBy("erp")
            .Field(c => c.Domain).OwnedBy("crm")
            .Build();

        Assert.Equal("erp", policy.OwnerOf(CustomerField.TaxIds));
        Assert.Equal("erp", policy.OwnerOf(CustomerField.BillingAddress));
        Assert.Equal("erp", policy.OwnerOf(CustomerField.MainAddress));
        Assert.Equal("crm", policy.OwnerOf(CustomerField.Website));
        Assert.Null(policy.OwnerOf(CustomerField.Name));
        Assert.Throws<ArgumentException>(() => new OwnershipPolicyBuilder().Field(c => c.Provenance));
        Assert.Throws<ArgumentException>(() => new OwnershipPolicyBuilder().Field(c => c.Name.Length));
    }

    [Fact]
    public void Addresses_are_owned_per_role()
    {
        var policy = new OwnershipPolicyBuilder().Field(CustomerField.BillingAddress).OwnedBy("erp").Build();
        var incoming = At(Customers.Company(1) with
        {
            Addresses = [new PostalAddress { Role = AddressRole.Billing, City = "Hamburg", Country = "DE" }, new PostalAddress { Role = AddressRole.Shipping, City = "Bremen", Country = "DE" }],
        }, "crm", Newer);
        var current = At(Customers.Company(1) with
        {
            Addresses = [new PostalAddress { Role = AddressRole.Billing, City = "Köln", Country = "DE" }],
        }, "erp", Older);

        var result = OwnershipMerger.Merge(policy, incoming, "crm", current, "erp");

        Assert.Equal("Köln", result.Merged.AddressFor(AddressRole.Billing)!.City);
        Assert.Equal("Bremen", result.Merged.AddressFor(AddressRole.Shipping)!.City);
    }

    [Fact]
    public void Contacts_compare_on_what_every_system_keeps()
    {
        var source = At(Customers.Company(1) with
        {
            Contacts =
            [
                new Contact { Id = "c-2", Name = "Bob Byte", GivenName = "Bob", FamilyName = "Byte", Emails = [new EmailAddress { Address = "bob@b.example" }] },
                new Contact { Id = "c-1", Name = "Ann Ache", GivenName = "Ann", FamilyName = "Ache" },
            ],
        }, "crm", Newer);
        var target = At(Customers.Company(1) with
        {
            Contacts =
            [
                new Contact { Name = "Ann Ache", ExternalRefs = [new ExternalRef("erp", "7")] },
                new Contact { Name = "Bob Byte", Emails = [new EmailAddress { Address = "bob@b.example" }], ExternalRefs = [new ExternalRef("erp", "8")] },
            ],
        }, "erp", Older);
        var renamed = target with { Contacts = [target.Contacts[0] with { Name = "Ann Other" }, target.Contacts[1]] };

        Assert.Empty(OwnershipMerger.Merge(OwnershipPolicy.Default, source, "crm", target, "erp").ChangedFields);
        Assert.Equal(["Contacts"], OwnershipMerger.Merge(OwnershipPolicy.Default, source, "crm", renamed, "erp").ChangedFields.ToArray());
    }
}
