using System.Globalization;
using System.Text.Json.Nodes;

namespace Concord.Testing.HubSpot.Internal;

/// <summary>What a write did wrong: a category (<c>VALIDATION_ERROR</c>, <c>CONFLICT</c>, <c>OBJECT_NOT_FOUND</c>), a message and property-level details.</summary>
internal sealed record WriteError(string Category, string Message, JsonArray Errors, long? ExistingId = null, int Status = 400);

/// <summary>
/// The simulated portal: companies and contacts with their properties, property definitions (unique ones indexed),
/// v4 associations with their calculated side effects, and the search index. Not thread-safe: the simulator serialises.
/// </summary>
internal sealed class HubSpotPortal
{
    public const string Companies = "companies";
    public const string Contacts = "contacts";

    private const int MaxUniquePropertiesPerObject = 10;
    private const int MaxStringLength = 65_536;

    private readonly Dictionary<long, SimObject> _objects = [];
    private readonly Dictionary<string, Dictionary<string, SimProperty>> _definitions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _unique = new(StringComparer.Ordinal);
    private readonly Dictionary<long, Dictionary<long, SortedSet<int>>> _links = [];
    private readonly TimeProvider _time;
    private long _nextId = 1_000_001;

    public HubSpotPortal(TimeProvider time, TimeSpan indexingDelay)
    {
        _time = time;
        Index = new SearchIndex(time, indexingDelay);
        _definitions[Companies] = StandardProperties.Companies().ToDictionary(p => p.Name, StringComparer.Ordinal);
        _definitions[Contacts] = StandardProperties.Contacts().ToDictionary(p => p.Name, StringComparer.Ordinal);
    }

    public SearchIndex Index { get; }

    public static string LastModifiedProperty(string type) => type == Companies ? "hs_lastmodifieddate" : "lastmodifieddate";

    public static string ObjectTypeId(string type) => type == Companies ? "0-2" : "0-1";

    public static string? NormalizeType(string segment) => segment.ToLowerInvariant() switch
    {
        "companies" or "company" or "0-2" => Companies,
        "contacts" or "contact" or "0-1" => Contacts,
        _ => null,
    };

    public static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static string IdText(long id) => id.ToString(CultureInfo.InvariantCulture);

    public DateTimeOffset Now() => DateTimeOffset.FromUnixTimeMilliseconds(_time.GetUtcNow().ToUnixTimeMilliseconds());

    public IEnumerable<SimObject> All(string type) => _objects.Values.Where(o => o.Type == type).OrderBy(o => o.Id);

    public SimObject? Find(long id) => _objects.GetValueOrDefault(id);

    public SimObject? FindLive(string type, long id) => _objects.TryGetValue(id, out var o) && o.Type == type && o.IsLive ? o : null;

    /// <summary>The record <paramref name="value"/> names through <paramref name="idProperty"/> (null: <c>hs_object_id</c>).</summary>
    public SimObject? FindBy(string type, string? idProperty, string value, bool archived = false)
    {
        if (idProperty is null or "hs_object_id")
        {
            return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && _objects.TryGetValue(id, out var o)
                && o.Type == type && o.MergedInto is null && o.Archived == archived ? o : null;
        }

        if (archived)
        {
            return _objects.Values.FirstOrDefault(o => o.Type == type && o.Archived && o.MergedInto is null && string.Equals(o.Get(idProperty), NormalizeUnique(type, idProperty, value), StringComparison.Ordinal));
        }

        return _unique.TryGetValue(UniqueKey(type, idProperty, value), out var found) ? FindLive(type, found) : null;
    }

    public SimProperty? Definition(string type, string name) => _definitions[type].GetValueOrDefault(name);

    public IEnumerable<SimProperty> Definitions(string type) => _definitions[type].Values;

    public bool IsUniqueIdProperty(string type, string name) =>
        Definition(type, name) is { HasUniqueValue: true } || (type == Contacts && name == "email");

