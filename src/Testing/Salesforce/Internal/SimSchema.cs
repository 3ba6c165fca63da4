using System.Text.Json.Nodes;

namespace Concord.Testing.Salesforce.Internal;

/// <summary>One field of the simulated schema: its API name as the schema spells it, type, length and rules.</summary>
internal sealed record SimField(string Name, string Type, int Length = 0, bool Updateable = true)
{
    public bool ExternalId { get; init; }

    public bool Unique { get; init; }

    /// <summary>Picklist values (value, label), or null.</summary>
    public IReadOnlyList<(string Value, string Label)>? Picklist { get; init; }

    /// <summary>Whether only <see cref="Picklist"/> values are accepted.</summary>
    public bool Restricted { get; init; }
}

/// <summary>
/// The fields of Account and Contact in the simulated org: the standard ones (lengths from the facts page), the code
/// fields of State and Country/Territory picklists when they are on, the person-account fields when person accounts are
/// on, the external-id fields and the custom fields the options name. Field names are matched without regard to case
/// and answered as the schema spells them.
/// </summary>
internal sealed class SimSchema
{
    private readonly Dictionary<string, SimField> _account = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, SimField> _contact = new(StringComparer.OrdinalIgnoreCase);

    public SimSchema(SalesforceSimulatorOptions options)
    {
        Add(_account, new SimField("Id", "id", 18, Updateable: false));
        Add(_account, new SimField("Name", "string", 255));
        Add(_account, new SimField("Website", "url", 255));
        Add(_account, new SimField("Phone", "phone", 40));
        Add(_account, new SimField("Fax", "phone", 40));
        Add(_account, new SimField("AccountNumber", "string", 40));
        Add(_account, new SimField("Description", "textarea", 32000));
        Add(_account, new SimField("Industry", "picklist", 255));
        Add(_account, new SimField("Type", "picklist", 255));
        Add(_account, new SimField("Ownership", "picklist", 255));
        Add(_account, new SimField("NumberOfEmployees", "int"));
        Add(_account, new SimField("AnnualRevenue", "currency"));
        Add(_account, new SimField("OwnerId", "reference", 18));
        Add(_account, new SimField("ParentId", "reference", 18));
        Add(_account, new SimField("RecordTypeId", "reference", 18));
        AddAddress(_account, "Billing", options.StateAndCountryPicklists);
        AddAddress(_account, "Shipping", options.StateAndCountryPicklists);
        AddSystem(_account);

        Add(_contact, new SimField("Id", "id", 18, Updateable: false));
        Add(_contact, new SimField("AccountId", "reference", 18));
        Add(_contact, new SimField("Salutation", "picklist", 40));
        Add(_contact, new SimField("FirstName", "string", 40));
        Add(_contact, new SimField("LastName", "string", 80));
        Add(_contact, new SimField("Email", "email", 80));
        Add(_contact, new SimField("Phone", "phone", 40));
        Add(_contact, new SimField("MobilePhone", "phone", 40));
        Add(_contact, new SimField("Title", "string", 128));
        Add(_contact, new SimField("Department", "string", 80));
        Add(_contact, new SimField("HasOptedOutOfEmail", "boolean"));
        Add(_contact, new SimField("DoNotCall", "boolean"));
        Add(_contact, new SimField("OwnerId", "reference", 18));
        AddAddress(_contact, "Mailing", options.StateAndCountryPicklists);
        AddAddress(_contact, "Other", options.StateAndCountryPicklists);
        AddSystem(_contact);

        if (options.PersonAccounts)
        {
            Add(_account, new SimField("IsPersonAccount", "boolean", Updateable: false));
            Add(_account, new SimField("PersonContactId", "reference", 18, Updateable: false));
            Add(_account, new SimField("Salutation", "picklist", 40));
            Add(_account, new SimField("FirstName", "string", 40));
            Add(_account, new SimField("LastName", "string", 80));
            Add(_account, new SimField("PersonEmail", "email", 80));
            Add(_account, new SimField("PersonMobilePhone", "phone", 40));
            Add(_account, new SimField("PersonHomePhone", "phone", 40));
            Add(_account, new SimField("PersonBirthdate", "date"));
            Add(_account, new SimField("PersonHasOptedOutOfEmail", "boolean"));
            Add(_account, new SimField("PersonDoNotCall", "boolean"));
            AddAddress(_account, "PersonMailing", options.StateAndCountryPicklists);
            Add(_contact, new SimField("IsPersonAccount", "boolean", Updateable: false));
        }

        Add(_account, new SimField(options.AccountExternalIdField, "string", 64) { ExternalId = true, Unique = true });
        Add(_contact, new SimField(options.ContactExternalIdField, "string", 64) { ExternalId = true, Unique = true });
        foreach (var (sObject, fields) in options.CustomFields)
        {
            foreach (var field in fields)
            {
                Add(IsAccount(sObject) ? _account : _contact, new SimField(field, "string", 255));
            }
        }

        foreach (var (qualified, values) in options.RestrictedPicklists)
        {
            var dot = qualified.IndexOf('.', StringComparison.Ordinal);
            var fields = IsAccount(qualified[..Math.Max(dot, 0)]) ? _account : _contact;
            var name = qualified[(dot + 1)..];
            var existing = fields.GetValueOrDefault(name) ?? new SimField(name, "picklist", 255);
            fields[name] = existing with { Type = "picklist", Picklist = [.. values.Select(v => (v, v))], Restricted = true };
        }
    }

    public SimField? Field(string sObject, string name) =>
        string.Equals(sObject, "RecordType", StringComparison.OrdinalIgnoreCase) ? RecordTypeFields.GetValueOrDefault(name)
        : (IsAccount(sObject) ? _account : _contact).GetValueOrDefault(name);

