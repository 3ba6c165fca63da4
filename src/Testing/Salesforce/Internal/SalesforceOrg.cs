using System.Globalization;
using System.Text.Json.Nodes;

namespace Concord.Testing.Salesforce.Internal;

/// <summary>
/// The simulated org as plain collections: Accounts and Contacts, their external-id index, the SystemModstamp clock and
/// the daily API usage. Not thread-safe: the simulator calls it under its handler lock (and its public helpers lock too).
/// </summary>
internal sealed class SalesforceOrg(SalesforceSimulatorOptions options)
{
    public const string OrgId = "00DSIM000000001AAA";
    public const string IntegrationUserId = "005SIM000000001AAA";

    private static readonly HashSet<string> AccountStandardFields = new(StringComparer.OrdinalIgnoreCase)
    {
        "Id", "Name", "Website", "Phone", "Fax", "AccountNumber", "Description", "Industry", "Type",
        "BillingStreet", "BillingCity", "BillingState", "BillingStateCode", "BillingPostalCode", "BillingCountry", "BillingCountryCode",
        "ShippingStreet", "ShippingCity", "ShippingState", "ShippingStateCode", "ShippingPostalCode", "ShippingCountry", "ShippingCountryCode",
        "NumberOfEmployees", "AnnualRevenue", "OwnerId", "ParentId",
        "IsDeleted", "MasterRecordId", "LastModifiedById", "LastModifiedDate", "SystemModstamp", "CreatedDate",
    };

    private static readonly HashSet<string> ContactStandardFields = new(StringComparer.OrdinalIgnoreCase)
    {
        "Id", "AccountId", "Salutation", "FirstName", "LastName", "Email", "Phone", "MobilePhone", "Title", "Department",
        "MailingStreet", "MailingCity", "MailingState", "MailingPostalCode", "MailingCountry", "HasOptedOutOfEmail", "DoNotCall",
        "IsDeleted", "MasterRecordId", "LastModifiedById", "LastModifiedDate", "SystemModstamp", "CreatedDate", "OwnerId",
    };

    private readonly Dictionary<string, SimRecord> _byId = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<SimRecord> _accounts = [];
    private readonly List<SimRecord> _contacts = [];
    private readonly Dictionary<string, List<SimRecord>> _accountIndex = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<SimRecord>> _contactIndex = new(StringComparer.Ordinal);
    private long _nextId;

    public long ApiUsage { get; set; }

    public IReadOnlyList<SimRecord> Records(string sObject) => IsAccount(sObject) ? _accounts : IsContact(sObject) ? _contacts : [];

    public SimRecord? Find(string id) => _byId.GetValueOrDefault(id);

    public string ExternalIdField(string sObject) => IsAccount(sObject) ? options.AccountExternalIdField : options.ContactExternalIdField;

    public bool IsKnownObject(string sObject) => IsAccount(sObject) || IsContact(sObject);

    public bool IsKnownField(string sObject, string field)
    {
        var standard = IsAccount(sObject) ? AccountStandardFields : ContactStandardFields;
        return standard.Contains(field)
            || string.Equals(field, ExternalIdField(sObject), StringComparison.OrdinalIgnoreCase)
            || Records(sObject).Any(r => r.Fields.ContainsKey(field));
    }

    /// <summary>Live records whose external id is exactly <paramref name="value"/> (case-sensitive, like a case-sensitive Unique field).</summary>
    public List<SimRecord> FindByExternalId(string sObject, string field, string value)
    {
        if (string.Equals(field, ExternalIdField(sObject), StringComparison.OrdinalIgnoreCase))
        {
            return Index(sObject).TryGetValue(value, out var indexed) ? indexed.Where(r => !r.IsDeleted).ToList() : [];
        }

        return Records(sObject).Where(r => !r.IsDeleted && r.Fields.TryGetValue(field, out var v) && v is string s && string.Equals(s, value, StringComparison.Ordinal)).ToList();
    }

