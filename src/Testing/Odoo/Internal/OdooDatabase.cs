using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Concord.Testing.Odoo.Internal;

/// <summary>
/// The simulator's in-memory ORM: tables of rows, one transaction per call (stamped with one instant, undone entirely
/// on error), Odoo's partner rules (name required on contacts, foreign keys, no recursion, installed languages only,
/// commercial fields and contact addresses synced down the tree), and reads in Odoo's wire format.
/// Not thread-safe by itself: <see cref="OdooSimulator"/> serialises access.
/// </summary>
internal sealed class OdooDatabase
{
    public const string DateFormat = "yyyy-MM-dd HH:mm:ss";

    private static readonly string[] AddressFields = ["street", "street2", "zip", "city", "state_id", "country_id"];
    private static readonly string[] CommercialFields = ["vat", "company_registry"];

    private readonly Dictionary<string, SortedDictionary<long, SimRow>> _tables = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _sequences = new(StringComparer.Ordinal);
    private readonly IReadOnlySet<string> _languages;
    private readonly Dictionary<(string Module, string Name), SimRow> _externalIds = [];
    private readonly string[] _trackedFields;
    private readonly List<OdooSimTrackingValue> _tracking = [];
    private Dictionary<long, List<long>>? _children;
    private bool _externalIdsRenamed;
    private Transaction? _current;

    private readonly bool _validateVat;

    public OdooDatabase(IReadOnlyDictionary<string, OdooModel> models, IReadOnlyList<string> languages, IReadOnlyCollection<string>? trackedFields = null, bool validateVat = false)
    {
        Models = models;
        _languages = languages.ToHashSet(StringComparer.Ordinal);
        _trackedFields = [.. (trackedFields ?? []).Distinct(StringComparer.Ordinal)];
        _validateVat = validateVat;
        foreach (var model in models.Keys)
        {
            _tables[model] = [];
            _sequences[model] = 0;
        }
    }

    public IReadOnlyDictionary<string, OdooModel> Models { get; }

    /// <summary>Told the <c>res.partner</c> rows a committed transaction created, wrote or unlinked (what automation rules trigger on).</summary>
    public Action<IReadOnlyList<PartnerChange>>? Committed { get; set; }

    /// <summary>Every committed change of a tracked <c>res.partner</c> field, in commit order (the chatter's tracking values).</summary>
    public IReadOnlyList<OdooSimTrackingValue> Tracking => _tracking;

    public OdooModel Model(string name) =>
        Models.TryGetValue(name, out var model) ? model : throw OdooFault.User($"Object {name} doesn't exist");

    public SimRow? Find(string model, long id) => _tables[model].TryGetValue(id, out var row) && row.Visible ? row : null;

    public IEnumerable<SimRow> Rows(string model) => _tables[model].Values.Where(r => r.Visible);

    /// <summary>Every row, uncommitted ones included (for the simulator's own bookkeeping).</summary>
    public IEnumerable<SimRow> AllRows(string model) => _tables[model].Values;

    /// <summary>Runs <paramref name="work"/> as one transaction stamped <paramref name="stamp"/>; any exception undoes it.</summary>
    public T InTransaction<T>(DateTimeOffset stamp, Func<T> work)
    {
        var transaction = new Transaction(this, stamp);
        _current = transaction;
        try
        {
            var result = work();
            _tracking.AddRange(transaction.Tracked);
            _current = null;
            if (transaction.Changes.Count > 0)
            {
                Committed?.Invoke(transaction.Changes);
            }

            return result;
        }
        catch
        {
            transaction.Undo();
            _current = null;
            throw;
        }
    }

    /// <summary>Runs <paramref name="work"/> in a savepoint of the current transaction: undone alone when it throws.</summary>
    public void InSavepoint(Action work)
    {
        var outer = _current ?? throw new InvalidOperationException("No transaction.");
        var savepoint = new Transaction(this, outer.Stamp);
        _current = savepoint;
        try
        {
            work();
            outer.Absorb(savepoint);
        }
        catch
        {
            savepoint.Undo();
            throw;
        }
        finally
        {
            _current = outer;
        }
    }