    public WriteError? DefineProperty(string type, SimProperty property)
    {
        var definitions = _definitions[type];
        if (definitions.ContainsKey(property.Name))
        {
            return new WriteError("CONFLICT", $"Property named '{property.Name}' already exists.", [], Status: 409);
        }

        if (property.HasUniqueValue && definitions.Values.Count(d => d.HasUniqueValue && d.Name != "hs_object_id" && d.Name != "email") >= MaxUniquePropertiesPerObject)
        {
            return new WriteError("VALIDATION_ERROR", $"The {type} object already has {MaxUniquePropertiesPerObject} properties with unique values.", []);
        }

        definitions[property.Name] = property;
        return null;
    }

    public void RemoveProperty(string type, string name)
    {
        _definitions[type].Remove(name);
        foreach (var key in _unique.Keys.Where(k => k.StartsWith(type + "\u0001" + name + "\u0001", StringComparison.Ordinal)).ToList())
        {
            _unique.Remove(key);
        }
    }

    /// <summary>
    /// Checks a write of <paramref name="values"/> to <paramref name="existing"/> (or a new record): every property known,
    /// writable and well-formed, unique values free, the lifecycle stage moving forward only, and, from 2026-09, the
    /// admin's required properties present.
    /// </summary>
    public WriteError? Validate(string type, SimObject? existing, IReadOnlyDictionary<string, string> values, IReadOnlyCollection<string> required)
    {
        var errors = new JsonArray();
        foreach (var (name, value) in values)
        {
            if (Definition(type, name) is not { } definition)
            {
                errors.Add(Detail($"Property \"{name}\" does not exist", "PROPERTY_DOESNT_EXIST", name));
                continue;
            }

            if (definition.ReadOnly)
            {
                errors.Add(Detail($"\"{name}\" is a read only property; its value cannot be set.", "READ_ONLY_VALUE", name));
                continue;
            }

            if (value.Length == 0)
            {
                continue;
            }

            if (CheckValue(type, definition, value, existing) is { } problem)
            {
                errors.Add(Detail(problem.Message, problem.Code, name));
            }
        }

        foreach (var name in required)
        {
            var after = values.TryGetValue(name, out var written) ? written : existing?.Get(name);
            if (string.IsNullOrEmpty(after))
            {
                errors.Add(Detail($"The property \"{name}\" is required by a property validation rule of this account.", "REQUIRED_PROPERTY", name));
            }
        }

        if (existing is null && !values.Any(v => v.Value.Length > 0 && (type == Companies ? v.Key is "name" or "domain" : v.Key is "email" or "firstname" or "lastname")))
        {
            errors.Add(Detail(
                type == Companies ? "A company needs a name or a domain." : "A contact needs an email, a first name or a last name.",
                "REQUIRED_PROPERTY",
                type == Companies ? "name" : "email"));
        }

        if (errors.Count > 0)
        {
            return new WriteError("VALIDATION_ERROR", "Property values were not valid: " + errors.ToJsonString(), errors);
        }

        foreach (var (name, value) in values)
        {
            if (value.Length > 0 && IsUniqueIdProperty(type, name)
                && _unique.TryGetValue(UniqueKey(type, name, value), out var holder) && holder != existing?.Id)
            {
                var message = type == Contacts && name == "email"
                    ? $"Contact already exists. Existing ID: {IdText(holder)}"
                    : $"A {(type == Companies ? "company" : "contact")} with the unique value for property '{name}' already exists. Existing ID: {IdText(holder)}";
                return new WriteError("CONFLICT", message, [Detail(message, "CONFLICT", name)], holder, 409);
            }
        }

        return null;
    }

    public SimObject Create(string type, IReadOnlyDictionary<string, string> values)
    {
        var now = Now();
        var record = new SimObject(type, _nextId++, now);
        _objects[record.Id] = record;
        record.Properties["hs_object_id"] = IdText(record.Id);
        record.Properties["createdate"] = Iso(now);
        record.Properties[LastModifiedProperty(type)] = Iso(now);
        if (type == Companies)
        {
            record.Properties["num_associated_contacts"] = "0";
        }

        Apply(record, values, touch: false);
        Index.Put(record);
        return record;
    }

