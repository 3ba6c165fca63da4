using System.Globalization;
using System.Text.Json.Nodes;
using Concord.Testing.HubSpot.Internal;

namespace Concord.Testing.HubSpot;

/// <summary>Objects: single-record calls, batches, search, merge, and property definitions.</summary>
public sealed partial class HubSpotSimulator
{
    private const int MaxBatchInputs = 100;
    private const int MaxBatchReadWithHistory = 50;
    private const int MaxListLimit = 100;

    private SimulatorResponse Objects(ApiRoute route, SimulatorRequest request)
    {
        var type = route.ObjectType!;
        JsonNode? body;
        try
        {
            body = request.ReadJson();
        }
        catch (System.Text.Json.JsonException)
        {
            return Error(400, "VALIDATION_ERROR", "Invalid input JSON on line 1: the body is not JSON.");
        }

        return (request.Method, route.Rest) switch
        {
            ("GET", []) => List(route, request, type),
            ("POST", []) => CreateOne(route, body, type),
            ("POST", ["batch", "create"]) => BatchCreate(route, body, type),
            ("POST", ["batch", "read"]) => BatchRead(route, request, body, type),
            ("POST", ["batch", "update"]) => BatchUpdate(route, body, type),
            ("POST", ["batch", "upsert"]) => BatchUpsert(route, body, type),
            ("POST", ["batch", "archive"]) => BatchArchive(body, type),
            ("POST", ["search"]) => Search(route, body, type),
            ("POST", ["merge"]) => MergeCall(route, body, type),
            ("POST", ["gdpr-delete"]) when type == HubSpotPortal.Contacts => GdprDelete(body, type),
            ("GET", [var id]) => ReadOne(route, request, type, id),
            ("PATCH", [var id]) => UpdateOne(route, request, body, type, id),
            ("DELETE", [var id]) => ArchiveOne(type, id),
            _ => NotFound(request.Path),
        };
    }

    private SimulatorResponse ReadOne(ApiRoute route, SimulatorRequest request, string type, string id)
    {
        var archived = request.Query.GetValueOrDefault("archived") == "true";
        var record = _portal.FindBy(type, request.Query.GetValueOrDefault("idProperty"), id, archived);
        if (record is null)
        {
            return Error(404, "OBJECT_NOT_FOUND", "Object not found.  objectId are usually numeric.", context: new JsonObject { ["id"] = new JsonArray(id) });
        }

        var rendered = Render(record, Csv(request.Query.GetValueOrDefault("properties")), route);
        if (Csv(request.Query.GetValueOrDefault("associations")) is { Count: > 0 } kinds)
        {
            var associations = new JsonObject();
            foreach (var kind in kinds)
            {
                if (HubSpotPortal.NormalizeType(kind) is not { } other || other == type)
                {
                    continue;
                }

                var results = new JsonArray();
                foreach (var (to, types) in _portal.LinksOf(record.Id))
                {
                    if (_portal.Find(to) is { IsLive: true } target && target.Type == other)
                    {
                        foreach (var typeId in types)
                        {
                            results.Add(new JsonObject { ["id"] = HubSpotPortal.IdText(to), ["type"] = V3AssociationName(typeId) });
                        }
                    }
                }

                associations[other] = new JsonObject { ["results"] = results };
            }

            rendered["associations"] = associations;
        }

        return SimulatorResponse.Json(rendered);
    }