    public DateTimeOffset Now => _current?.Stamp ?? throw new InvalidOperationException("No transaction.");

    public long Create(string modelName, Dictionary<string, object?> vals, bool visible = true)
    {
        var model = Model(modelName);
        var id = ++_sequences[modelName];
        var row = new SimRow(id, Now) { Visible = visible };
        if (model.HasActive)
        {
            row["active"] = true;
        }

        if (modelName == "res.partner")
        {
            row["type"] = "contact";
            row["is_company"] = false;
        }

        foreach (var (field, value) in vals)
        {
            row[field] = value;
        }

        if (modelName == "ir.model.data")
        {
            var key = (row.Text("module") ?? string.Empty, row.Text("name") ?? string.Empty);
            if (_externalIds.ContainsKey(key))
            {
                --_sequences[modelName];
                throw OdooFault.Validation("The operation cannot be completed: duplicate key value violates unique constraint \"ir_model_data_module_name_uniq_index\"");
            }

            _externalIds[key] = row;
        }

        _tables[modelName][id] = row;
        NoteParent(modelName, row, vals.Keys);
        _current!.Created(modelName, id);
        if (modelName == "res.partner")
        {
            _current.Changes.Add(new PartnerChange("on_create", id, null));
        }
        Validate(model, row, vals.Keys);
        if (modelName == "res.partner")
        {
            OnPartnerCreated(row, vals);
            Track(row, before: null);
        }

        return id;
    }

    public void Write(string modelName, IReadOnlyList<long> ids, Dictionary<string, object?> vals)
    {
        var model = Model(modelName);
        foreach (var id in ids)
        {
            var row = Find(modelName, id) ?? throw OdooFault.Missing();
            Touch(modelName, row);
            _externalIdsRenamed |= modelName == "ir.model.data" && (vals.ContainsKey("module") || vals.ContainsKey("name"));
            var before = modelName == "res.partner" && _trackedFields.Length > 0 ? _trackedFields.Select(f => row[f]).ToArray() : null;
            foreach (var (field, value) in vals)
            {
                row[field] = value;
            }

            NoteParent(modelName, row, vals.Keys);
            row.WriteDate = Now;
            Validate(model, row, vals.Keys);
            if (modelName == "res.partner")
            {
                OnPartnerWritten(row, vals);
                Track(row, before);
                _current!.Changes.Add(new PartnerChange("on_write", id, null));
            }
        }
    }

    /// <summary>Moves <paramref name="modelName"/>'s id sequence on by <paramref name="count"/>, as rolled-back inserts or another sequence step leave gaps.</summary>
    public void SkipIds(string modelName, long count)
    {
        Model(modelName);
        _sequences[modelName] += count;
    }

    public void Unlink(string modelName, IReadOnlyList<long> ids)
    {
        foreach (var id in ids)
        {
            if (Find(modelName, id) is not { } row)
            {
                continue;
            }

            _current!.Deleted(modelName, row);
            RemoveRow(modelName, id);
            if (modelName == "res.partner")
            {
                _current.Changes.Add(new PartnerChange("on_unlink", id, row));
                // parent_id is ON DELETE SET NULL: the children stay, top-level now, and their write_date does not move.
                foreach (var child in Rows(modelName).Where(r => r.Ref("parent_id") == id).ToList())
                {
                    Touch(modelName, child);
                    child["parent_id"] = null;
                }
            }

            foreach (var data in Rows("ir.model.data").Where(d => d.Text("model") == modelName && d["res_id"] is long resId && resId == id).ToList())
            {
                _current.Deleted("ir.model.data", data);
                RemoveRow("ir.model.data", data.Id);
            }
        }
    }

