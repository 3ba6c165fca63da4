namespace Concord.Testing.HubSpot.Internal;

internal enum ApiFamily
{
    Objects,
    Properties,
    Associations,
    RecordAssociations,
}

/// <summary>
/// A CRM path taken apart, legacy or date-based (facts page §0): <c>/crm/v3/objects/{type}/…</c> ≡
/// <c>/crm/objects/{ver}/{type}/…</c>, <c>/crm/v3/properties/{type}</c> ≡ <c>/crm/properties/{ver}/{type}</c>,
/// <c>/crm/v4/objects/{type}/{id}/associations/…</c> ≡ <c>/crm/objects/{ver}/{type}/{id}/associations/…</c>,
/// <c>/crm/v4/associations/{from}/{to}/batch/…</c> ≡ <c>/crm/associations/{ver}/{from}/{to}/batch/…</c>.
/// </summary>
internal sealed record ApiRoute(ApiFamily Family, string Version, string RawType, string? ObjectType, string[] Rest)
{
    public static readonly string[] DateVersions = ["2026-03", "2026-09"];

    public string? RawToType { get; init; }

    public string? ToType { get; init; }

    /// <summary>v3 or v4 paths.</summary>
    public bool IsLegacy => Version is "v3" or "v4";

    /// <summary>2026-09: no 207 anywhere; partial failures in a 200/201 body; validation rules enforced.</summary>
    public bool Is202609 => Version == "2026-09";

    /// <summary>The last meaningful segment: <c>search</c>, <c>read</c>, <c>upsert</c>, … or empty.</summary>
    public string Operation => Rest.Length switch
    {
        1 when Rest[0] is "search" or "merge" or "gdpr-delete" => Rest[0],
        2 when Rest[0] == "batch" => Rest[1],
        3 when Rest[0] == "batch" => Rest[1] + "/" + Rest[2],
        _ => string.Empty,
    };

    public static ApiRoute? Parse(SimulatorRequest request)
    {
        var s = request.Path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        if (s.Length < 4 || s[0] != "crm")
        {
            return null;
        }

        switch (s)
        {
            case [_, "v3", "objects", var type, .. var rest] when !(rest.Length >= 2 && rest[1] == "associations"):
                return new ApiRoute(ApiFamily.Objects, "v3", type, HubSpotPortal.NormalizeType(type), rest);
            case [_, "v4", "objects", var type, var id, "associations", .. var rest]:
                return new ApiRoute(ApiFamily.RecordAssociations, "v4", type, HubSpotPortal.NormalizeType(type), [id, .. rest]);
            case [_, "objects", var version, var type, var id, "associations", .. var rest] when DateVersions.Contains(version):
                return new ApiRoute(ApiFamily.RecordAssociations, version, type, HubSpotPortal.NormalizeType(type), [id, .. rest]);
            case [_, "objects", var version, var type, .. var rest] when DateVersions.Contains(version):
                return new ApiRoute(ApiFamily.Objects, version, type, HubSpotPortal.NormalizeType(type), rest);
            case [_, "v3", "properties", var type, .. var rest]:
                return new ApiRoute(ApiFamily.Properties, "v3", type, HubSpotPortal.NormalizeType(type), rest);
            case [_, "properties", var version, var type, .. var rest] when DateVersions.Contains(version):
                return new ApiRoute(ApiFamily.Properties, version, type, HubSpotPortal.NormalizeType(type), rest);
            case [_, "v4", "associations", var from, var to, .. var rest] when rest.Length >= 2 && rest[0] == "batch":
                return new ApiRoute(ApiFamily.Associations, "v4", from, HubSpotPortal.NormalizeType(from), rest) { RawToType = to, ToType = HubSpotPortal.NormalizeType(to) };
            case [_, "associations", var version, var from, var to, .. var rest] when DateVersions.Contains(version) && rest.Length >= 2 && rest[0] == "batch":
                return new ApiRoute(ApiFamily.Associations, version, from, HubSpotPortal.NormalizeType(from), rest) { RawToType = to, ToType = HubSpotPortal.NormalizeType(to) };
            default:
                return null;
        }
    }
}
