using System.Globalization;
using System.Text.Json.Nodes;

namespace Concord.Testing.Salesforce.Internal;

/// <summary>
/// The simulated org as plain collections: Accounts and Contacts, their external-id index, the SystemModstamp clock and
/// the daily API usage. Not thread-safe: the simulator calls it under its handler lock (and its public helpers lock too).
/// </summary>
internal sealed partial class SalesforceOrg(SalesforceSimulatorOptions options)
{
    public const string OrgId = "00DSIM000000001AAA";
    public const string IntegrationUserId = "005SIM000000001AAA";

    /// <summary>The user who edits records by hand (<see cref="SalesforceSimulator.EditRecord"/> by default).</summary>
    public const string HumanEditorId = "005SIM000000002AAA";

    private readonly SimSchema _schema = new(options);

    private readonly Dictionary<string, SimRecord> _byId = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<SimRecord> _accounts = [];
    private readonly List<SimRecord> _contacts = [];
    private readonly Dictionary<string, List<SimRecord>> _accountIndex = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<SimRecord>> _contactIndex = new(StringComparer.Ordinal);
    private long _nextId;

    // Requests counted per instant of the clock; usage is the sum over the rolling ApiUsageWindow (24 hours by default).
    private readonly Queue<(DateTimeOffset At, long Count)> _usage = new();
    private long _usageTotal;

    /// <summary>The requests counted in the <c>ApiUsageWindow</c> (24 hours) before <paramref name="now"/> (the allocation is a rolling window).</summary>
    public long ApiUsage(DateTimeOffset now)
    {
        while (_usage.Count > 0 && _usage.Peek().At <= now - options.ApiUsageWindow)
        {
            _usageTotal -= _usage.Dequeue().Count;
        }

        return _usageTotal;
    }

    /// <summary>Counts <paramref name="count"/> requests made at <paramref name="now"/>.</summary>
    public void CountRequests(DateTimeOffset now, long count = 1)
    {
        _usage.Enqueue((now, count));
        _usageTotal += count;
    }

    /// <summary>Replaces the usage with <paramref name="usage"/> requests made at <paramref name="now"/>.</summary>
    public void SetApiUsage(DateTimeOffset now, long usage)
    {
        _usage.Clear();
        _usageTotal = 0;
        if (usage > 0)
        {
            CountRequests(now, usage);
        }
    }

    public const string BusinessRecordTypeId = "012SIM000000001AAA";
    public const string PersonRecordTypeId = "012SIM000000002AAA";

    private readonly List<SimRecord> _recordTypes = RecordTypes(options);

    public IReadOnlyList<SimRecord> Records(string sObject) =>
        IsAccount(sObject) ? _accounts : IsContact(sObject) ? _contacts : IsRecordType(sObject) ? _recordTypes : [];

    public SimRecord? Find(string id) => _byId.GetValueOrDefault(id);

    public string ExternalIdField(string sObject) => IsAccount(sObject) ? options.AccountExternalIdField : options.ContactExternalIdField;

    public bool IsKnownObject(string sObject) => IsAccount(sObject) || IsContact(sObject) || (IsRecordType(sObject) && options.PersonAccounts);

    public SimSchema Schema => _schema;

    /// <summary>Whether the org has <paramref name="field"/>: in its schema, or seeded on a record by a test.</summary>
    public bool IsKnownField(string sObject, string field) =>
        _schema.Field(sObject, field) is not null || Records(sObject).Any(r => r.Fields.ContainsKey(field));

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
        if (options.PersonAccounts)
        {
            record.Fields["IsPersonAccount"] = false;
        }