    /// <summary>Rows matching <paramref name="domain"/>, ordered, paged; archived rows only when <paramref name="activeTest"/> is false or the domain names <c>active</c>.</summary>
    public List<SimRow> Search(string modelName, JsonNode? domain, bool activeTest, string? order, int offset, int? limit)
    {
        var model = Model(modelName);
        var filter = DomainFilter.Compile(domain, model, this);
        var applyActive = activeTest && model.HasActive && !DomainFilter.Mentions(domain, "active");
        var rows = (Candidates(modelName, domain) ?? Rows(modelName)).Where(r => (!applyActive || r.Flag("active")) && filter(r));
        var sorted = Sort(model, rows, order ?? model.DefaultOrder);
        var paged = sorted.Skip(offset);
        return [.. limit is int max && max > 0 ? paged.Take(max) : paged];
    }

    /// <summary>
    /// For a domain that is a plain AND of leaves, the rows an index says can match, in id order (as <see cref="Rows"/>
    /// gives them; the filter still decides): <c>ir.model.data</c> by module and name through the unique index,
    /// <c>res.partner</c> by <c>parent_id</c> through the index of parents. Null when no index applies.
    /// </summary>
    private IEnumerable<SimRow>? Candidates(string modelName, JsonNode? domain)
    {
        if (domain is not JsonArray terms || terms.Any(t => t is not JsonArray { Count: 3 }))
        {
            return null;
        }

        List<object?>? Operands(string field, bool many)
        {
            foreach (var leaf in terms.OfType<JsonArray>())
            {
                var op = leaf[1]?.GetValue<string>();
                if (leaf[0]?.GetValue<string>() != field)
                {
                    continue;
                }

                if (op == "=" && !many)
                {
                    return [DomainFilter.Scalar(leaf[2])];
                }

                if (op == "in" && leaf[2] is JsonArray list)
                {
                    return [.. list.Select(DomainFilter.Scalar)];
                }
            }

            return null;
        }

        if (modelName == "ir.model.data" && !_externalIdsRenamed
            && Operands("module", many: false) is [string module] && (Operands("name", many: false) ?? Operands("name", many: true)) is { } names && names.All(n => n is string))
        {
            return names.Cast<string>().Distinct(StringComparer.Ordinal).Select(n => ExternalId(module, n)).OfType<SimRow>().OrderBy(r => r.Id).ToList();
        }

        if (modelName == "res.partner" && (Operands("parent_id", many: false) ?? Operands("parent_id", many: true)) is { } parents && parents.All(p => p is long))
        {
            return parents.Cast<long>().Distinct().SelectMany(ChildrenOf).DistinctBy(r => r.Id).OrderBy(r => r.Id).ToList();
        }

        return null;
    }

    /// <summary>A row's field in Odoo's wire format; <paramref name="bareIds"/> gives many2one as a bare id (<c>load: null</c>).</summary>
    public JsonNode? Read(OdooModel model, SimRow row, string fieldName, bool bareIds = false)
    {
        var field = model.Field(fieldName);
        var value = Stored(model, row, fieldName);
        return field.Kind switch
        {
            _ when fieldName == "id" => JsonValue.Create(row.Id),
            FieldKind.Boolean => JsonValue.Create(value is true),
            FieldKind.Integer => value is long number ? JsonValue.Create(number) : JsonValue.Create(false),
            FieldKind.Many2One => value is long id && field.Relation is { } relation
                ? bareIds ? JsonValue.Create(id) : new JsonArray(JsonValue.Create(id), JsonValue.Create(DisplayName(relation, id)))
                : JsonValue.Create(false),
            FieldKind.One2Many => new JsonArray([.. Rows(field.Relation!).Where(r => r.Ref("parent_id") == row.Id && r.Flag("active")).Select(r => (JsonNode?)JsonValue.Create(r.Id))]),
            FieldKind.Many2Many => new JsonArray([.. (value as List<long> ?? []).Select(id => (JsonNode?)JsonValue.Create(id))]),
            FieldKind.Datetime => value is DateTimeOffset moment ? JsonValue.Create(moment.UtcDateTime.ToString(DateFormat, CultureInfo.InvariantCulture)) : JsonValue.Create(false),
            _ => value is string text ? JsonValue.Create(text) : JsonValue.Create(false),
        };
    }