    private SimulatorResponse List(ApiRoute route, SimulatorRequest request, string type)
    {
        var limit = int.TryParse(request.Query.GetValueOrDefault("limit"), NumberStyles.None, CultureInfo.InvariantCulture, out var l) ? Math.Clamp(l, 1, MaxListLimit) : 10;
        var after = long.TryParse(request.Query.GetValueOrDefault("after"), NumberStyles.None, CultureInfo.InvariantCulture, out var a) ? a : 0;
        var archived = request.Query.GetValueOrDefault("archived") == "true";
        var properties = Csv(request.Query.GetValueOrDefault("properties"));
        var page = _portal.All(type).Where(o => o.MergedInto is null && o.Archived == archived && o.Id > after).Take(limit + 1).ToList();
        var body = new JsonObject { ["results"] = new JsonArray(page.Take(limit).Select(o => (JsonNode?)Render(o, properties, route)).ToArray()) };
        if (page.Count > limit)
        {
            body["paging"] = new JsonObject { ["next"] = new JsonObject { ["after"] = HubSpotPortal.IdText(page[limit - 1].Id), ["link"] = "?after=" + HubSpotPortal.IdText(page[limit - 1].Id) } };
        }

        return SimulatorResponse.Json(body);
    }

    private SimulatorResponse CreateOne(ApiRoute route, JsonNode? body, string type)
    {
        var values = Values(body?["properties"]);
        if (_portal.Validate(type, null, values, Required(route, type)) is { } problem)
        {
            return Error(problem.Status, problem.Category, problem.Message, problem.Errors);
        }

        if (InlineAssociations(body?["associations"], type, out var links) is { } linkProblem)
        {
            return Error(400, "VALIDATION_ERROR", linkProblem);
        }

        var record = _portal.Create(type, values);
        Link(record, links);
        return SimulatorResponse.Json(Render(record, null, route, all: true), 201);
    }

    private SimulatorResponse UpdateOne(ApiRoute route, SimulatorRequest request, JsonNode? body, string type, string id)
    {
        var record = _portal.FindBy(type, request.Query.GetValueOrDefault("idProperty"), id);
        if (record is null)
        {
            return Error(404, "OBJECT_NOT_FOUND", "Object not found.  objectId are usually numeric.", context: new JsonObject { ["id"] = new JsonArray(id) });
        }

        var values = Values(body?["properties"]);
        if (_portal.Validate(type, record, values, Required(route, type)) is { } problem)
        {
            return Error(problem.Status, problem.Category, problem.Message, problem.Errors);
        }

        _portal.Apply(record, values);
        return SimulatorResponse.Json(Render(record, null, route, all: true));
    }

    private SimulatorResponse ArchiveOne(string type, string id)
    {
        if (_portal.FindBy(type, null, id) is { } record)
        {
            _portal.Archive(record);
        }

        return SimulatorResponse.Status(204);
    }

    private SimulatorResponse BatchUpsert(ApiRoute route, JsonNode? body, string type)
    {
        if (Inputs(body, MaxBatchInputs, out var inputs) is { } tooMany)
        {
            return tooMany;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var input in inputs)
        {
            var idProperty = Text(input?["idProperty"]) ?? "hs_object_id";
            if (idProperty != "hs_object_id" && !_portal.IsUniqueIdProperty(type, idProperty))
            {
                return Error(400, "VALIDATION_ERROR", $"{idProperty} is not a unique identifier property of {type}; upsert needs a property with hasUniqueValue.");
            }

            var id = Text(input?["id"]);
            if (string.IsNullOrEmpty(id))
            {
                return Error(400, "VALIDATION_ERROR", "Each input needs an id.");
            }

            if (!seen.Add(idProperty + "\u0001" + (idProperty == "email" ? id.ToLowerInvariant() : id)))
            {
                return Error(400, "VALIDATION_ERROR", $"Duplicate IDs found in batch input: [{id}]. IDs must be unique.");
            }
        }

        var results = new List<JsonObject>();
        var errors = new List<JsonObject>();
        foreach (var input in inputs)
        {
            var idProperty = Text(input?["idProperty"]) ?? "hs_object_id";
            var id = Text(input?["id"])!;
            var trace = Text(input?["objectWriteTraceId"]);
            var values = Values(input?["properties"]);
            var existing = _portal.FindBy(type, idProperty, id);
            if (existing is null && idProperty == "hs_object_id")
            {
                errors.Add(ItemError("OBJECT_NOT_FOUND", $"Object with id {id} not found; upsert by hs_object_id only updates.", trace, id, []));
                continue;
            }

            if (idProperty != "hs_object_id")
            {
                if (existing is null)
                {
                    values[idProperty] = id;
                }
                else
                {
                    values.Remove(idProperty);
                }
            }

            if (_portal.Validate(type, existing, values, Required(route, type)) is { } problem)
            {
                errors.Add(ItemError(problem.Category, problem.Message, trace, id, problem.Errors));
                continue;
            }

            SimObject record;
            if (existing is null)
            {
                record = _portal.Create(type, values);
            }
            else
            {
                _portal.Apply(existing, values);
                record = existing;
            }

            var result = Render(record, null, route, all: true);
            result["new"] = existing is null;
            Echo(result, trace);
            results.Add(result);
        }

        return BatchAnswer(route, results, errors, 200);
    }

