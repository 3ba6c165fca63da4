using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Concord.Testing.Odoo.Internal;

/// <summary>
/// The ORM methods the simulator answers (search, search_read, read, search_count, create, write, unlink, load,
/// fields_get), with named parameters: JSON-RPC positional arguments are mapped to names first, as Odoo's
/// <c>call_kw</c> does.
/// </summary>
internal sealed class OrmService
{
    private static readonly Dictionary<string, string[]> Signatures = new(StringComparer.Ordinal)
    {
        ["search"] = ["domain", "offset", "limit", "order"],
        ["search_read"] = ["domain", "fields", "offset", "limit", "order"],
        ["read"] = ["ids", "fields", "load"],
        ["search_count"] = ["domain", "limit"],
        ["create"] = ["vals_list"],
        ["write"] = ["ids", "vals"],
        ["unlink"] = ["ids"],
        ["load"] = ["fields", "data"],
        ["fields_get"] = ["allfields", "attributes"],
    };

    private static readonly HashSet<string> RecordMethods = ["read", "write", "unlink"];

    private readonly OdooDatabase _db;
    private readonly OdooSimulatorOptions _options;

    public OrmService(OdooDatabase db, OdooSimulatorOptions options)
    {
        _db = db;
        _options = options;
    }

    public static bool IsRecordMethod(string method) => RecordMethods.Contains(method);

    /// <summary>Maps <c>execute_kw</c>'s positional list and kwargs to named parameters.</summary>
    public static Dictionary<string, JsonNode?> Bind(string model, string method, JsonArray positional, JsonObject? kwargs)
    {
        var signature = Signatures.TryGetValue(method, out var names) ? names : throw OdooFault.NoMethod(model, method);
        if (positional.Count > signature.Length)
        {
            throw OdooFault.BadType($"{method}() takes {signature.Length} positional arguments but {positional.Count} were given");
        }

        var bound = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        for (var i = 0; i < positional.Count; i++)
        {
            bound[signature[i]] = positional[i]?.DeepClone();
        }

        foreach (var (name, value) in kwargs ?? [])
        {
            if (name == "context")
            {
                bound["context"] = value?.DeepClone();
                continue;
            }

            if (!signature.Contains(name))
            {
                throw OdooFault.BadType($"{method}() got an unexpected keyword argument '{name}'");
            }

            if (bound.ContainsKey(name))
            {
                throw OdooFault.BadType($"{method}() got multiple values for argument '{name}'");
            }

            bound[name] = value?.DeepClone();
        }

        return bound;
    }

    /// <summary>Checks JSON-2 names (the body's keys other than <c>ids</c> and <c>context</c>).</summary>
    public static void CheckNames(string model, string method, IEnumerable<string> names)
    {
        var signature = Signatures.TryGetValue(method, out var known) ? known : throw OdooFault.NoMethod(model, method);
        foreach (var name in names)
        {
            if (!signature.Contains(name))
            {
                throw OdooFault.BadType($"{method}() got an unexpected keyword argument '{name}'");
            }
        }
    }

