using System.Globalization;
using System.Text.Json.Nodes;
using Concord.Testing.HubSpot.Internal;

namespace Concord.Testing.HubSpot;

/// <summary>Associations v4 (facts page §5): batch create/default/read/archive/labels-archive and per-record calls.</summary>
public sealed partial class HubSpotSimulator
{
    private const int MaxAssociationWrites = 2_000;
    private const int MaxAssociationReads = 1_000;
    private const int MaxLinksPerPage = 500;

    private SimulatorResponse AssociationBatch(ApiRoute route, SimulatorRequest request)
    {
        JsonNode? body;
        try
        {
            body = request.ReadJson();
        }
        catch (System.Text.Json.JsonException)
        {
            return Error(400, "VALIDATION_ERROR", "Invalid input JSON.");
        }

        var from = route.ObjectType!;
        var to = route.ToType!;
        return (request.Method, route.Operation) switch
        {
            ("POST", "create") => AssociationCreate(route, body, from, to, labelled: true),
            ("POST", "associate/default") => AssociationCreate(route, body, from, to, labelled: false),
            ("POST", "read") => AssociationRead(route, body, from, to),
            ("POST", "archive") => AssociationArchive(route, body, from, to),
            ("POST", "labels/archive") => AssociationLabelsArchive(route, body, from, to),
            _ => NotFound(request.Path),
        };
    }

    private SimulatorResponse AssociationCreate(ApiRoute route, JsonNode? body, string from, string to, bool labelled)
    {
        if (Inputs(body, MaxAssociationWrites, out var inputs) is { } tooMany)
        {
            return tooMany;
        }

        var results = new List<JsonObject>();
        var errors = new List<JsonObject>();
        foreach (var input in inputs)
        {
            var fromText = Text(input?["from"]?["id"]) ?? string.Empty;
            var toText = Text(input?["to"]?["id"]) ?? string.Empty;
            var source = Live(from, fromText);
            var target = Live(to, toText);
            if (source is null || target is null)
            {
                errors.Add(AssociationError("VALIDATION_ERROR", $"No {(source is null ? from : to)} with id {(source is null ? fromText : toText)} exists.", fromText, toText));
                continue;
            }

            var types = new List<int>();
            string? invalid = null;
            if (labelled)
            {
                foreach (var spec in input?["types"] as JsonArray ?? [])
                {
                    var typeId = int.TryParse(Text(spec?["associationTypeId"]), NumberStyles.None, CultureInfo.InvariantCulture, out var t) ? t : -1;
                    if (Text(spec?["associationCategory"]) != "HUBSPOT_DEFINED" || !HubSpotPortal.IsKnownAssociationType(from, to, typeId))
                    {
                        invalid = $"Association type {typeId} ({Text(spec?["associationCategory"])}) is not valid from {from} to {to}.";
                        break;
                    }

                    types.Add(typeId);
                }

                if (invalid is null && types.Count == 0)
                {
                    invalid = "Each input needs at least one association type.";
                }
            }
            else
            {
                types.Add(from == HubSpotPortal.Contacts ? 279 : 280);
            }

            if (invalid is not null)
            {
                errors.Add(AssociationError("VALIDATION_ERROR", invalid, fromText, toText));
                continue;
            }

            var contactToCompany = types.Select(t => HubSpotPortal.ToContactDirection(from, t)).ToList();
            if (from == HubSpotPortal.Contacts)
            {
                _portal.Associate(source.Id, target.Id, contactToCompany);
            }
            else
            {
                _portal.Associate(target.Id, source.Id, contactToCompany);
            }

            results.Add(new JsonObject
            {
                ["fromObjectTypeId"] = HubSpotPortal.ObjectTypeId(from),
                ["fromObjectId"] = source.Id,
                ["toObjectTypeId"] = HubSpotPortal.ObjectTypeId(to),
                ["toObjectId"] = target.Id,
                ["labels"] = new JsonArray(types.Select(HubSpotPortal.Label).Where(l => l.Length > 0).Distinct().Select(l => (JsonNode?)l).ToArray()),
            });
        }

        // v4 and 2026-03: 201, or 207 with failures; 2026-09: 200 with errors[] and numErrors.
        return BatchAnswer(route, results, errors, route.Is202609 ? 200 : 201);
    }