    private SimulatorResponse BatchUpdate(ApiRoute route, JsonNode? body, string type)
    {
        if (Inputs(body, MaxBatchInputs, out var inputs) is { } tooMany)
        {
            return tooMany;
        }

        var results = new List<JsonObject>();
        var errors = new List<JsonObject>();
        var seen = new HashSet<long>();
        foreach (var input in inputs)
        {
            var id = Text(input?["id"]) ?? string.Empty;
            var trace = Text(input?["objectWriteTraceId"]);
            var idProperty = Text(input?["idProperty"]);
            var record = _portal.FindBy(type, idProperty, id);
            if (record is null)
            {
                errors.Add(ItemError("OBJECT_NOT_FOUND", "Object not found.  objectId are usually numeric.", trace, id, []));
                continue;
            }

            if (!seen.Add(record.Id))
            {
                return Error(400, "VALIDATION_ERROR", $"Duplicate IDs found in batch input: [{id}]. IDs must be unique.");
            }

            var values = Values(input?["properties"]);
            if (_portal.Validate(type, record, values, Required(route, type)) is { } problem)
            {
                errors.Add(ItemError(problem.Category, problem.Message, trace, id, problem.Errors));
                continue;
            }

            _portal.Apply(record, values);
            var result = Render(record, null, route, all: true);
            Echo(result, trace);
            results.Add(result);
        }

        return BatchAnswer(route, results, errors, 200);
    }

    private SimulatorResponse BatchCreate(ApiRoute route, JsonNode? body, string type)
    {
        if (Inputs(body, MaxBatchInputs, out var inputs) is { } tooMany)
        {
            return tooMany;
        }

        // objectWriteTraceId switches batch create to multi-status (facts §3); without it the first failure fails the
        // call and, for conflicts, only the first is reported.
        var multiStatus = inputs.Count > 0 && inputs.All(i => Text(i?["objectWriteTraceId"]) is { Length: > 0 });
        var planned = new List<(JsonNode? Input, Dictionary<string, string> Values, List<(long To, List<int> Types)> Links, string? Trace)>();
        var claimed = new Dictionary<string, int>(StringComparer.Ordinal);
        var errors = new List<JsonObject>();
        for (var i = 0; i < inputs.Count; i++)
        {
            var input = inputs[i];
            var trace = Text(input?["objectWriteTraceId"]);
            var values = Values(input?["properties"]);
            var problem = _portal.Validate(type, null, values, Required(route, type));
            if (problem is null)
            {
                foreach (var (name, value) in values)
                {
                    if (value.Length > 0 && _portal.IsUniqueIdProperty(type, name)
                        && !claimed.TryAdd(name + "\u0001" + (name == "email" ? value.ToLowerInvariant() : value), i))
                    {
                        problem = new WriteError("VALIDATION_ERROR", $"Duplicate value for unique property {name} in batch input.", [], Status: 400);
                    }
                }
            }

            string? linkProblem = null;
            var links = new List<(long To, List<int> Types)>();
            if (problem is null && (linkProblem = InlineAssociations(input?["associations"], type, out links)) is not null)
            {
                problem = new WriteError("VALIDATION_ERROR", linkProblem, []);
            }

            if (problem is not null)
            {
                if (!multiStatus)
                {
                    return Error(problem.Status, problem.Category, problem.Message, problem.Errors);
                }

                errors.Add(ItemError(problem.Category, problem.Message, trace, null, problem.Errors));
                continue;
            }

            planned.Add((input, values, links, trace));
        }

        var results = new List<JsonObject>();
        foreach (var (_, values, links, trace) in planned)
        {
            var record = _portal.Create(type, values);
            Link(record, links);
            var result = Render(record, null, route, all: true);
            Echo(result, trace);
            results.Add(result);
        }

        return BatchAnswer(route, results, errors, 201);
    }

