namespace Concord.Connectors.Salesforce.Tests.TestData;

/// <summary>
/// For tests that pin the exact calls or the API usage of an operation: the org's shape set in the options (no State and
/// Country/Territory picklists, no Person Accounts, as the default simulator), so the connector has nothing to
/// <c>describe</c> before its first call. Detection itself is pinned by AddressPicklistTests and PersonAccountTests.
/// </summary>
internal static class OrgShape
{
    public static void Known(SalesforceConnectorOptions options)
    {
        options.UseStateAndCountryPicklists = false;
        options.PersonAccounts = false;
    }

    public static Action<SalesforceConnectorOptions> Known(Action<SalesforceConnectorOptions> more) => options =>
    {
        Known(options);
        more(options);
    };
}