    /// <summary>Reads <paramref name="field"/> as <see cref="Stored"/> does, without its dispatch for a plain stored field (domains call it for every row).</summary>
    public Func<SimRow, object?> Reader(OdooModel model, string field) => field switch
    {
        "id" or "write_date" or "create_date" or "display_name" or "complete_name" or "commercial_partner_id" or "email_normalized" or "country_code" or "child_ids"
            => row => Stored(model, row, field),
        _ => row => row[field],
    };

    /// <summary>A row's stored or computed value (the form domains compare against); <see cref="Reader"/> names its computed fields.</summary>
    public object? Stored(OdooModel model, SimRow row, string field) => field switch
    {
        "id" => row.Id,
        "write_date" => row.WriteDate,
        "create_date" => row.CreateDate,
        "display_name" => DisplayName(model.Name, row.Id),
        "complete_name" when model.Name == "res.partner" => DisplayName(model.Name, row.Id),
        "complete_name" when model.Name == "ir.model.data" => $"{row.Text("module")}.{row.Text("name")}",
        "commercial_partner_id" => CommercialPartner(row).Id,
        "email_normalized" => row.Text("email")?.Trim().ToLowerInvariant(),
        "country_code" => row.Ref("country_id") is long country ? Find("res.country", country)?.Text("code") : null,
        "child_ids" => Rows("res.partner").Where(r => r.Ref("parent_id") == row.Id).Select(r => r.Id).ToList(),
        _ => row[field],
    };

    public string DisplayName(string modelName, long id)
    {
        if (Find(modelName, id) is not { } row)
        {
            return string.Empty;
        }

        if (modelName == "res.partner")
        {
            var own = row.Text("name") ?? Model(modelName).Field("type").Selection.FirstOrDefault(s => s.Key == row.Text("type")).Label ?? string.Empty;
            return row.Ref("parent_id") is long parent && Find(modelName, parent) is { } p ? $"{p.Text("name")}, {own}" : own;
        }

        return row.Text("name") ?? row.Text("code") ?? $"{modelName},{id}";
    }

    public SimRow CommercialPartner(SimRow partner)
    {
        var current = partner;
        for (var depth = 0; depth < 64; depth++)
        {
            if (current.Flag("is_company") || current.Ref("parent_id") is not long parent || Find("res.partner", parent) is not { } next)
            {
                return current;
            }

            current = next;
        }

        return current;
    }

    private void Touch(string model, SimRow row) => _current!.Modified(model, row);

    /// <summary>
    /// The visible partners whose parent is <paramref name="id"/>, by id — what a scan of every row finds, from an index of
    /// the parents partners were given (a superset, checked here; rebuilt after anything is undone).
    /// </summary>
    private List<SimRow> ChildrenOf(long id)
    {
        if (_children is null)
        {
            _children = [];
            foreach (var row in _tables["res.partner"].Values)
            {
                NoteParent("res.partner", row, ["parent_id"]);
            }
        }

        return _children.TryGetValue(id, out var ids)
            ? [.. ids.Distinct().Order().Select(c => Find("res.partner", c)).OfType<SimRow>().Where(r => r.Ref("parent_id") == id)]
            : [];
    }

    private void NoteParent(string model, SimRow row, IEnumerable<string> fields)
    {
        if (_children is not null && model == "res.partner" && fields.Contains("parent_id") && row.Ref("parent_id") is long parent)
        {
            if (!_children.TryGetValue(parent, out var ids))
            {
                _children[parent] = ids = [];
            }

            ids.Add(row.Id);
        }
    }

    /// <summary>Notes the tracked fields whose value differs from <paramref name="before"/> (null: the row is new, every set field counts).</summary>
    private void Track(SimRow row, object?[]? before)
    {
        for (var i = 0; i < _trackedFields.Length; i++)
        {
            var old = before?[i];
            var value = row[_trackedFields[i]];
            if (!SameValue(old, value))
            {
                _current!.Tracked.Add(new OdooSimTrackingValue(row.Id, Now, _trackedFields[i], Copy(old), Copy(value)));
            }
        }

        static bool SameValue(object? a, object? b) => a is List<long> x && b is List<long> y ? x.SequenceEqual(y) : Equals(a, b);

        static object? Copy(object? value) => value is List<long> list ? list.ToImmutableArray() : value;
    }