        _byId[id] = record;
        (IsAccount(sObject) ? _accounts : _contacts).Add(record);
        return record;
    }

    /// <summary>A save by <paramref name="editor"/> (the integration user unless said): <c>SystemModstamp</c>, <c>LastModifiedDate</c> and <c>LastModifiedById</c> move.</summary>
    public void Touch(SimRecord record, DateTimeOffset now, string? editor = null)
    {
        record.SystemModstamp = Truncate(now);
        record.LastModifiedDate = record.SystemModstamp;
        record.LastModifiedById = editor ?? IntegrationUserId;
    }

    /// <summary>A system update (a roll-up or sharing recalculation, a formula's dependency): only <c>SystemModstamp</c> moves.</summary>
    public static void SystemTouch(SimRecord record, DateTimeOffset now) => record.SystemModstamp = Truncate(now);

    /// <summary>
    /// Applies an upsert body to a new or existing record. Returns the errors (Salesforce per-record shape) or none.
    /// </summary>
    public List<JsonObject> Apply(string sObject, SimRecord? existing, string externalIdField, string externalIdValue, JsonObject body, DateTimeOffset now, out SimRecord? written, bool allowSave = false, string apiVersion = "65.0")
    {
        written = null;
        var errors = new List<JsonObject>();
        var (values, accountId) = Read(sObject, existing, body, errors);
        values[externalIdField] = externalIdValue;
        Check(sObject, existing, values, errors);
        if (existing is null && errors.Count == 0 && Duplicates(sObject, values, allowSave, apiVersion) is { } duplicate)
        {
            errors.Add(duplicate);
        }
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

            if (!IsKnownField(sObject, name))
            {
                errors.Add(Error("INVALID_FIELD", $"No such column '{name}' on sobject of type {sObject}", [name]));
                continue;
            }

            if (_schema.Field(sObject, name) is { Updateable: false } readOnly)
            {
                errors.Add(Error("INVALID_FIELD_FOR_INSERT_UPDATE", $"Unable to create/update fields: {readOnly.Name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.", [readOnly.Name]));
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
        var person = IsAccount(sObject) && IsPerson(existing, values);
        if (person && values.ContainsKey("Name"))
        {
            // A person account's Name is derived from its first and last name.
            errors.Add(Error("INVALID_FIELD_FOR_INSERT_UPDATE", "Unable to create/update fields: Name. Please check the security settings of this field and verify that it is read/write for your profile or permission set.", ["Name"]));
        }

        if (IsAccount(sObject))
        {
            CheckKind(existing, values, person, errors);
        }

        var required = IsAccount(sObject) && !person ? "Name" : "LastName";
        var finalValue = values.TryGetValue(required, out var given) ? given : existing?.Fields.GetValueOrDefault(required);
        if (finalValue is null || (finalValue is string requiredText && string.IsNullOrWhiteSpace(requiredText)))
        {
            errors.Add(Error("REQUIRED_FIELD_MISSING", $"Required fields are missing: [{required}]", [required]));
        }

        foreach (var (name, value) in values)
        {
            if (_schema.Field(sObject, name) is not { } field || value is not string text)
            {
                continue;
            }

            if (field.Length > 0 && field.Type is not ("picklist" or "reference" or "id") && text.Length > field.Length)
            {
                errors.Add(Error("STRING_TOO_LONG", $"{field.Name}: data value too large: {text[..Math.Min(20, text.Length)]}… (max length={field.Length})", [field.Name]));
            }
            else if (field.Type == "email" && !EmailPattern().IsMatch(text))
            {
                errors.Add(Error("INVALID_EMAIL_ADDRESS", $"{field.Name}: invalid email address: {text}", [field.Name]));
            }
            else if (field.Restricted && !IsAddressCode(field.Name) && field.Picklist?.Any(p => p.Value == text) != true)
            {
                errors.Add(Error("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", $"{field.Name}: bad value for restricted picklist field: {text}", [field.Name]));
            }
        }

        if (options.StateAndCountryPicklists)
        {
            foreach (var prefix in IsAccount(sObject) ? (string[])["Billing", "Shipping"] : ["Mailing", "Other"])
            {
                ApplyAddressPicklists(prefix, existing, values, errors);
            }
        }

        var keyField = ExternalIdField(sObject);
        if (values.TryGetValue(keyField, out var key) && key is string keyValue
            && FindByExternalId(sObject, keyField, keyValue).FirstOrDefault(r => !ReferenceEquals(r, existing)) is { } holder)
        {
            errors.Add(Error("DUPLICATE_VALUE", $"duplicate value found: {keyField} duplicates value on record with id: {holder.Id}", [keyField]));
        }
    }

    /// <summary>
    /// The <c>DUPLICATES_DETECTED</c> error a create meets under the org's duplicate rules, or null: the matched records
    /// under <c>duplicateResut</c> (sic: the key real responses carry), alert-level rules passed by <paramref name="allowSave"/>.
    /// </summary>
    private JsonObject? Duplicates(string sObject, Dictionary<string, object?> values, bool allowSave, string apiVersion)
    {
        if (options.DuplicateRules == SalesforceSimDuplicateRules.Off || (options.DuplicateRules == SalesforceSimDuplicateRules.Alert && allowSave))
        {
            return null;
        }

        var (field, rule) = IsAccount(sObject) ? ("Name", "Standard_Account") : ("Email", "Standard_Contact");
        if (values.GetValueOrDefault(field) is not string value || string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var matches = Records(sObject)
            .Where(r => !r.IsDeleted && !r.Uncommitted && r.Fields.GetValueOrDefault(field) is string other && string.Equals(other.Trim(), value.Trim(), StringComparison.OrdinalIgnoreCase))
            .ToList();
        if (matches.Count == 0)
        {
            return null;
        }

        const string Message = "You're creating a duplicate record. We recommend you use an existing record instead.";
        var type = IsAccount(sObject) ? "Account" : "Contact";
        var records = new JsonArray(matches.Select(m => (JsonNode?)new JsonObject
        {
            ["additionalInformation"] = new JsonArray(),
            ["fieldDiffs"] = new JsonArray(),
            ["matchConfidence"] = 100.0,
            ["record"] = new JsonObject
            {
                ["attributes"] = new JsonObject { ["type"] = type, ["url"] = $"/services/data/v{apiVersion}/sobjects/{type}/{m.Id}" },
                ["Id"] = m.Id,
            },
        }).ToArray());
        var error = Error("DUPLICATES_DETECTED", Message, []);
        error["duplicateResut"] = new JsonObject
        {
            ["allowSave"] = options.DuplicateRules == SalesforceSimDuplicateRules.Alert,
            ["duplicateRule"] = rule + "_Duplicate_Rule",
            ["duplicateRuleEntityType"] = type,
            ["errorMessage"] = Message,
            ["matchResults"] = new JsonArray(new JsonObject
            {
                ["entityType"] = type,
                ["errors"] = new JsonArray(),
                ["matchEngine"] = "FuzzyMatchEngine",
                ["matchRecords"] = records,
                ["rule"] = rule + "_Match_Rule_v1_0",
                ["size"] = matches.Count,
                ["success"] = true,
            }),
        };
        return error;
    }

    private void Write(SimRecord record, Dictionary<string, object?> values, string? accountId, DateTimeOffset now)
    {
        // Checked before: a record type here either creates a person account or repeats the account's own kind.
        var person = record.SObject == "Account" && (record.Fields.GetValueOrDefault("IsPersonAccount") is true || IsPersonRecordType(values.GetValueOrDefault("RecordTypeId")));
        foreach (var (name, value) in values)
        {
            Set(record, name, value);
        }

        record.AccountId = accountId;
        Touch(record, now);
        if (person)
        {
            SyncPersonContact(record, now);
        }
    }

    /// <summary>
    /// A person account: <c>IsPersonAccount</c>, <c>Name</c> derived from the first and last name, and its hidden person
    /// Contact (created on first save, <c>PersonContactId</c>) kept in step; both rows' <c>SystemModstamp</c> move.
    /// </summary>
    public void SyncPersonContact(SimRecord account, DateTimeOffset now)
    {
        account.Fields["IsPersonAccount"] = true;
        account.Fields["RecordTypeId"] = PersonRecordTypeId;
        account.Fields["Name"] = string.Join(' ', new[] { account.Fields.GetValueOrDefault("FirstName") as string, account.Fields.GetValueOrDefault("LastName") as string }.Where(n => !string.IsNullOrWhiteSpace(n)));
        var contact = account.Fields.GetValueOrDefault("PersonContactId") is string contactId ? Find(contactId) : null;
        if (contact is null)
        {
            contact = Create("Contact", now);
            account.Fields["PersonContactId"] = contact.Id;
        }

        contact.Fields["IsPersonAccount"] = true;
        contact.AccountId = account.Id;
        contact.Fields["FirstName"] = account.Fields.GetValueOrDefault("FirstName");
        contact.Fields["LastName"] = account.Fields.GetValueOrDefault("LastName");
        contact.Fields["Email"] = account.Fields.GetValueOrDefault("PersonEmail");
        contact.Fields["MobilePhone"] = account.Fields.GetValueOrDefault("PersonMobilePhone");
        contact.IsDeleted = account.IsDeleted;
        Touch(contact, now, account.LastModifiedById);
    }

    /// <summary>An existing account keeps its kind; a new one is a person account when created with the person record type.</summary>
    private static bool IsPerson(SimRecord? existing, Dictionary<string, object?> values) =>
        existing is not null ? existing.Fields.GetValueOrDefault("IsPersonAccount") is true : IsPersonRecordType(values.GetValueOrDefault("RecordTypeId"));

    private static bool IsPersonRecordType(object? recordTypeId) =>
        recordTypeId is string id && id.StartsWith(PersonRecordTypeId[..15], StringComparison.Ordinal);

    /// <summary>
    /// Business ↔ person conversion is restricted (facts page: treat a kind change as a conflict): a save never converts an
    /// account by its record type, and a business account refuses the person fields.
    /// </summary>
    private static void CheckKind(SimRecord? existing, Dictionary<string, object?> values, bool person, List<JsonObject> errors)
    {
        if (existing is not null && values.TryGetValue("RecordTypeId", out var type) && type is not null && IsPersonRecordType(type) != person)
        {
            errors.Add(Error(
                "INVALID_FIELD_FOR_INSERT_UPDATE",
                person ? "Cannot change the record type of a person account to a business account record type" : "Cannot change the record type of a business account to a person account record type",
                ["RecordTypeId"]));
        }

        if (!person)
        {
            foreach (var name in values.Keys.Where(IsPersonField))
            {
                errors.Add(Error("INVALID_FIELD_FOR_INSERT_UPDATE", $"Business Account may not use Person Account field {name}", [name]));
            }
        }
    }

    private static bool IsPersonField(string name) =>
        name is "FirstName" or "LastName" or "Salutation" || name.StartsWith("Person", StringComparison.Ordinal);

    private static List<SimRecord> RecordTypes(SalesforceSimulatorOptions options)
    {
        var created = DateTimeOffset.UnixEpoch;
        var types = new List<SimRecord>();
        foreach (var (id, name, person) in new[] { (BusinessRecordTypeId, "Business_Account", false), (PersonRecordTypeId, "PersonAccount", true) })
        {
            var type = new SimRecord("RecordType", id, created);
            type.Fields["DeveloperName"] = name;
            type.Fields["Name"] = name.Replace('_', ' ');
            type.Fields["SobjectType"] = "Account";
            type.Fields["IsPersonType"] = person;
            type.Fields["IsActive"] = true;
            types.Add(type);
        }

        return options.PersonAccounts ? types : [];
    }

    private static bool IsRecordType(string sObject) => string.Equals(sObject, "RecordType", StringComparison.OrdinalIgnoreCase);

    /// <summary>When the last record purged from the Recycle Bin was deleted (the <c>earliestDateAvailable</c> of the delete log), per object.</summary>
    public Dictionary<string, DateTimeOffset> LastPurged { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Removes for good the deleted records that match <paramref name="purge"/>: <c>queryAll</c> no longer returns them and
    /// the delete log's <c>earliestDateAvailable</c> moves to the newest of their deletion times.
    /// </summary>
    public void Purge(Func<SimRecord, bool> purge)
    {
        foreach (var list in new[] { _accounts, _contacts })
        {
            foreach (var record in list.Where(r => r.IsDeleted && purge(r)).ToList())
            {
                list.Remove(record);
                _byId.Remove(record.Id);
                if (Index(record.SObject) is var index && record.Fields.GetValueOrDefault(ExternalIdField(record.SObject)) is string key && index.TryGetValue(key, out var holders))
                {
                    holders.Remove(record);
                }

                if (!LastPurged.TryGetValue(record.SObject, out var last) || record.SystemModstamp > last)
                {
                    LastPurged[record.SObject] = record.SystemModstamp;
                }
            }
        }
    }

    /// <summary>
    /// What rolls back the save <paramref name="record"/> is about to take: everything on it and on its person account's
    /// hidden Contact is put back (fields, <c>IsDeleted</c>, <c>AccountId</c>, <c>SystemModstamp</c>,
    /// <c>LastModifiedDate</c>, <c>LastModifiedById</c>), and a person Contact the save created is removed.
    /// </summary>
    public Action RollbackPoint(SimRecord record)
    {
        var saved = Related(record).Select(r => (Record: r, State: RecordState.Of(r))).ToList();
        return () =>
        {
            foreach (var added in Related(record).Where(r => !saved.Any(s => ReferenceEquals(s.Record, r))).ToList())
            {
                Remove(added);
            }

            foreach (var (target, state) in saved)
            {
                foreach (var key in target.Fields.Keys.Where(k => !state.Fields.ContainsKey(k)).ToList())
                {
                    Set(target, key, null);
                    target.Fields.Remove(key);
                }

                foreach (var (key, value) in state.Fields)
                {
                    Set(target, key, value);
                }

                state.ApplyTo(target);
            }
        };
    }

    /// <summary>Rolls back the creation of <paramref name="record"/>: it and its person Contact never existed (no Recycle Bin row).</summary>
    public void Discard(SimRecord record)
    {
        foreach (var related in Related(record).ToList())
        {
            Remove(related);
        }
    }

    /// <summary>The record and, for a person account, its hidden Contact.</summary>
    private IEnumerable<SimRecord> Related(SimRecord record)
    {
        yield return record;
        if (record.Fields.GetValueOrDefault("PersonContactId") is string contactId && Find(contactId) is { } contact)
        {
            yield return contact;
        }
    }

    /// <summary>Takes <paramref name="record"/> out of every list and index, as if it had never been saved.</summary>
    private void Remove(SimRecord record)
    {
        (IsAccount(record.SObject) ? _accounts : _contacts).Remove(record);
        _byId.Remove(record.Id);
        if (record.Fields.GetValueOrDefault(ExternalIdField(record.SObject)) is string key && Index(record.SObject).TryGetValue(key, out var holders))
        {
            holders.Remove(record);
        }
    }

    /// <summary>The state of a record besides its fields, as a save finds it.</summary>
    private sealed record RecordState(Dictionary<string, object?> Fields, bool IsDeleted, string? AccountId, string? MasterRecordId, DateTimeOffset SystemModstamp, DateTimeOffset LastModifiedDate, string LastModifiedById)
    {
        public static RecordState Of(SimRecord record) =>
            new(new Dictionary<string, object?>(record.Fields, StringComparer.OrdinalIgnoreCase), record.IsDeleted, record.AccountId, record.MasterRecordId, record.SystemModstamp, record.LastModifiedDate, record.LastModifiedById);

        public void ApplyTo(SimRecord record)
        {
            record.IsDeleted = IsDeleted;
            record.AccountId = AccountId;
            record.MasterRecordId = MasterRecordId;
            record.SystemModstamp = SystemModstamp;
            record.LastModifiedDate = LastModifiedDate;
            record.LastModifiedById = LastModifiedById;
        }
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

    /// <summary>
    /// With State and Country/Territory picklists on: a code sets the code and its name, a text value must be a country
    /// (state) name, the integration value by default, and sets its code; anything else is FIELD_INTEGRITY_EXCEPTION.
    /// </summary>
    public static void ApplyAddressPicklists(string prefix, SimRecord? existing, Dictionary<string, object?> values, List<JsonObject>? errors)
    {
        var countryCode = existing?.Fields.GetValueOrDefault(prefix + "CountryCode") as string;
        if (values.TryGetValue(prefix + "CountryCode", out var code))
        {
            countryCode = code as string;
            if (countryCode is not null && SimCountries.CountryName(countryCode) is null)
            {
                errors?.Add(Error("FIELD_INTEGRITY_EXCEPTION", "There's a problem with this country, even though it may appear correct. Please select a country/territory from the list of valid countries.", [prefix + "CountryCode"]));
            }
            else
            {
                values[prefix + "Country"] = countryCode is null ? null : SimCountries.CountryName(countryCode);
            }
        }
        else if (values.TryGetValue(prefix + "Country", out var text))
        {
            countryCode = text is string countryName ? SimCountries.CountryCode(countryName) : null;
            if (text is not null && countryCode is null)
            {
                errors?.Add(Error("FIELD_INTEGRITY_EXCEPTION", "There's a problem with this country, even though it may appear correct. Please select a country/territory from the list of valid countries.", [prefix + "Country"]));
            }
            else
            {
                values[prefix + "CountryCode"] = countryCode;
            }
        }

        if (values.TryGetValue(prefix + "StateCode", out var stateCode))
        {
            if (stateCode is string state && (countryCode is null || SimCountries.StateName(countryCode, state) is null))
            {
                errors?.Add(Error("FIELD_INTEGRITY_EXCEPTION", "There's a problem with this state, even though it may appear correct. Please select a state from the list of valid states.", [prefix + "StateCode"]));
            }
            else
            {
                values[prefix + "State"] = stateCode is string valid ? SimCountries.StateName(countryCode!, valid) : null;
            }
        }
        else if (values.TryGetValue(prefix + "State", out var stateText))
        {
            var found = stateText is string stateName && countryCode is not null ? SimCountries.StateCode(countryCode, stateName) : null;
            if (stateText is not null && found is null)
            {
                errors?.Add(Error("FIELD_INTEGRITY_EXCEPTION", "There's a problem with this state, even though it may appear correct. Please select a state from the list of valid states.", [prefix + "State"]));
            }
            else
            {
                values[prefix + "StateCode"] = found;
            }
        }
    }

    private static bool IsAddressCode(string field) => field.EndsWith("StateCode", StringComparison.Ordinal) || field.EndsWith("CountryCode", StringComparison.Ordinal);

    [System.Text.RegularExpressions.GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex EmailPattern();

    private static DateTimeOffset Truncate(DateTimeOffset now) =>
        new(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    private static bool IsAccount(string sObject) => string.Equals(sObject, "Account", StringComparison.OrdinalIgnoreCase);

    private static bool IsContact(string sObject) => string.Equals(sObject, "Contact", StringComparison.OrdinalIgnoreCase);
}