    private SimulatorResponse AssociationRead(ApiRoute route, JsonNode? body, string from, string to)
    {
        if (Inputs(body, MaxAssociationReads, out var inputs) is { } tooMany)
        {
            return tooMany;
        }

        var results = new List<JsonObject>();
        var missing = new JsonArray();
        foreach (var input in inputs)
        {
            var idText = Text(input?["id"]) ?? string.Empty;
            if (Live(from, idText) is not { } source)
            {
                missing.Add(idText);
                continue;
            }

            var links = _portal.LinksOf(source.Id)
                .Where(p => _portal.Find(p.Key) is { IsLive: true } other && other.Type == to)
                .OrderBy(p => p.Key)
                .ToList();
            if (links.Count == 0)
            {
                continue;
            }

            var offset = int.TryParse(Text(input?["after"]), NumberStyles.None, CultureInfo.InvariantCulture, out var a) ? a : 0;
            var page = links.Skip(offset).Take(MaxLinksPerPage).ToList();
            var result = new JsonObject
            {
                ["from"] = new JsonObject { ["id"] = idText },
                ["to"] = new JsonArray(page.Select(p => (JsonNode?)new JsonObject
                {
                    ["toObjectId"] = p.Key,
                    ["associationTypes"] = new JsonArray(p.Value.Select(t => (JsonNode?)new JsonObject
                    {
                        ["category"] = "HUBSPOT_DEFINED",
                        ["typeId"] = t,
                        ["label"] = HubSpotPortal.Label(t) is { Length: > 0 } label ? label : null,
                    }).ToArray()),
                }).ToArray()),
            };
            if (offset + page.Count < links.Count)
            {
                result["paging"] = new JsonObject { ["next"] = new JsonObject { ["after"] = (offset + page.Count).ToString(CultureInfo.InvariantCulture) } };
            }

            results.Add(result);
        }

        var errors = new List<JsonObject>();
        if (missing.Count > 0)
        {
            errors.Add(new JsonObject
            {
                ["status"] = "error",
                ["category"] = "OBJECT_NOT_FOUND",
                ["message"] = $"Could not find some {from} objects.",
                ["context"] = new JsonObject { ["ids"] = missing },
                ["errors"] = new JsonArray(),
            });
        }

        return BatchAnswer(route, results, errors, 200);
    }

    private SimulatorResponse AssociationArchive(ApiRoute route, JsonNode? body, string from, string to)
    {
        if (Inputs(body, MaxAssociationWrites, out var inputs) is { } tooMany)
        {
            return tooMany;
        }

        foreach (var input in inputs)
        {
            if (Live(from, Text(input?["from"]?["id"]) ?? string.Empty) is not { } source)
            {
                continue;
            }

            foreach (var target in input?["to"] as JsonArray ?? [])
            {
                if (Live(to, Text(target?["id"]) ?? string.Empty) is { } other)
                {
                    _portal.RemovePair(source.Id, other.Id);
                }
            }
        }

        return ArchiveAnswer(route);
    }