    private void Validate(OdooModel model, SimRow row, IEnumerable<string> changed)
    {
        foreach (var name in changed)
        {
            var field = model.Field(name);
            var value = row[name];
            if (field.Kind == FieldKind.Selection && value is string key && field.Selection.Count > 0 && field.Selection.All(s => s.Key != key))
            {
                throw OdooFault.Value($"Wrong value for {model.Name}.{name}: '{key}'");
            }

            if (field.Kind == FieldKind.Many2One && value is long id && field.Relation is { } relation && Models.ContainsKey(relation) && Find(relation, id) is null)
            {
                throw OdooFault.Validation($"The operation cannot be completed: another model requires the record being deleted. If possible, archive it instead.\n\nModel: {model.Label} ({model.Name})\nConstraint: {model.Name.Replace('.', '_')}_{name}_fkey");
            }

            if (field.Required && value is null or "")
            {
                throw OdooFault.Validation($"The operation cannot be completed: Missing required value for the field '{field.Label}' ({name})");
            }
        }

        if (model.Name == "res.partner")
        {
            if (row.Text("type") == "contact" && string.IsNullOrEmpty(row.Text("name")))
            {
                throw OdooFault.Validation("The operation cannot be completed: Contacts require a name");
            }

            if (row.Text("lang") is { } lang && !_languages.Contains(lang))
            {
                throw OdooFault.Value($"Wrong value for res.partner.lang: '{lang}'");
            }

            if (_validateVat && changed.Contains("vat") && row.Text("vat") is { } vat && !IsVatShaped(vat))
            {
                throw OdooFault.Validation($"The VAT number [{vat}] does not seem to be valid. \nNote: the expected format is DE123456788");
            }

            var seen = new HashSet<long> { row.Id };
            for (var parent = row.Ref("parent_id"); parent is long p; parent = Find("res.partner", p)?.Ref("parent_id"))
            {
                if (!seen.Add(p))
                {
                    throw OdooFault.Validation("You cannot create recursive Partner hierarchies.");
                }
            }
        }

    }

    private static bool IsVatShaped(string vat) =>
        vat.Length is >= 10 and <= 14 && char.IsAsciiLetterUpper(vat[0]) && char.IsAsciiLetterUpper(vat[1]) && vat.Skip(2).All(char.IsAsciiLetterOrDigit);

    private void OnPartnerCreated(SimRow row, Dictionary<string, object?> vals)
    {
        if (row.Ref("parent_id") is not long parentId || Find("res.partner", parentId) is not { } parent)
        {
            return;
        }

        // Contacts mirror their parent's address; commercial fields come from the commercial partner.
        if (row.Text("type") == "contact" && !AddressFields.Any(vals.ContainsKey))
        {
            foreach (var field in AddressFields)
            {
                row[field] = parent[field];
            }
        }

        var commercial = CommercialPartner(parent);
        foreach (var field in CommercialFields)
        {
            row[field] = commercial[field];
        }
    }

    private void OnPartnerWritten(SimRow row, Dictionary<string, object?> vals)
    {
        var addressChanged = AddressFields.Any(vals.ContainsKey);
        var commercialChanged = CommercialFields.Any(vals.ContainsKey) && CommercialPartner(row).Id == row.Id;
        if (!addressChanged && !commercialChanged)
        {
            return;
        }

        foreach (var child in ChildrenOf(row.Id))
        {
            var changes = new Dictionary<string, object?>(StringComparer.Ordinal);
            if (addressChanged && child.Text("type") == "contact")
            {
                foreach (var field in AddressFields)
                {
                    changes[field] = row[field];
                }
            }

            if (commercialChanged)
            {
                foreach (var field in CommercialFields)
                {
                    changes[field] = row[field];
                }
            }

            if (changes.Count > 0 && changes.Any(c => !Equals(child[c.Key], c.Value)))
            {
                Write("res.partner", [child.Id], changes);
            }
        }
    }