    private SimulatorResponse BatchRead(ApiRoute route, SimulatorRequest request, JsonNode? body, string type)
    {
        if (body?["properties"] is not JsonArray properties || body["propertiesWithHistory"] is not JsonArray history)
        {
            return Error(400, "VALIDATION_ERROR", "Invalid input JSON: properties and propertiesWithHistory are required (send [] for none).");
        }

        if (Inputs(body, history.Count > 0 ? MaxBatchReadWithHistory : MaxBatchInputs, out var inputs) is { } tooMany)
        {
            return tooMany;
        }

        var idProperty = Text(body["idProperty"]);
        var archived = request.Query.GetValueOrDefault("archived") == "true";
        var requested = properties.Select(Text).Where(p => p is not null).Select(p => p!).ToList();
        var results = new List<JsonObject>();
        var missing = new JsonArray();
        var returned = new HashSet<long>();
        foreach (var input in inputs)
        {
            var id = Text(input?["id"]) ?? string.Empty;
            var record = _portal.FindBy(type, idProperty, id, archived);
            if (record is null)
            {
                missing.Add(id);
            }
            else if (returned.Add(record.Id))
            {
                results.Add(Render(record, requested, route));
            }
        }

        var errors = new List<JsonObject>();
        if (missing.Count > 0)
        {
            errors.Add(new JsonObject
            {
                ["status"] = "error",
                ["category"] = "OBJECT_NOT_FOUND",
                ["message"] = $"Could not get some {type} objects, they may be deleted or not exist. Check that ids are valid.",
                ["context"] = new JsonObject { ["ids"] = missing },
                ["errors"] = new JsonArray(),
            });
        }

        return BatchAnswer(route, results, errors, 200);
    }

    private SimulatorResponse BatchArchive(JsonNode? body, string type)
    {
        if (Inputs(body, MaxBatchInputs, out var inputs) is { } tooMany)
        {
            return tooMany;
        }

        foreach (var input in inputs)
        {
            if (_portal.FindBy(type, null, Text(input?["id"]) ?? string.Empty) is { } record)
            {
                _portal.Archive(record);
            }
        }

        return SimulatorResponse.Status(204);
    }

    private SimulatorResponse Search(ApiRoute route, JsonNode? body, string type)
    {
        var query = SearchQuery.Parse(body, _portal, type, out var problem);
        if (query is null)
        {
            return Error(400, "VALIDATION_ERROR", problem!);
        }

        var matches = _portal.Index.Visible(type).Where(d => query.Matches(d, _portal)).ToList();
        matches.Sort((a, b) => query.Compare(a, b, _portal));
        var reachable = Math.Min(matches.Count, SearchQuery.ResultCap);
        var page = matches.Skip(query.After).Take(Math.Min(query.Limit, Math.Max(0, reachable - query.After))).ToList();
        var results = new JsonArray();
        foreach (var doc in page)
        {
            results.Add(RenderDoc(doc, query.Properties, route));
        }

        var answer = new JsonObject { ["total"] = matches.Count, ["results"] = results };
        var next = query.After + page.Count;
        if (page.Count > 0 && next < reachable)
        {
            answer["paging"] = new JsonObject { ["next"] = new JsonObject { ["after"] = next.ToString(CultureInfo.InvariantCulture) } };
        }

        return SimulatorResponse.Json(answer);
    }