    /// <summary>Writes <paramref name="values"/> (an empty string clears) and moves the last-modified date when anything changed.</summary>
    public bool Apply(SimObject record, IReadOnlyDictionary<string, string> values, bool touch = true)
    {
        var changed = false;
        foreach (var (name, raw) in values)
        {
            var value = IsUniqueIdProperty(record.Type, name) ? NormalizeUnique(record.Type, name, raw) : raw;
            var before = record.Get(name);
            if (value.Length == 0)
            {
                if (before is null)
                {
                    continue;
                }

                record.Properties.Remove(name);
                UnindexUnique(record, name, before);
            }
            else
            {
                if (string.Equals(before, value, StringComparison.Ordinal))
                {
                    continue;
                }

                if (before is not null)
                {
                    UnindexUnique(record, name, before);
                }

                record.Properties[name] = value;
                if (IsUniqueIdProperty(record.Type, name) && name != "hs_object_id")
                {
                    _unique[UniqueKey(record.Type, name, value)] = record.Id;
                }
            }

            changed = true;
        }

        if (changed && touch)
        {
            Touch(record);
        }

        return changed;
    }

    public void Touch(SimObject record)
    {
        var now = Now();
        record.UpdatedAt = now;
        record.Properties[LastModifiedProperty(record.Type)] = Iso(now);
        Index.Put(record);
    }

    public void Archive(SimObject record)
    {
        if (record.Archived)
        {
            return;
        }

        record.Archived = true;
        record.ArchivedAt = Now();
        foreach (var (name, value) in record.Properties)
        {
            UnindexUnique(record, name, value);
        }

        Index.Remove(record.Id);
    }

    public void HardDelete(SimObject record)
    {
        Archive(record);
        foreach (var other in Linked(record.Id).ToList())
        {
            RemovePair(record.Id, other);
        }

        _objects.Remove(record.Id);
    }

    /// <summary>Merges <paramref name="merged"/> into <paramref name="primary"/>: its links move over, it disappears, and the primary lists it in <c>hs_merged_object_ids</c>.</summary>
    public void Merge(SimObject primary, SimObject merged)
    {
        foreach (var (other, types) in (_links.GetValueOrDefault(merged.Id) ?? []).ToList())
        {
            var contactToCompany = types.Select(t => ToContactDirection(merged.Type, t)).ToList();
            RemovePair(merged.Id, other);
            if (merged.Type == Contacts)
            {
                Associate(primary.Id, other, contactToCompany.Where(t => t != 1 || PrimaryCompany(primary.Id) is null));
            }
            else
            {
                Associate(other, primary.Id, contactToCompany.Where(t => t != 1 || PrimaryCompany(other) is null));
            }
        }

        var email = merged.Type == Contacts ? merged.Get("email") : null;
        var previous = primary.Get("hs_merged_object_ids");
        Archive(merged);
        merged.MergedInto = primary.Id;
        primary.Properties["hs_merged_object_ids"] = string.IsNullOrEmpty(previous) ? IdText(merged.Id) : previous + ";" + IdText(merged.Id);
        if (email is not null)
        {
            var additional = primary.Get("hs_additional_emails");
            Apply(primary, new Dictionary<string, string> { ["hs_additional_emails"] = string.IsNullOrEmpty(additional) ? email : additional + ";" + email }, touch: false);
        }

        Touch(primary);
    }

    public IEnumerable<long> Linked(long id) => _links.TryGetValue(id, out var to) ? to.Keys : [];

    public IReadOnlyDictionary<long, SortedSet<int>> LinksOf(long id) =>
        _links.TryGetValue(id, out var to) ? to : new Dictionary<long, SortedSet<int>>();

    public long? PrimaryCompany(long contactId) =>
        _links.TryGetValue(contactId, out var to) ? to.Where(p => p.Value.Contains(1)).Select(p => (long?)p.Key).FirstOrDefault() : null;

