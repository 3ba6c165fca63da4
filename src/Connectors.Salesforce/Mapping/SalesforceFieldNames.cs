namespace Concord.Connectors.Salesforce.Mapping;

/// <summary>The field lists the connector selects, built once per instance from its options.</summary>
internal sealed class SalesforceFieldNames
{
    public SalesforceFieldNames(SalesforceConnectorOptions options)
    {
        AccountExternalId = options.AccountExternalIdField;
        ContactExternalId = options.ContactExternalIdField;
        var picklists = options.UseStateAndCountryPicklists
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