    private SimulatorResponse MergeCall(ApiRoute route, JsonNode? body, string type)
    {
        var primary = _portal.FindBy(type, null, Text(body?["primaryObjectId"]) ?? string.Empty);
        var merged = _portal.FindBy(type, null, Text(body?["objectIdToMerge"]) ?? string.Empty);
        if (primary is null || merged is null)
        {
            return Error(404, "OBJECT_NOT_FOUND", "Object not found.  objectId are usually numeric.");
        }

        if (primary.Id == merged.Id)
        {
            return Error(400, "VALIDATION_ERROR", "A record cannot be merged into itself.");
        }

        _portal.Merge(primary, merged);
        return SimulatorResponse.Json(Render(primary, null, route, all: true));
    }

    private SimulatorResponse GdprDelete(JsonNode? body, string type)
    {
        if (_portal.FindBy(type, Text(body?["idProperty"]), Text(body?["objectId"]) ?? string.Empty) is { } record)
        {
            _portal.HardDelete(record);
        }

        return SimulatorResponse.Status(204);
    }

    private SimulatorResponse Properties(ApiRoute route, SimulatorRequest request)
    {
        var type = route.ObjectType!;
        switch (request.Method, route.Rest)
        {
            case ("GET", []):
                return SimulatorResponse.Json(new JsonObject { ["results"] = new JsonArray(_portal.Definitions(type).Select(d => (JsonNode?)d.ToJson()).ToArray()) });
            case ("GET", [var name]):
                return _portal.Definition(type, name) is { } definition
                    ? SimulatorResponse.Json(definition.ToJson())
                    : Error(404, "OBJECT_NOT_FOUND", $"Unable to find property {name} on object type {type}.");
            case ("POST", []):
                JsonNode? body;
                try
                {
                    body = request.ReadJson();
                }
                catch (System.Text.Json.JsonException)
                {
                    return Error(400, "VALIDATION_ERROR", "Invalid input JSON.");
                }

                var property = ParseDefinition(body, type, out var invalid);
                if (property is null)
                {
                    return Error(400, "VALIDATION_ERROR", invalid!);
                }

                if (_portal.DefineProperty(type, property) is { } problem)
                {
                    return Error(problem.Status, problem.Category, problem.Message);
                }

                return SimulatorResponse.Json(property.ToJson(), 201);
            default:
                return NotFound(request.Path);
        }
    }