    /// <summary>
    /// Links contact <paramref name="contactId"/> to company <paramref name="companyId"/> with contact→company type ids
    /// (279 unlabeled, 1 primary, 931 billing); the inverse types (280, 2, 930) are kept in step. A primary link moves the
    /// contact's one primary company; any labelled link implies the unlabelled one.
    /// </summary>
    public void Associate(long contactId, long companyId, IEnumerable<int> contactToCompanyTypes)
    {
        var types = contactToCompanyTypes.ToList();
        if (types.Count == 0)
        {
            return;
        }

        if (types.Contains(1) && PrimaryCompany(contactId) is { } oldPrimary && oldPrimary != companyId)
        {
            Unlink(contactId, oldPrimary, 1);
            Unlink(oldPrimary, contactId, 2);
            Recalculate(oldPrimary);
        }

        foreach (var type in types.Append(279).Distinct())
        {
            Link(contactId, companyId, type);
            Link(companyId, contactId, Inverse(type));
        }

        Recalculate(contactId);
        Recalculate(companyId);
    }

    /// <summary>Removes every link between <paramref name="a"/> and <paramref name="b"/>, both directions.</summary>
    public bool RemovePair(long a, long b)
    {
        var removed = (_links.GetValueOrDefault(a)?.Remove(b) ?? false) | (_links.GetValueOrDefault(b)?.Remove(a) ?? false);
        if (removed)
        {
            Recalculate(a);
            Recalculate(b);
        }

        return removed;
    }

    /// <summary>Removes the given types (from <paramref name="from"/>'s side); removing the unlabelled type removes them all.</summary>
    public void RemoveTypes(long from, long to, IEnumerable<int> types)
    {
        var list = types.ToList();
        if (list.Contains(279) || list.Contains(280))
        {
            RemovePair(from, to);
            return;
        }

        foreach (var type in list)
        {
            Unlink(from, to, type);
            Unlink(to, from, Inverse(type));
        }

        Recalculate(from);
        Recalculate(to);
    }

    public static bool IsKnownAssociationType(string fromType, string toType, int typeId) => (fromType, toType) switch
    {
        (Contacts, Companies) => typeId is 279 or 1 or 931,
        (Companies, Contacts) => typeId is 280 or 2 or 930,
        _ => false,
    };

    public static string Label(int typeId) => typeId switch
    {
        1 or 2 => "Primary",
        931 or 930 => "Billing contact",
        _ => string.Empty,
    };

    /// <summary>A type id seen from <paramref name="fromType"/>, restated as contact→company.</summary>
    public static int ToContactDirection(string fromType, int typeId) => fromType == Contacts ? typeId : Inverse(typeId);

    private static int Inverse(int typeId) => typeId switch
    {
        279 => 280,
        280 => 279,
        1 => 2,
        2 => 1,
        931 => 930,
        930 => 931,
        _ => typeId,
    };

    private void Link(long from, long to, int type)
    {
        if (!_links.TryGetValue(from, out var targets))
        {
            _links[from] = targets = [];
        }

        if (!targets.TryGetValue(to, out var types))
        {
            targets[to] = types = [];
        }

        types.Add(type);
    }

    private void Unlink(long from, long to, int type)
    {
        if (_links.TryGetValue(from, out var targets) && targets.TryGetValue(to, out var types))
        {
            types.Remove(type);
            if (types.Count == 0)
            {
                targets.Remove(to);
            }
        }
    }

    /// <summary>
    /// Keeps the calculated properties in step with the links (contact <c>associatedcompanyid</c>, company
    /// <c>num_associated_contacts</c>); a changed calculated value moves the last-modified date, as facts §4 says any
    /// property change does.
    /// </summary>
    private void Recalculate(long id)
    {
        if (Find(id) is not { } record || !record.IsLive)
        {
            return;
        }

        string name;
        string value;
        if (record.Type == Contacts)
        {
            name = "associatedcompanyid";
            value = PrimaryCompany(id) is { } primary ? IdText(primary) : string.Empty;
        }
        else
        {
            name = "num_associated_contacts";
            value = Linked(id).Count(other => Find(other)?.IsLive == true).ToString(CultureInfo.InvariantCulture);
        }

        var before = record.Get(name) ?? string.Empty;
        if (string.Equals(before, value, StringComparison.Ordinal))
        {
            return;
        }

        if (value.Length == 0)
        {
            record.Properties.Remove(name);
        }
        else
        {
            record.Properties[name] = value;
        }

        Touch(record);
    }

