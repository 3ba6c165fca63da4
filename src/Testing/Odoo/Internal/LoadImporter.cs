using System.Globalization;
using System.Text.Json.Nodes;

namespace Concord.Testing.Odoo.Internal;

/// <summary>
/// <c>load(fields, data)</c> with Odoo's import semantics: an <c>id</c> column of external ids (prefixed with the
/// context's <c>module</c>, <c>__import__</c> by default) updates the record it names or creates one and registers the
/// id in the same transaction; <c>.id</c> updates by database id; <c>x/.id</c> and <c>x/id</c> resolve relations;
/// values are strings. Any error row rolls back the whole call: <c>ids</c> is <c>false</c> and <c>messages</c> names
/// every bad row.
/// </summary>
internal sealed class LoadImporter(OdooDatabase db, OdooModel model, string module)
{
    public JsonNode Load(JsonNode? fieldsNode, JsonNode? dataNode)
    {
        var fields = (fieldsNode as JsonArray ?? throw OdooFault.BadType("load() missing 1 required positional argument: 'fields'")).Select(f => f!.GetValue<string>()).ToArray();
        var rows = (dataNode as JsonArray ?? throw OdooFault.BadType("load() missing 1 required positional argument: 'data'"))
            .Select(r => (r as JsonArray ?? []).Select(c => c?.GetValueKind() == System.Text.Json.JsonValueKind.String ? c.GetValue<string>() : c?.ToJsonString() ?? string.Empty).ToArray())
            .ToArray();
        foreach (var column in fields)
        {
            if (column is not ("id" or ".id"))
            {
                model.Field(column.Split('/')[0]);
            }
        }

        var ids = new List<long>();
        var messages = new JsonArray();
        try
        {
            db.InSavepoint(() =>
            {
                for (var i = 0; i < rows.Length; i++)
                {
                    var index = i;
                    try
                    {
                        db.InSavepoint(() => ids.Add(ImportRow(fields, rows[index])));
                    }
                    catch (OdooFault fault)
                    {
                        messages.Add(new JsonObject
                        {
                            ["type"] = "error",
                            ["message"] = fault is ImportFault ? fault.Message : $"'{fault.Message}'",
                            ["record"] = index,
                            ["rows"] = new JsonObject { ["from"] = index, ["to"] = index },
                            ["field"] = (fault as ImportFault)?.Field,
                        });
                    }
                }

                if (messages.Count > 0)
                {
                    throw new RolledBack();
                }
            });
        }
        catch (RolledBack)
        {
            return new JsonObject { ["ids"] = false, ["messages"] = messages, ["nextrow"] = 0 };
        }

        return new JsonObject { ["ids"] = new JsonArray([.. ids.Select(id => (JsonNode?)JsonValue.Create(id))]), ["messages"] = messages, ["nextrow"] = 0 };
    }

    private long ImportRow(string[] fields, string[] row)
    {
        string? xmlId = null;
        long? databaseId = null;
        var vals = new Dictionary<string, object?>(StringComparer.Ordinal);
        for (var c = 0; c < fields.Length; c++)
        {
            var column = fields[c];
            var cell = c < row.Length ? row[c] : string.Empty;
            if (column == "id")
            {
                xmlId = cell.Length == 0 ? null : cell.Contains('.', StringComparison.Ordinal) ? cell : $"{module}.{cell}";
                continue;
            }

            if (column == ".id")
            {
                databaseId = cell.Length == 0 ? null : long.TryParse(cell, CultureInfo.InvariantCulture, out var parsed) ? parsed : throw new ImportFault($"Invalid database id '{cell}'", ".id");
                continue;
            }

            var parts = column.Split('/');
            var field = model.Field(parts[0]);
            vals[field.Name] = parts.Length == 1 ? Plain(field, cell) : Relation(field, parts[1], cell);
        }

        long? target = null;
        if (xmlId is not null && ResolveXmlId(xmlId) is long existing)
        {
            target = existing;
        }
        else if (xmlId is null && databaseId is long byId)
        {
            if (db.Find(model.Name, byId) is null)
            {
                throw new ImportFault("Record does not exist or has been deleted.", null);
            }

            target = byId;
        }

        if (target is long id)
        {
            db.Write(model.Name, [id], vals);
            return id;
        }

        var created = db.Create(model.Name, vals);
        if (xmlId is not null)
        {
            var dot = xmlId.IndexOf('.', StringComparison.Ordinal);
            db.Create("ir.model.data", new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["module"] = xmlId[..dot],
                ["name"] = xmlId[(dot + 1)..],
                ["model"] = model.Name,
                ["res_id"] = created,
                ["noupdate"] = false,
            });
        }