    private static SimProperty? ParseDefinition(JsonNode? body, string type, out string? problem)
    {
        problem = null;
        var name = Text(body?["name"]);
        var dataType = Text(body?["type"]);
        var fieldType = Text(body?["fieldType"]);
        if (string.IsNullOrEmpty(name) || !name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_') || !char.IsAsciiLetterLower(name[0]))
        {
            problem = $"Property name '{name}' must start with a lower-case letter and hold only lower-case letters, digits and underscores.";
            return null;
        }

        var pairs = new Dictionary<string, string[]>(StringComparer.Ordinal)
        {
            ["string"] = ["text", "textarea"],
            ["number"] = ["number"],
            ["date"] = ["date"],
            ["datetime"] = ["date"],
            ["bool"] = ["booleancheckbox"],
            ["enumeration"] = ["select", "radio", "checkbox", "booleancheckbox"],
        };
        if (dataType is null || fieldType is null || !pairs.TryGetValue(dataType, out var fields) || !fields.Contains(fieldType, StringComparer.Ordinal))
        {
            problem = $"type '{dataType}' and fieldType '{fieldType}' are not a valid pair.";
            return null;
        }

        return new SimProperty
        {
            Name = name,
            Label = Text(body?["label"]) ?? name,
            Type = dataType,
            FieldType = fieldType,
            GroupName = Text(body?["groupName"]) ?? (type == HubSpotPortal.Companies ? "companyinformation" : "contactinformation"),
            HasUniqueValue = body?["hasUniqueValue"]?.GetValueKind() == System.Text.Json.JsonValueKind.True,
            Options = (body?["options"] as JsonArray)?.Select(o => Text(o?["value"])).Where(v => v is not null).Select(v => v!).ToList() ?? [],
        };
    }

    private SimulatorResponse BatchAnswer(ApiRoute route, List<JsonObject> results, List<JsonObject> errors, int fullStatus)
    {
        if (!_options.PreserveBatchOrder)
        {
            for (var i = results.Count - 1; i > 0; i--)
            {
                var j = _shuffle.Next(i + 1);
                (results[i], results[j]) = (results[j], results[i]);
            }
        }

        var now = HubSpotPortal.Iso(_portal.Now());
        var body = new JsonObject
        {
            ["status"] = "COMPLETE",
            ["results"] = new JsonArray(results.Select(r => (JsonNode?)r).ToArray()),
            ["startedAt"] = now,
            ["completedAt"] = now,
        };
        if (errors.Count > 0)
        {
            body["numErrors"] = errors.Count;
            body["errors"] = new JsonArray(errors.Select(e => (JsonNode?)e).ToArray());
        }

        var status = errors.Count > 0 && !route.Is202609 ? 207 : fullStatus;
        return SimulatorResponse.Json(body, status);
    }

    private SimulatorResponse? Inputs(JsonNode? body, int max, out List<JsonNode?> inputs)
    {
        inputs = (body?["inputs"] as JsonArray)?.ToList() ?? [];
        if (body?["inputs"] is not JsonArray)
        {
            return Error(400, "VALIDATION_ERROR", "Invalid input JSON: inputs is required.");
        }

        return inputs.Count > max
            ? Error(400, "VALIDATION_ERROR", string.Create(CultureInfo.InvariantCulture, $"Batch input is limited to {max} inputs; received {inputs.Count}."))
            : null;
    }

    private static JsonObject ItemError(string category, string message, string? trace, string? id, JsonArray details)
    {
        var context = new JsonObject();
        if (trace is not null)
        {
            context["objectWriteTraceId"] = new JsonArray(trace);
        }
        else if (id is not null)
        {
            context["ids"] = new JsonArray(id);
        }

        return new JsonObject
        {
            ["status"] = "error",
            ["category"] = category,
            ["message"] = message,
            ["context"] = context,
            ["errors"] = details.DeepClone(),
            ["links"] = new JsonObject(),
        };
    }

    private void Echo(JsonObject result, string? trace)
    {
        if (_options.EchoObjectWriteTraceId && trace is not null)
        {
            result["objectWriteTraceId"] = trace;
        }
    }

    private IReadOnlyCollection<string> Required(ApiRoute route, string type) =>
        route.Is202609 && _options.RequiredProperties.TryGetValue(type, out var required) ? [.. required] : [];

    /// <summary>Inline <c>associations:[{to:{id}, types:[…]}]</c> of a create: checked, returned as contact→company links.</summary>
    private string? InlineAssociations(JsonNode? node, string type, out List<(long To, List<int> Types)> links)
    {
        links = [];
        if (node is not JsonArray list)
        {
            return null;
        }

        foreach (var item in list)
        {
            var toText = Text(item?["to"]?["id"]) ?? string.Empty;
            if (!long.TryParse(toText, NumberStyles.None, CultureInfo.InvariantCulture, out var to) || _portal.Find(to) is not { IsLive: true } target || target.Type == type)
            {
                return $"Association target {toText} does not exist.";
            }

            var types = new List<int>();
            foreach (var spec in item?["types"] as JsonArray ?? [])
            {
                var typeId = int.TryParse(Text(spec?["associationTypeId"]), NumberStyles.None, CultureInfo.InvariantCulture, out var t) ? t : -1;
                if (!HubSpotPortal.IsKnownAssociationType(type, target.Type, typeId) || Text(spec?["associationCategory"]) != "HUBSPOT_DEFINED")
                {
                    return $"Association type {typeId} is not valid from {type} to {target.Type}.";
                }

                types.Add(HubSpotPortal.ToContactDirection(type, typeId));
            }

            links.Add((to, types));
        }

        return null;
    }

    private void Link(SimObject record, List<(long To, List<int> Types)> links)
    {
        foreach (var (to, types) in links)
        {
            if (record.Type == HubSpotPortal.Contacts)
            {
                _portal.Associate(record.Id, to, types);
            }
            else
            {
                _portal.Associate(to, record.Id, types);
            }
        }
    }

    private JsonObject Render(SimObject record, IReadOnlyCollection<string>? requested, ApiRoute route, bool all = false)
    {
        var properties = new JsonObject();
        if (all)
        {
            foreach (var (name, value) in record.Properties.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                properties[name] = value;
            }
        }
        else
        {
            AddProperties(properties, record.Properties, record.Type, requested, route);
        }

        var rendered = new JsonObject
        {
            ["id"] = HubSpotPortal.IdText(record.Id),
            ["properties"] = properties,
            ["createdAt"] = HubSpotPortal.Iso(record.CreatedAt),
            ["updatedAt"] = HubSpotPortal.Iso(record.UpdatedAt),
            ["archived"] = record.Archived,
        };
        if (record.ArchivedAt is { } archivedAt)
        {
            rendered["archivedAt"] = HubSpotPortal.Iso(archivedAt);
        }

        return rendered;
    }

    private JsonObject RenderDoc(IndexedDoc doc, IReadOnlyCollection<string> requested, ApiRoute route)
    {
        var properties = new JsonObject();
        AddProperties(properties, doc.Properties, doc.Type, requested, route);
        return new JsonObject
        {
            ["id"] = HubSpotPortal.IdText(doc.Id),
            ["properties"] = properties,
            ["createdAt"] = HubSpotPortal.Iso(doc.CreatedAt),
            ["updatedAt"] = HubSpotPortal.Iso(doc.UpdatedAt),
            ["archived"] = false,
        };
    }

    /// <summary>
    /// The requested properties (or the type's defaults) plus <c>hs_object_id</c>, <c>createdate</c> and the last-modified
    /// date. A requested property that is not set is left out before 2026-09 and sent as <c>null</c> from 2026-09.
    /// </summary>
    private static void AddProperties(JsonObject target, IReadOnlyDictionary<string, string> values, string type, IReadOnlyCollection<string>? requested, ApiRoute route)
    {
        IEnumerable<string> names = requested is { Count: > 0 }
            ? requested
            : type == HubSpotPortal.Companies ? ["name", "domain"] : ["firstname", "lastname", "email"];
        foreach (var name in names.Concat(["hs_object_id", "createdate", HubSpotPortal.LastModifiedProperty(type)]).Distinct(StringComparer.Ordinal))
        {
            if (values.TryGetValue(name, out var value))
            {
                target[name] = value;
            }
            else if (route.Is202609)
            {
                target[name] = null;
            }
        }
    }

    private static Dictionary<string, string> Values(JsonNode? node)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (node is JsonObject properties)
        {
            foreach (var (name, value) in properties)
            {
                values[name] = Text(value) ?? string.Empty;
            }
        }

        return values;
    }

    private static List<string> Csv(string? value) =>
        string.IsNullOrWhiteSpace(value) ? [] : [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    private static string V3AssociationName(int typeId) => typeId switch
    {
        1 => "contact_to_company",
        279 => "contact_to_company_unlabeled",
        2 => "company_to_contact",
        280 => "company_to_contact_unlabeled",
        931 => "contact_to_company_billing_contact",
        930 => "company_to_contact_billing_contact",
        _ => typeId.ToString(CultureInfo.InvariantCulture),
    };

    private static string? Text(JsonNode? node) => node switch
    {
        null => null,
        JsonValue value when value.TryGetValue<string>(out var s) => s,
        JsonValue value => value.ToJsonString(),
        _ => null,
    };
}