    /// <summary>Sets a field, keeping the external-id index in step.</summary>
    public void Set(SimRecord record, string field, object? value)
    {
        var isKey = string.Equals(field, ExternalIdField(record.SObject), StringComparison.OrdinalIgnoreCase);
        if (isKey && record.Fields.TryGetValue(field, out var old) && old is string oldKey && Index(record.SObject).TryGetValue(oldKey, out var list))
        {
            list.Remove(record);
        }

        record.Fields[field] = value;
        if (isKey && value is string key)
        {
            var index = Index(record.SObject);
            if (!index.TryGetValue(key, out var holders))
            {
                index[key] = holders = [];
            }

            holders.Add(record);
        }
    }

    private Dictionary<string, List<SimRecord>> Index(string sObject) => IsAccount(sObject) ? _accountIndex : _contactIndex;

    public SimRecord Create(string sObject, DateTimeOffset now)
    {
        var prefix = IsAccount(sObject) ? "001" : "003";
        var id = string.Concat(prefix, "SIM", (++_nextId).ToString("D9", CultureInfo.InvariantCulture), "AAA");
        var record = new SimRecord(IsAccount(sObject) ? "Account" : "Contact", id, Truncate(now));
        _byId[id] = record;
        (IsAccount(sObject) ? _accounts : _contacts).Add(record);
        return record;
    }

    public void Touch(SimRecord record, DateTimeOffset now)
    {
        record.SystemModstamp = Truncate(now);
        record.LastModifiedById = IntegrationUserId;
    }

    /// <summary>
    /// Applies an upsert body to a new or existing record. Returns the errors (Salesforce per-record shape) or none.
    /// </summary>
    public List<JsonObject> Apply(string sObject, SimRecord? existing, string externalIdField, string externalIdValue, JsonObject body, DateTimeOffset now, out SimRecord? written)
    {
        written = null;
        var errors = new List<JsonObject>();
        var (values, accountId) = Read(sObject, existing, body, errors);
        values[externalIdField] = externalIdValue;
        Check(sObject, existing, values, errors);
        if (errors.Count > 0)
        {
            return errors;
        }

        var record = existing ?? Create(sObject, now);
        Write(record, values, accountId, now);
        written = record;
        return errors;
    }

    /// <summary>
    /// Applies an update body to <paramref name="record"/> (update by id: <c>PATCH /sobjects/{type}/{id}</c> or a
    /// collections update). A value for the external-id field stamps it, refused with <c>DUPLICATE_VALUE</c> when another
    /// live record already holds that value (the field is Unique).
    /// </summary>
    public List<JsonObject> Update(SimRecord record, JsonObject body, DateTimeOffset now)
    {
        var errors = new List<JsonObject>();
        if (record.IsDeleted)
        {
            errors.Add(Error("ENTITY_IS_DELETED", "entity is deleted", []));
            return errors;
        }

        var (values, accountId) = Read(record.SObject, record, body, errors);
        Check(record.SObject, record, values, errors);
        if (errors.Count == 0)
        {
            Write(record, values, accountId, now);
        }

        return errors;
    }

