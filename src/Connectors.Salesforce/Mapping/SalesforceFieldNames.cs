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
        var picklists = codes
            ? ", BillingStateCode, BillingCountryCode, ShippingStateCode, ShippingCountryCode"
            : string.Empty;
        AccountSelect = "Id, Name, Website, Phone, Fax, AccountNumber, Description, Industry, "
            + "BillingStreet, BillingCity, BillingState, BillingPostalCode, BillingCountry, "
            + "ShippingStreet, ShippingCity, ShippingState, ShippingPostalCode, ShippingCountry" + picklists + ", "
            + AccountExternalId + ", IsDeleted, MasterRecordId, LastModifiedById, SystemModstamp";
        ContactSelect = "Id, AccountId, FirstName, LastName, Email, Phone, MobilePhone, Title, " + ContactExternalId + ", SystemModstamp";
        ContactFeedSelect = ContactSelect + ", IsDeleted";
    }

    public string AccountExternalId { get; }

    public string ContactExternalId { get; }

    public string AccountSelect { get; }

    public string ContactSelect { get; }

    public string ContactFeedSelect { get; }
}