    private (string Message, string Code)? CheckValue(string type, SimProperty definition, string value, SimObject? existing)
    {
        if (value.Length > MaxStringLength)
        {
            return ($"{definition.Name} is longer than {MaxStringLength} characters.", "INVALID_STRING_LENGTH");
        }

        switch (definition.Type)
        {
            case "number" when !decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _):
                return ($"{value} was not a valid number.", "INVALID_INTEGER");
            case "bool" when value is not ("true" or "false"):
                return ($"{value} was not a valid boolean (true or false).", "INVALID_BOOLEAN");
            case "datetime" when !TryParseTime(value, out _):
                return ($"{value} was not a valid datetime (ISO 8601 or epoch milliseconds).", "INVALID_DATE");
            case "date" when !IsDate(value):
                return ($"{value} was not a valid date (YYYY-MM-DD or epoch milliseconds at midnight UTC).", "INVALID_DATE");
            case "enumeration":
                foreach (var option in value.Split(';'))
                {
                    if (!definition.Options.Contains(option, StringComparer.Ordinal))
                    {
                        return ($"{option} was not one of the allowed options: [{string.Join(", ", definition.Options)}]", "INVALID_OPTION");
                    }
                }

                break;
        }

        if (type == Contacts && definition.Name == "email" && !LooksLikeEmail(value))
        {
            return ($"Email address {value} is invalid", "INVALID_EMAIL");
        }

        if (definition.Name == "lifecyclestage" && existing?.Get("lifecyclestage") is { } current)
        {
            var from = Array.IndexOf(StandardProperties.LifecycleStages, current);
            var to = Array.IndexOf(StandardProperties.LifecycleStages, value);
            if (from >= 0 && to >= 0 && to < from)
            {
                return ($"lifecyclestage cannot move backward from {current} to {value}; set it to an empty value first.", "INVALID_OPTION");
            }
        }

        return null;
    }

    public static bool TryParseTime(string value, out DateTimeOffset time)
    {
        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ms))
        {
            time = DateTimeOffset.FromUnixTimeMilliseconds(ms);
            return true;
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);
    }

    private static bool IsDate(string value)
    {
        if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var ms))
        {
            return ms % 86_400_000 == 0;
        }

        return DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);
    }

    private static bool LooksLikeEmail(string value)
    {
        var at = value.IndexOf('@', StringComparison.Ordinal);
        return at > 0 && at == value.LastIndexOf('@') && value.IndexOf('.', at) > at + 1 && !value.EndsWith('.') && !value.Any(char.IsWhiteSpace);
    }

    private static JsonObject Detail(string message, string code, string property) => new()
    {
        ["isValid"] = false,
        ["message"] = message,
        ["error"] = code,
        ["code"] = code,
        ["name"] = property,
        ["in"] = property,
        ["context"] = new JsonObject { ["propertyName"] = new JsonArray(property) },
    };

    private string NormalizeUnique(string type, string name, string value) =>
        type == Contacts && name == "email" ? value.Trim().ToLowerInvariant() : value;

    private string UniqueKey(string type, string name, string value) => type + "\u0001" + name + "\u0001" + NormalizeUnique(type, name, value);

    private void UnindexUnique(SimObject record, string name, string value)
    {
        if (IsUniqueIdProperty(record.Type, name))
        {
            var key = UniqueKey(record.Type, name, value);
            if (_unique.TryGetValue(key, out var holder) && holder == record.Id)
            {
                _unique.Remove(key);
            }
        }
    }
}