    private IEnumerable<SimRow> Sort(OdooModel model, IEnumerable<SimRow> rows, string order)
    {
        IOrderedEnumerable<SimRow>? sorted = null;
        foreach (var part in order.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var tokens = part.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var field = tokens[0];
            if (!model.Fields.ContainsKey(field))
            {
                throw OdooFault.Value($"Invalid field '{field}' on model '{model.Name}'");
            }

            var descending = tokens.Length > 1 && tokens[1].Equals("desc", StringComparison.OrdinalIgnoreCase);
            var comparer = Comparer<object?>.Create(CompareValues);
            Func<SimRow, object?> key = r => Stored(model, r, field);
            sorted = sorted is null
                ? descending ? rows.OrderByDescending(key, comparer) : rows.OrderBy(key, comparer)
                : descending ? sorted.ThenByDescending(key, comparer) : sorted.ThenBy(key, comparer);
        }

        return sorted ?? rows;
    }

    private static int CompareValues(object? a, object? b) => (a, b) switch
    {
        (null, null) => 0,
        (null, _) => 1,
        (_, null) => -1,
        (long x, long y) => x.CompareTo(y),
        (string x, string y) => string.Compare(x, y, StringComparison.OrdinalIgnoreCase),
        (bool x, bool y) => x.CompareTo(y),
        (DateTimeOffset x, DateTimeOffset y) => x.CompareTo(y),
        _ => string.CompareOrdinal(a.ToString(), b.ToString()),
    };

    /// <summary>What a call changed, so that an error undoes all of it.</summary>
    private sealed class Transaction(OdooDatabase owner, DateTimeOffset stamp)
    {
        private readonly List<Action> _undo = [];
        private readonly HashSet<(string, long)> _touched = [];

        public DateTimeOffset Stamp { get; } = stamp;

        /// <summary>The tracked changes made so far, kept only if the transaction commits.</summary>
        public List<OdooSimTrackingValue> Tracked { get; } = [];

        /// <summary>The partners created, written and unlinked so far, told only if the transaction commits.</summary>
        public List<PartnerChange> Changes { get; } = [];

        public void Created(string model, long id) => _undo.Add(() => owner.RemoveRow(model, id));

        public void Modified(string model, SimRow row)
        {
            if (_touched.Add((model, row.Id)))
            {
                var snapshot = row.Snapshot();
                _undo.Add(() => row.Restore(snapshot));
            }
        }

        public void Deleted(string model, SimRow row) => _undo.Add(() => owner.RestoreRow(model, row));

        public void Absorb(Transaction inner)
        {
            _undo.AddRange(inner._undo);
            _touched.UnionWith(inner._touched);
            Tracked.AddRange(inner.Tracked);
            Changes.AddRange(inner.Changes);
        }

        public void Undo()
        {
            owner._children = null;
            for (var i = _undo.Count - 1; i >= 0; i--)
            {
                _undo[i]();
            }

            _undo.Clear();
            Tracked.Clear();
            Changes.Clear();
        }
    }

    /// <summary>The <c>ir.model.data</c> row of <paramref name="module"/>.<paramref name="name"/>, through the unique index.</summary>
    public SimRow? ExternalId(string module, string name) =>
        _externalIds.TryGetValue((module, name), out var row) && row.Visible ? row : null;

    private void RemoveRow(string model, long id)
    {
        if (_tables[model].Remove(id, out var row) && model == "ir.model.data")
        {
            _externalIds.Remove((row.Text("module") ?? string.Empty, row.Text("name") ?? string.Empty));
        }
    }

    private void RestoreRow(string model, SimRow row)
    {
        _children = null;
        _tables[model][row.Id] = row;
        if (model == "ir.model.data")
        {
            _externalIds[(row.Text("module") ?? string.Empty, row.Text("name") ?? string.Empty)] = row;
        }
    }
}

/// <summary>A partner an automation rule's trigger saw: <c>on_create</c>, <c>on_write</c> or <c>on_unlink</c> (with the row as it was).</summary>
internal sealed record PartnerChange(string Trigger, long Id, SimRow? Deleted);