    public JsonNode? Call(string modelName, string method, Dictionary<string, JsonNode?> args, bool json2)
    {
        var model = _db.Model(modelName);
        if (modelName == "ir.model.data" && !_options.CanAccessExternalIds)
        {
            throw OdooFault.Access("You are not allowed to access 'External Identifiers' (ir.model.data) records.\n\nThis operation is allowed for the following groups:\n\t- Administration/Access Rights");
        }

        var context = args.GetValueOrDefault("context") as JsonObject;
        var activeTest = context?["active_test"] is not JsonValue flag || flag.GetValueKind() != JsonValueKind.False;
        switch (method)
        {
            case "search":
                return new JsonArray([.. Search(model, args, activeTest).Select(r => (JsonNode?)JsonValue.Create(r.Id))]);
            case "search_count":
                return JsonValue.Create(Search(model, args, activeTest).Count);
            case "search_read":
                var fields = Fields(model, args.GetValueOrDefault("fields"));
                return new JsonArray([.. Search(model, args, activeTest).Select(r => (JsonNode?)Record(model, r, fields, bareIds: false))]);
            case "read":
                var readFields = Fields(model, args.GetValueOrDefault("fields"));
                var bare = args.TryGetValue("load", out var load) && load?.GetValueKind() != JsonValueKind.String;
                return new JsonArray([.. Ids(args).Select(id => _db.Find(modelName, id)).Where(r => r is not null).Select(r => (JsonNode?)Record(model, r!, readFields, bare))]);
            case "create":
                return Create(model, args.GetValueOrDefault("vals_list"), json2);
            case "write":
                var vals = args.GetValueOrDefault("vals") as JsonObject ?? throw OdooFault.BadType("write() missing 1 required positional argument: 'vals'");
                _db.Write(modelName, Ids(args), Convert(model, vals));
                return JsonValue.Create(true);
            case "unlink":
                _db.Unlink(modelName, Ids(args));
                return JsonValue.Create(true);
            case "load":
                return new LoadImporter(_db, model, context?["module"]?.GetValue<string>() ?? "__import__").Load(args.GetValueOrDefault("fields"), args.GetValueOrDefault("data"));
            case "fields_get":
                return FieldsGet(model);
            default:
                throw OdooFault.NoMethod(modelName, method);
        }
    }