        return created;
    }

    private long? ResolveXmlId(string xmlId)
    {
        var dot = xmlId.IndexOf('.', StringComparison.Ordinal);
        var (mod, name) = (xmlId[..dot], xmlId[(dot + 1)..]);
        var data = db.ExternalId(mod, name);
        return data?["res_id"] is long resId && db.Find(data.Text("model")!, resId) is not null ? resId : null;
    }

    private object? Plain(OdooField field, string cell)
    {
        switch (field.Kind)
        {
            case FieldKind.Boolean:
                return cell.Trim().ToLowerInvariant() switch
                {
                    "1" or "true" or "yes" => true,
                    "0" or "false" or "no" or "" => false,
                    _ => throw new ImportFault($"Unknown value '{cell}' for boolean field '{field.Label}'", field.Name),
                };
            case FieldKind.Integer:
                return cell.Length == 0 ? null : long.Parse(cell, CultureInfo.InvariantCulture);
            case FieldKind.Selection:
                if (cell.Length == 0)
                {
                    return null;
                }

                var match = field.Selection.FirstOrDefault(s => s.Key == cell || string.Equals(s.Label, cell, StringComparison.OrdinalIgnoreCase));
                return match.Key ?? throw new ImportFault($"Value '{cell}' not found in selection field '{field.Label}'", field.Name);
            case FieldKind.Many2One:
                if (cell.Length == 0)
                {
                    return null;
                }

                var related = db.Rows(field.Relation!).FirstOrDefault(r => string.Equals(db.DisplayName(field.Relation!, r.Id), cell, StringComparison.OrdinalIgnoreCase));
                return related?.Id ?? throw new ImportFault($"No matching record found for name '{cell}' in field '{field.Label}'", field.Name);
            case FieldKind.Many2Many or FieldKind.One2Many:
                throw new ImportFault($"Use '{field.Name}/id' or '{field.Name}/.id' to import field '{field.Label}'", field.Name);
            default:
                return cell.Length == 0 ? null : cell;
        }
    }

    private object? Relation(OdooField field, string subfield, string cell)
    {
        if (!field.IsRelational)
        {
            throw new ImportFault($"Field '{field.Label}' is not relational", field.Name);
        }

        var references = cell.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var ids = new List<long>();
        foreach (var reference in references)
        {
            long? id = subfield switch
            {
                ".id" => long.TryParse(reference, CultureInfo.InvariantCulture, out var parsed)
                    ? db.Find(field.Relation!, parsed) is null ? throw new ImportFault($"No matching record found for database id '{reference}' in field '{field.Label}'", field.Name) : parsed
                    : throw new ImportFault($"Invalid database id '{reference}' for the field '{field.Label}'", field.Name),
                "id" => ResolveXmlId(reference.Contains('.', StringComparison.Ordinal) ? reference : $"{module}.{reference}")
                    ?? throw new ImportFault($"No matching record found for external id '{reference}' in field '{field.Label}'", field.Name),
                _ => throw new ImportFault($"Unknown sub-field '{subfield}'", field.Name),
            };
            ids.Add(id.Value);
        }

        return field.Kind == FieldKind.Many2One ? ids.Count == 0 ? null : ids[0] : ids.Distinct().ToList();
    }

    private sealed class RolledBack : Exception;

    private sealed class ImportFault(string message, string? field) : OdooFault("odoo.exceptions.ValidationError", message, 422)
    {
        public string? Field { get; } = field;
    }
}