    private SimulatorResponse AssociationLabelsArchive(ApiRoute route, JsonNode? body, string from, string to)
    {
        if (Inputs(body, MaxAssociationWrites, out var inputs) is { } tooMany)
        {
            return tooMany;
        }

        foreach (var input in inputs)
        {
            if (Live(from, Text(input?["from"]?["id"]) ?? string.Empty) is { } source && Live(to, Text(input?["to"]?["id"]) ?? string.Empty) is { } target)
            {
                var types = (input?["types"] as JsonArray ?? [])
                    .Select(t => int.TryParse(Text(t?["associationTypeId"]), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : -1)
                    .Where(t => t > 0);
                _portal.RemoveTypes(source.Id, target.Id, types);
            }
        }

        return ArchiveAnswer(route);
    }

    /// <summary>v4 answers a batch archive with 204; 2026-03 and 2026-09 with 200 and a batch body.</summary>
    private SimulatorResponse ArchiveAnswer(ApiRoute route) =>
        route.IsLegacy ? SimulatorResponse.Status(204) : BatchAnswer(route, [], [], 200);

    private SimulatorResponse RecordAssociations(ApiRoute route, SimulatorRequest request)
    {
        var type = route.ObjectType!;
        var rest = route.Rest;
        if (Live(type, rest[0]) is not { } source)
        {
            return Error(404, "OBJECT_NOT_FOUND", "Object not found.  objectId are usually numeric.");
        }

        switch (request.Method, rest)
        {
            case ("GET", [_, var toRaw]) when !route.Is202609:
            {
                if (HubSpotPortal.NormalizeType(toRaw) is not { } to)
                {
                    return Error(400, "VALIDATION_ERROR", $"Unable to infer object type from: {toRaw}");
                }

                var links = _portal.LinksOf(source.Id).Where(p => _portal.Find(p.Key) is { IsLive: true } o && o.Type == to).OrderBy(p => p.Key).ToList();
                var limit = int.TryParse(request.Query.GetValueOrDefault("limit"), NumberStyles.None, CultureInfo.InvariantCulture, out var l) ? Math.Clamp(l, 1, MaxLinksPerPage) : MaxLinksPerPage;
                var offset = int.TryParse(request.Query.GetValueOrDefault("after"), NumberStyles.None, CultureInfo.InvariantCulture, out var a) ? a : 0;
                var page = links.Skip(offset).Take(limit).ToList();
                var answer = new JsonObject
                {
                    ["results"] = new JsonArray(page.Select(p => (JsonNode?)new JsonObject
                    {
                        ["toObjectId"] = p.Key,
                        ["associationTypes"] = new JsonArray(p.Value.Select(t => (JsonNode?)new JsonObject { ["category"] = "HUBSPOT_DEFINED", ["typeId"] = t, ["label"] = HubSpotPortal.Label(t) is { Length: > 0 } s ? s : null }).ToArray()),
                    }).ToArray()),
                };
                if (offset + page.Count < links.Count)
                {
                    answer["paging"] = new JsonObject { ["next"] = new JsonObject { ["after"] = (offset + page.Count).ToString(CultureInfo.InvariantCulture) } };
                }

                return SimulatorResponse.Json(answer);
            }

            case ("PUT", [_, "default", var toRaw, var toId]):
            {
                if (HubSpotPortal.NormalizeType(toRaw) is not { } to || Live(to, toId) is not { } target)
                {
                    return Error(404, "OBJECT_NOT_FOUND", "Association target not found.");
                }

                AssociateEither(source, target, [source.Type == HubSpotPortal.Contacts ? 279 : 280]);
                return SimulatorResponse.Json(new JsonObject
                {
                    ["status"] = "COMPLETE",
                    ["results"] = new JsonArray(new JsonObject
                    {
                        ["from"] = new JsonObject { ["id"] = HubSpotPortal.IdText(source.Id) },
                        ["to"] = new JsonObject { ["id"] = HubSpotPortal.IdText(target.Id) },
                        ["associationSpec"] = new JsonObject { ["associationCategory"] = "HUBSPOT_DEFINED", ["associationTypeId"] = source.Type == HubSpotPortal.Contacts ? 279 : 280 },
                    }),
                });
            }

            case ("PUT", [_, var toRaw, var toId]):
            {
                if (HubSpotPortal.NormalizeType(toRaw) is not { } to || Live(to, toId) is not { } target)
                {
                    return Error(404, "OBJECT_NOT_FOUND", "Association target not found.");
                }

                var types = new List<int>();
                foreach (var spec in request.ReadJson() as JsonArray ?? [])
                {
                    var typeId = int.TryParse(Text(spec?["associationTypeId"]), NumberStyles.None, CultureInfo.InvariantCulture, out var t) ? t : -1;
                    if (Text(spec?["associationCategory"]) != "HUBSPOT_DEFINED" || !HubSpotPortal.IsKnownAssociationType(source.Type, to, typeId))
                    {
                        return Error(400, "VALIDATION_ERROR", $"Association type {typeId} is not valid from {source.Type} to {to}.");
                    }

                    types.Add(typeId);
                }

                AssociateEither(source, target, types);
                return SimulatorResponse.Json(
                    new JsonObject
                    {
                        ["fromObjectTypeId"] = HubSpotPortal.ObjectTypeId(source.Type),
                        ["fromObjectId"] = source.Id,
                        ["toObjectTypeId"] = HubSpotPortal.ObjectTypeId(to),
                        ["toObjectId"] = target.Id,
                        ["labels"] = new JsonArray(types.Select(HubSpotPortal.Label).Where(s => s.Length > 0).Distinct().Select(s => (JsonNode?)s).ToArray()),
                    },
                    201);
            }

            case ("DELETE", [_, var toRaw, var toId]):
                if (HubSpotPortal.NormalizeType(toRaw) is { } kind && Live(kind, toId) is { } linked)
                {
                    _portal.RemovePair(source.Id, linked.Id);
                }

                return SimulatorResponse.Status(204);
            default:
                return NotFound(request.Path);
        }
    }

    private void AssociateEither(SimObject source, SimObject target, List<int> typesFromSource)
    {
        var contactToCompany = typesFromSource.Select(t => HubSpotPortal.ToContactDirection(source.Type, t)).ToList();
        if (source.Type == HubSpotPortal.Contacts)
        {
            _portal.Associate(source.Id, target.Id, contactToCompany);
        }
        else
        {
            _portal.Associate(target.Id, source.Id, contactToCompany);
        }
    }

    private SimObject? Live(string type, string id) =>
        long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var key) ? _portal.FindLive(type, key) : null;

    private static JsonObject AssociationError(string category, string message, string from, string to) => new()
    {
        ["status"] = "error",
        ["category"] = category,
        ["message"] = message,
        ["context"] = new JsonObject { ["fromObjectId"] = new JsonArray(from), ["toObjectId"] = new JsonArray(to) },
        ["errors"] = new JsonArray(),
    };
}