    public Dictionary<string, object?> Convert(OdooModel model, JsonObject vals)
    {
        var converted = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, node) in vals)
        {
            var field = model.Field(name);
            if (field.ReadOnly)
            {
                continue;
            }

            converted[name] = field.Kind switch
            {
                FieldKind.Boolean => node is JsonValue b && (b.GetValueKind() == JsonValueKind.True || (b.GetValueKind() == JsonValueKind.Number && b.GetValue<double>() != 0)),
                FieldKind.Integer => node is JsonValue n && n.GetValueKind() == JsonValueKind.Number ? n.GetValue<long>() : null,
                FieldKind.Many2One => Many2One(node),
                FieldKind.Many2Many => Many2Many(field, node, _db.Model(field.Relation!)),
                FieldKind.One2Many => throw OdooFault.Value($"The simulator does not write one2many field '{name}'"),
                _ => node is JsonValue t && t.GetValueKind() == JsonValueKind.String ? t.GetValue<string>() is { Length: > 0 } text ? text : null : null,
            };
        }

        return converted;
    }

    private JsonNode Create(OdooModel model, JsonNode? valsList, bool json2)
    {
        if (valsList is JsonObject single)
        {
            var id = _db.Create(model.Name, Convert(model, single));
            return json2 ? new JsonArray(JsonValue.Create(id)) : JsonValue.Create(id)!;
        }

        if (valsList is JsonArray list)
        {
            var ids = new JsonArray();
            foreach (var item in list)
            {
                ids.Add(JsonValue.Create(_db.Create(model.Name, Convert(model, item as JsonObject ?? throw OdooFault.BadType("create() expects dicts")))));
            }

            return ids;
        }

        throw OdooFault.BadType("create() missing 1 required positional argument: 'vals_list'");
    }

    private List<SimRow> Search(OdooModel model, Dictionary<string, JsonNode?> args, bool activeTest)
    {
        var offset = args.GetValueOrDefault("offset") is JsonValue o && o.GetValueKind() == JsonValueKind.Number ? o.GetValue<int>() : 0;
        int? limit = args.GetValueOrDefault("limit") is JsonValue l && l.GetValueKind() == JsonValueKind.Number ? l.GetValue<int>() : null;
        var order = args.GetValueOrDefault("order") is JsonValue s && s.GetValueKind() == JsonValueKind.String ? s.GetValue<string>() : null;
        return _db.Search(model.Name, args.GetValueOrDefault("domain"), activeTest, order, offset, limit);
    }

    private static List<long> Ids(Dictionary<string, JsonNode?> args) => args.GetValueOrDefault("ids") switch
    {
        JsonArray ids => [.. ids.Select(i => i!.GetValue<long>())],
        JsonValue one when one.GetValueKind() == JsonValueKind.Number => [one.GetValue<long>()],
        _ => [],
    };

    private static List<string> Fields(OdooModel model, JsonNode? fields)
    {
        var names = fields is JsonArray list && list.Count > 0
            ? list.Select(f => f!.GetValue<string>()).ToList()
            : [.. model.Fields.Keys.Where(k => model.Fields[k].Kind != FieldKind.One2Many)];
        foreach (var name in names)
        {
            model.Field(name);
        }

        return names;
    }

    private JsonObject Record(OdooModel model, SimRow row, List<string> fields, bool bareIds)
    {
        var record = new JsonObject { ["id"] = row.Id };
        foreach (var field in fields)
        {
            if (field != "id")
            {
                record[field] = _db.Read(model, row, field, bareIds);
            }
        }

        return record;
    }

    private static long? Many2One(JsonNode? node) => node switch
    {
        null => null,
        JsonArray pair when pair.Count > 0 => pair[0]!.GetValue<long>(),
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.GetValue<long>(),
        JsonValue v when v.GetValueKind() == JsonValueKind.False => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => throw OdooFault.IntegerSyntax(v.GetValue<string>()),
        _ => throw OdooFault.Value($"Wrong value for a many2one: {node.ToJsonString()}"),
    };

    private List<long> Many2Many(OdooField field, JsonNode? node, OdooModel relation)
    {
        var result = new List<long>();
        if (node is not JsonArray commands)
        {
            return result;
        }

        foreach (var command in commands)
        {
            if (command is JsonValue id)
            {
                result.Add(id.GetValue<long>());
                continue;
            }

            if (command is not JsonArray { Count: >= 1 } parts)
            {
                throw OdooFault.Value($"Invalid command for {field.Name}: {command?.ToJsonString()}");
            }

            var code = parts[0]!.GetValue<int>();
            switch (code)
            {
                case 0:
                    result.Add(_db.Create(relation.Name, Convert(relation, parts[2] as JsonObject ?? [])));
                    break;
                case 1:
                    _db.Write(relation.Name, [parts[1]!.GetValue<long>()], Convert(relation, parts[2] as JsonObject ?? []));
                    result.Add(parts[1]!.GetValue<long>());
                    break;
                case 2:
                case 3:
                    result.Remove(parts[1]!.GetValue<long>());
                    break;
                case 4:
                    result.Add(parts[1]!.GetValue<long>());
                    break;
                case 5:
                    result.Clear();
                    break;
                case 6:
                    result.Clear();
                    result.AddRange((parts[2] as JsonArray ?? []).Select(i => i!.GetValue<long>()));
                    break;
                default:
                    throw OdooFault.Value($"Unknown x2many command {code}");
            }
        }

        return [.. result.Distinct()];
    }

    private static JsonObject FieldsGet(OdooModel model)
    {
        var result = new JsonObject();
        foreach (var field in model.Fields.Values)
        {
            var description = new JsonObject
            {
                ["type"] = field.Kind.ToString().ToLowerInvariant(),
                ["string"] = field.Label,
                ["required"] = field.Required,
                ["readonly"] = field.ReadOnly,
            };
            if (field.Relation is not null)
            {
                description["relation"] = field.Relation;
            }

            if (field.Kind == FieldKind.Selection)
            {
                description["selection"] = new JsonArray([.. field.Selection.Select(s => (JsonNode?)new JsonArray(s.Key, s.Label))]);
            }

            result[field.Name] = description;
        }

        return result;
    }

    internal static string Format(DateTimeOffset moment) => moment.UtcDateTime.ToString(OdooDatabase.DateFormat, CultureInfo.InvariantCulture);
}