    /// <summary>The field values of a write body, by field name; a Contact's parent (<c>AccountId</c> or <c>Account</c> by external id) apart.</summary>
    private (Dictionary<string, object?> Values, string? AccountId) Read(string sObject, SimRecord? existing, JsonObject body, List<JsonObject> errors)
    {
        var values = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        string? accountId = existing?.AccountId;
        foreach (var (name, node) in body)
        {
            if (name is "attributes" || string.Equals(name, "Id", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (IsContact(sObject) && string.Equals(name, "Account", StringComparison.OrdinalIgnoreCase) && node is JsonObject parent)
            {
                var (field, value) = parent.Select(p => (p.Key, p.Value?.ToString())).FirstOrDefault();
                var matches = field is null || value is null ? [] : FindByExternalId("Account", field, value);
                if (matches.Count != 1)
                {
                    errors.Add(Error(
                        "INVALID_FIELD",
                        $"Foreign key external ID: {value} not found for field {field} in entity Account",
                        []));
                    continue;
                }

                accountId = matches[0].Id;
                continue;
            }

            if (string.Equals(name, "AccountId", StringComparison.OrdinalIgnoreCase) && IsContact(sObject))
            {
                accountId = node?.ToString();
                if (accountId is not null && Find(accountId) is not { SObject: "Account", IsDeleted: false })
                {
                    errors.Add(Error("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", ["AccountId"]));
                }

                continue;
            }

            if (!IsKnownField(sObject, name) && !name.EndsWith("__c", StringComparison.Ordinal))
            {
                errors.Add(Error("INVALID_FIELD", $"No such column '{name}' on sobject of type {sObject}", [name]));
                continue;
            }

            if (node is JsonObject or JsonArray)
            {
                errors.Add(Error("JSON_PARSER_ERROR", $"Cannot deserialize instance of string from START_OBJECT value for field {name}", [name]));
                continue;
            }

            values[name] = SimRecord.FromNode(node);
        }

        return (values, accountId);
    }

    /// <summary>Required fields, lengths and the uniqueness of the external-id field, as a save checks them.</summary>
    private void Check(string sObject, SimRecord? existing, Dictionary<string, object?> values, List<JsonObject> errors)
    {
        var required = IsAccount(sObject) ? "Name" : "LastName";
        var finalValue = values.TryGetValue(required, out var given) ? given : existing?.Fields.GetValueOrDefault(required);
        if (finalValue is null || (finalValue is string text && string.IsNullOrWhiteSpace(text)))
        {
            errors.Add(Error("REQUIRED_FIELD_MISSING", $"Required fields are missing: [{required}]", [required]));
        }

        foreach (var (name, value) in values)
        {
            var max = MaxLength(sObject, name);
            if (value is string s && max > 0 && s.Length > max)
            {
                errors.Add(Error("STRING_TOO_LONG", $"{name}: data value too large: {s[..Math.Min(20, s.Length)]}… (max length={max})", [name]));
            }
        }

        var keyField = ExternalIdField(sObject);
        if (values.TryGetValue(keyField, out var key) && key is string keyValue
            && FindByExternalId(sObject, keyField, keyValue).FirstOrDefault(r => !ReferenceEquals(r, existing)) is { } holder)
        {
            errors.Add(Error("DUPLICATE_VALUE", $"duplicate value found: {keyField} duplicates value on record with id: {holder.Id}", [keyField]));
        }
    }

    private void Write(SimRecord record, Dictionary<string, object?> values, string? accountId, DateTimeOffset now)
    {
        foreach (var (name, value) in values)
        {
            Set(record, name, value);
        }

        record.AccountId = accountId;
        Touch(record, now);
    }

    public void Delete(SimRecord record, DateTimeOffset now, string? masterRecordId = null)
    {
        record.IsDeleted = true;
        record.MasterRecordId = masterRecordId;
        Touch(record, now);
        if (record.SObject == "Account")
        {
            foreach (var contact in _contacts.Where(c => !c.IsDeleted && string.Equals(c.AccountId, record.Id, StringComparison.OrdinalIgnoreCase)))
            {
                contact.IsDeleted = true;
                Touch(contact, now);
            }
        }
    }

    public static JsonObject Error(string statusCode, string message, IEnumerable<string> fields) => new()
    {
        ["statusCode"] = statusCode,
        ["message"] = message,
        ["fields"] = new JsonArray(fields.Select(f => (JsonNode?)JsonValue.Create(f)).ToArray()),
    };

    private static int MaxLength(string sObject, string field) => (IsAccount(sObject), field.ToUpperInvariant()) switch
    {
        (true, "NAME") => 255,
        (true, "PHONE" or "FAX") => 40,
        (true, "BILLINGCITY" or "SHIPPINGCITY") => 40,
        (true, "BILLINGPOSTALCODE" or "SHIPPINGPOSTALCODE") => 20,
        (true, "BILLINGCOUNTRY" or "SHIPPINGCOUNTRY" or "BILLINGSTATE" or "SHIPPINGSTATE") => 80,
        (false, "FIRSTNAME") => 40,
        (false, "LASTNAME" or "EMAIL") => 80,
        (false, "TITLE") => 128,
        (_, "CONCORD_ID__C") => 64,
        _ => 0,
    };

    private static DateTimeOffset Truncate(DateTimeOffset now) =>
        new(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    private static bool IsAccount(string sObject) => string.Equals(sObject, "Account", StringComparison.OrdinalIgnoreCase);

    private static bool IsContact(string sObject) => string.Equals(sObject, "Contact", StringComparison.OrdinalIgnoreCase);
}
