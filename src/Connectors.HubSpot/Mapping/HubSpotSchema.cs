using System.Collections.Frozen;
using Concord.Canonical;

namespace Concord.Connectors.HubSpot.Mapping;

/// <summary>The properties the connector reads and writes, built once per instance from its options.</summary>
internal sealed class HubSpotSchema
{
    public const string Companies = "companies";
    public const string Contacts = "contacts";
    public const string CompanyLastModified = "hs_lastmodifieddate";
    public const string ContactLastModified = "lastmodifieddate";

    /// <summary>Custom attributes every instance maps: HubSpot's industry code and its numbers (as strings).</summary>
    public static readonly (string Attribute, string Property)[] BuiltInAttributes =
        [("industry", "industry"), ("numberOfEmployees", "numberofemployees"), ("annualRevenue", "annualrevenue")];

    /// <summary>The standard company properties the mapper owns; a custom mapping may not reuse them.</summary>
    public static readonly string[] CompanyStandard =
        ["name", "domain", "website", "phone", "address", "address2", "city", "state", "zip", "country", "description", "lifecyclestage"];

    public HubSpotSchema(HubSpotConnectorOptions options)
    {
        CompanyUnique = options.CompanyUniqueProperty;
        ContactUnique = options.ContactUniqueProperty;
        TaxIdProperty = options.TaxIdProperty;
        Attributes = [.. BuiltInAttributes, .. options.CustomProperties.Select(p => (p.Key, p.Value)).OrderBy(p => p.Key, StringComparer.Ordinal)];
        CompanyProperties =
        [
            .. CompanyStandard,
            .. Attributes.Select(a => a.Property),
            .. TaxIdProperty is null ? Array.Empty<string>() : [TaxIdProperty],
            CompanyUnique, "createdate", CompanyLastModified, "hs_object_id", "hs_merged_object_ids",
        ];
        CompanyProperties = [.. CompanyProperties.Distinct(StringComparer.Ordinal)];
        ContactProperties = [.. new[] { "firstname", "lastname", "email", "hs_additional_emails", "phone", "mobilephone", "jobtitle", ContactUnique, "createdate", ContactLastModified, "hs_object_id", "hs_merged_object_ids" }.Distinct(StringComparer.Ordinal)];
        var carried = new List<CustomerField>
        {
            CustomerField.Kind,
            CustomerField.Name,
            CustomerField.Website,
            CustomerField.Phones,
            CustomerField.BillingAddress,
            CustomerField.LifecycleStage,
            CustomerField.Notes,
            CustomerField.CustomAttributes,
            CustomerField.Contacts,
        };
        if (TaxIdProperty is not null)
        {
            carried.Add(CustomerField.TaxIds);
        }

        Carried = carried.ToFrozenSet();
    }

    public string CompanyUnique { get; }

    public string ContactUnique { get; }

    public string? TaxIdProperty { get; }

    /// <summary>Canonical custom attribute ↔ company property, built-ins first.</summary>
    public (string Attribute, string Property)[] Attributes { get; }

    /// <summary>How many properties a company write carries (to size its dictionary once).</summary>
    public int CompanyWriteCount => 13 + Attributes.Length + (TaxIdProperty is null ? 0 : 1);

    public IReadOnlyList<string> CompanyProperties { get; }

    public IReadOnlyList<string> ContactProperties { get; }

    /// <summary>
    /// A company carries its name, website and domain, one phone, one address (billing, or main when there is no billing
    /// address, read back as billing), lifecycle stage, description, the mapped custom attributes, its contacts and, when
    /// <see cref="HubSpotConnectorOptions.TaxIdProperty"/> is set, the VAT number. HubSpot companies have no standard
    /// property for emails, legal name, shipping or other addresses, currency, language, tags, consents (the contact's
    /// subscription API) or an archived state (archived records are deletions).
    /// </summary>
    public FrozenSet<CustomerField> Carried { get; }
}