    private static readonly Dictionary<string, SimField> RecordTypeFields = new SimField[]
    {
        new("Id", "id", 18, Updateable: false), new("Name", "string", 80), new("DeveloperName", "string", 80),
        new("SobjectType", "picklist", 40), new("IsPersonType", "boolean"), new("IsActive", "boolean"),
    }.ToDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>The field's name as the schema spells it, or the name given when the schema has no such field.</summary>
    public string Spelling(string sObject, string name) => Field(sObject, name)?.Name ?? name;

    /// <summary>The answer to <c>GET /sobjects/{type}/describe</c>: name, label and fields with their types, lengths and picklist values.</summary>
    public JsonObject Describe(string sObject)
    {
        var fields = new JsonArray();
        foreach (var field in (IsAccount(sObject) ? _account : _contact).Values)
        {
            var picklist = new JsonArray();
            foreach (var (value, label) in field.Picklist ?? [])
            {
                picklist.Add(new JsonObject { ["active"] = true, ["defaultValue"] = false, ["label"] = label, ["validFor"] = null, ["value"] = value });
            }

            fields.Add(new JsonObject
            {
                ["name"] = field.Name,
                ["label"] = field.Name,
                ["type"] = field.Type,
                ["length"] = field.Length,
                ["nillable"] = field.Name is not ("Id" or "Name" or "LastName" or "IsDeleted"),
                ["createable"] = field.Updateable,
                ["updateable"] = field.Updateable,
                ["externalId"] = field.ExternalId,
                ["unique"] = field.Unique,
                ["idLookup"] = field.Name == "Id" || field.ExternalId,
                ["restrictedPicklist"] = field.Restricted,
                ["picklistValues"] = picklist,
            });
        }

        var type = IsAccount(sObject) ? "Account" : "Contact";
        return new JsonObject { ["name"] = type, ["label"] = type, ["custom"] = false, ["queryable"] = true, ["fields"] = fields };
    }

    public static bool IsAccount(string sObject) => string.Equals(sObject, "Account", StringComparison.OrdinalIgnoreCase);

    private static void Add(Dictionary<string, SimField> fields, SimField field) => fields[field.Name] = field;

    private static void AddAddress(Dictionary<string, SimField> fields, string prefix, bool picklists)
    {
        Add(fields, new SimField(prefix + "Street", "textarea", 255));
        Add(fields, new SimField(prefix + "City", "string", 40));
        Add(fields, new SimField(prefix + "State", "string", 80));
        Add(fields, new SimField(prefix + "PostalCode", "string", 20));
        Add(fields, new SimField(prefix + "Country", "string", 80));
        if (picklists)
        {
            Add(fields, new SimField(prefix + "StateCode", "picklist", 255) { Picklist = [.. SimCountries.States.Select(s => (s.Code, s.Name))], Restricted = true });
            Add(fields, new SimField(prefix + "CountryCode", "picklist", 255) { Picklist = [.. SimCountries.Countries.Select(c => (c.Code, c.Name))], Restricted = true });
        }
    }

    private static void AddSystem(Dictionary<string, SimField> fields)
    {
        Add(fields, new SimField("IsDeleted", "boolean", Updateable: false));
        Add(fields, new SimField("MasterRecordId", "reference", 18, Updateable: false));
        Add(fields, new SimField("LastModifiedById", "reference", 18, Updateable: false));
        Add(fields, new SimField("LastModifiedDate", "datetime", Updateable: false));
        Add(fields, new SimField("SystemModstamp", "datetime", Updateable: false));
        Add(fields, new SimField("CreatedDate", "datetime", Updateable: false));
    }
}

/// <summary>The countries and states of the simulated State and Country/Territory picklists (integration value = full name).</summary>
internal static class SimCountries
{
    public static readonly (string Code, string Name)[] Countries =
    [
        ("AT", "Austria"), ("AU", "Australia"), ("BE", "Belgium"), ("BR", "Brazil"), ("CA", "Canada"), ("CH", "Switzerland"),
        ("DE", "Germany"), ("DK", "Denmark"), ("ES", "Spain"), ("FR", "France"), ("GB", "United Kingdom"), ("IE", "Ireland"),
        ("IN", "India"), ("IT", "Italy"), ("JP", "Japan"), ("MX", "Mexico"), ("NL", "Netherlands"), ("NO", "Norway"),
        ("PL", "Poland"), ("SE", "Sweden"), ("US", "United States"),
    ];

    // A new org has states for a few countries only (Germany has none): (country, code, name).
    public static readonly (string Country, string Code, string Name)[] States =
    [
        ("US", "CA", "California"), ("US", "NY", "New York"), ("US", "TX", "Texas"), ("US", "WA", "Washington"),
        ("CA", "ON", "Ontario"), ("CA", "QC", "Quebec"), ("CA", "BC", "British Columbia"),
        ("AU", "NSW", "New South Wales"), ("AU", "VIC", "Victoria"),
    ];

    public static string? CountryName(string code) => Array.Find(Countries, c => string.Equals(c.Code, code, StringComparison.OrdinalIgnoreCase)).Name;

    public static string? CountryCode(string name) => Array.Find(Countries, c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase)).Code;

    public static string? StateName(string country, string code) =>
        Array.Find(States, s => string.Equals(s.Country, country, StringComparison.OrdinalIgnoreCase) && string.Equals(s.Code, code, StringComparison.OrdinalIgnoreCase)).Name;

    public static string? StateCode(string country, string name) =>
        Array.Find(States, s => string.Equals(s.Country, country, StringComparison.OrdinalIgnoreCase) && string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase)).Code;
}
