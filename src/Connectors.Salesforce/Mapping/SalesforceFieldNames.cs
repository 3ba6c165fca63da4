using Concord.Connectors.Salesforce.Internal;

namespace Concord.Connectors.Salesforce.Mapping;

/// <summary>The field lists the connector selects, built from its options and, once known, from what the org has.</summary>
internal sealed class SalesforceFieldNames
{
    public SalesforceFieldNames(SalesforceConnectorOptions options, OrgContext? org = null)
    {
        AccountExternalId = options.AccountExternalIdField;
        ContactExternalId = options.ContactExternalIdField;
        var codes = org?.UseAddressCodes ?? options.UseStateAndCountryPicklists == true;
        var select = new List<string>
        {
            "Id", "Name", "Website", "Phone", "Fax", "AccountNumber", "Description", "Industry",
            "BillingStreet", "BillingCity", "BillingState", "BillingPostalCode", "BillingCountry",
            "ShippingStreet", "ShippingCity", "ShippingState", "ShippingPostalCode", "ShippingCountry",
        };
        if (codes)
        {
            select.AddRange(["BillingStateCode", "BillingCountryCode", "ShippingStateCode", "ShippingCountryCode"]);
        }

        if (org?.PersonAccounts == true)
        {
            select.AddRange(PersonFields);
        }

        select.AddRange([AccountExternalId, "IsDeleted", "MasterRecordId", "LastModifiedById", "LastModifiedDate", "SystemModstamp"]);
        foreach (var (_, field) in org?.CustomFields ?? [])
        {
            if (!select.Contains(field, StringComparer.OrdinalIgnoreCase))
            {
                select.Add(field);
            }
        }

        AccountSelect = string.Join(", ", select);
        ContactSelect = "Id, AccountId, FirstName, LastName, Email, Phone, MobilePhone, Title, " + ContactExternalId + ", SystemModstamp"
            + (org?.PersonAccounts == true ? ", IsPersonAccount" : string.Empty);
        ContactFeedSelect = ContactSelect + ", IsDeleted";
    }

    /// <summary>The Account fields of a person account the connector reads (orgs with Person Accounts only).</summary>
    public static readonly string[] PersonFields = ["IsPersonAccount", "FirstName", "LastName", "PersonEmail", "PersonMobilePhone"];

    public string AccountExternalId { get; }

    public string ContactExternalId { get; }

    public string AccountSelect { get; }

    public string ContactSelect { get; }

    public string ContactFeedSelect { get; }
}
