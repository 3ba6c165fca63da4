using Concord.Canonical;
using Concord.Canonical.Normalization;
using Concord.Connectors.HubSpot.Mapping;
using Concord.Connectors.HubSpot.Tests.TestData;

namespace Concord.Connectors.HubSpot.Tests.Mapping;

public sealed class MappingTests
{
    [Fact]
    public void Every_iso_country_code_has_a_name_that_reads_back_as_the_same_code()
    {
        Assert.Equal(IsoCodes.CountryCodes.Order(), CountryNames.Codes.Order());
        Assert.All(IsoCodes.CountryCodes, code => Assert.Equal(code, CountryNames.CodeOf(CountryNames.NameOf(code))));
    }

    [Theory]
    [InlineData("Germany", "DE")]
    [InlineData("germany", "DE")]
    [InlineData("Deutschland", "DE")]
    [InlineData("USA", "US")]
    [InlineData("United States of America", "US")]
    [InlineData("UK", "GB")]
    [InlineData("fr", "FR")]
    [InlineData("Atlantis", null)]
    public void Country_names_aliases_and_codes_read_as_iso_codes(string text, string? code)
    {
        Assert.Equal(code, CountryNames.CodeOf(text));
    }

    [Fact]
    public void Every_subdivision_of_the_table_has_a_name_that_reads_back_as_the_same_code()
    {
        Assert.All(SubdivisionNames.Codes, code =>
        {
            Assert.True(IsoCodes.IsCountryCode(code[..2]), code);
            Assert.Equal(code, SubdivisionNames.CodeOf(code[..2], SubdivisionNames.NameOf(code)));
            Assert.Equal(code, SubdivisionNames.CodeOf(code[..2], code[3..]));
        });
        Assert.Equal(57, SubdivisionNames.Codes.Count(c => c.StartsWith("US-", StringComparison.Ordinal)));
        Assert.Equal(16, SubdivisionNames.Codes.Count(c => c.StartsWith("DE-", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("US", "New York", "US-NY")]
    [InlineData("US", "us-ny", "US-NY")]
    [InlineData("DE", "North Rhine-Westphalia", "DE-NW")]
    [InlineData("CH", "Zurich", "CH-ZH")]
    [InlineData("MX", "Mexico City", "MX-CMX")]
    [InlineData("US", "Bavaria", null)]
    [InlineData("FR", "Île-de-France", null)]
    public void Subdivision_names_aliases_and_codes_read_as_iso_3166_2_codes_within_their_country(string country, string text, string? code)
    {
        Assert.Equal(code, SubdivisionNames.CodeOf(country, text));
    }

    [Theory]
    [InlineData(LifecycleStage.Subscriber, "subscriber")]
    [InlineData(LifecycleStage.Lead, "lead")]
    [InlineData(LifecycleStage.MarketingQualifiedLead, "marketingqualifiedlead")]
    [InlineData(LifecycleStage.SalesQualifiedLead, "salesqualifiedlead")]
    [InlineData(LifecycleStage.Opportunity, "opportunity")]
    [InlineData(LifecycleStage.Customer, "customer")]
    [InlineData(LifecycleStage.Evangelist, "evangelist")]
    [InlineData(LifecycleStage.Other, "other")]
    public void Lifecycle_stages_map_both_ways(LifecycleStage stage, string value)
    {
        Assert.Equal(value, LifecycleStages.ToHubSpot(stage));
        Assert.Equal(stage, LifecycleStages.FromHubSpot(value));
    }

    [Fact]
    public void Former_customers_are_written_as_other_and_custom_stages_read_as_other()
    {
        Assert.Equal("other", LifecycleStages.ToHubSpot(LifecycleStage.Former));
        Assert.Equal(LifecycleStage.Other, LifecycleStages.FromHubSpot("1234567"));
        Assert.Null(LifecycleStages.FromHubSpot(""));
    }

    [Fact]
    public void Company_properties_are_strings_with_empty_strings_for_what_the_customer_lacks()
    {
        var schema = new HubSpotSchema(new HubSpotConnectorOptions { CustomProperties = { ["segment"] = "hs_segment" } });
        var customer = Customers.Company("props-1") with
        {
            CustomAttributes = System.Collections.Immutable.ImmutableSortedDictionary<string, string>.Empty.Add("numberOfEmployees", "250").Add("segment", "smb"),
            LifecycleStage = null,
        };

        var properties = CompanyMapper.ToCompany(customer, schema);

        Assert.Equal("250", properties["numberofemployees"]);
        Assert.Equal("smb", properties["hs_segment"]);
        Assert.Equal(string.Empty, properties["annualrevenue"]);
        Assert.Equal(string.Empty, properties["industry"]);
        Assert.Equal(string.Empty, properties["lifecyclestage"]);
        Assert.Equal("Germany", properties["country"]);
        Assert.Equal("props-1", properties["concord_external_id"]);
        Assert.DoesNotContain("associatedcompanyid", properties.Keys);
    }

    [Fact]
    public void Contact_properties_carry_the_first_email_lower_case_and_the_others_as_additional_emails()
    {
        var schema = new HubSpotSchema(new HubSpotConnectorOptions());
        var contact = Customers.Person("p-1", 1) with
        {
            Emails = [new EmailAddress { Address = "Ada@Example.com" }, new EmailAddress { Address = "ada@home.example" }, new EmailAddress { Address = "al@x.example" }],
        };

        var properties = CompanyMapper.ToContact(contact, Customers.Company("p-1"), schema);

        Assert.Equal("ada@example.com", properties["email"]);
        Assert.Equal("ada@home.example;al@x.example", properties["hs_additional_emails"]);
        Assert.Equal("+44 20 7946 0000", properties["mobilephone"]);
        Assert.Equal(string.Empty, properties["phone"]);
        Assert.Equal("Company p-1", properties["company"]);
        Assert.Equal("p-1-c1", properties["concord_external_id"]);
    }
}
