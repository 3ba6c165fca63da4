using Concord.Canonical.Connectors;
using Concord.Connectors.Salesforce.Api.Dtos;
using Concord.Connectors.Salesforce.Mapping;

namespace Concord.Connectors.Salesforce.Internal;

/// <summary>
/// What the connector knows about the org, learned once per instance from one <c>describe</c> of Account (or taken from
/// the options when they say it all): whether State and Country/Territory picklists are on (the address code fields
/// exist), whether Person Accounts are, the Account fields the host's custom mappings name (spelt as the org spells
/// them), and the field lists to select.
/// </summary>
internal sealed class OrgContext
{
    private readonly Dictionary<string, DescribeField> _account;

    /// <param name="options">The connector's options.</param>
    /// <param name="account">The Account describe; null when the options settle everything it would.</param>
    public OrgContext(SalesforceConnectorOptions options, DescribeResult? account)
    {
        _account = Index(account);
        UseAddressCodes = options.UseStateAndCountryPicklists ?? HasAccountField("BillingCountryCode");
        PersonAccounts = options.PersonAccounts ?? HasAccountField("IsPersonAccount");
        var custom = new List<(string Attribute, string Field)>(options.CustomFieldMappings.Count);
        foreach (var (attribute, field) in options.CustomFieldMappings.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            custom.Add((attribute, AccountField(field)?.Name ?? field));
        }

        CustomFields = custom;
        CustomAttributes = new CustomAttributeMap(custom.Select(c => KeyValuePair.Create(c.Attribute, c.Field)));
        Fields = new SalesforceFieldNames(options, this);
    }

    /// <summary>Whether the options leave nothing for a describe to tell.</summary>
    public static bool NeedsDescribe(SalesforceConnectorOptions options) =>
        options.UseStateAndCountryPicklists is null || options.PersonAccounts is null || options.CustomFieldMappings.Count > 0;

    /// <summary>Whether addresses go to and come from the code fields (State and Country/Territory picklists on).</summary>
    public bool UseAddressCodes { get; }

    /// <summary>Whether the org has Person Accounts.</summary>
    public bool PersonAccounts { get; }

    /// <summary>The active person-account record type a person customer is created with (orgs with Person Accounts).</summary>
    public string? PersonRecordTypeId { get; init; }

    /// <summary>The host's custom attribute mappings, by attribute (ordinal order), with the field as the org spells it.</summary>
    public IReadOnlyList<(string Attribute, string Field)> CustomFields { get; }

    /// <summary>The host's custom attribute mappings as one map, read and written with every Account.</summary>
    public CustomAttributeMap CustomAttributes { get; }

    /// <summary>The field lists the connector selects in this org.</summary>
    public SalesforceFieldNames Fields { get; }

    /// <summary>Whether the describe was read (false when the options settled everything).</summary>
    public bool Described => _account.Count > 0;

    public bool HasAccountField(string name) => _account.ContainsKey(name);

    /// <summary>The Account field <paramref name="name"/>, or null when the org lacks it or the user cannot see it.</summary>
    public DescribeField? AccountField(string name) => _account.GetValueOrDefault(name);

    private static Dictionary<string, DescribeField> Index(DescribeResult? describe)
    {
        var fields = new Dictionary<string, DescribeField>(StringComparer.OrdinalIgnoreCase);
        foreach (var field in describe?.Fields ?? [])
        {
            if (field.Name is not null)
            {
                fields[field.Name] = field;
            }
        }

        return fields;
    }
}
