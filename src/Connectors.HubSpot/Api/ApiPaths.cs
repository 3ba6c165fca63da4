namespace Concord.Connectors.HubSpot.Api;

/// <summary>
/// The two path segments after <c>/crm/</c> for each API family, per version (facts page §0): legacy
/// <c>/crm/v3/objects</c>, <c>/crm/v3/properties</c>, <c>/crm/v4/associations</c>; date-based <c>/crm/objects/{ver}</c>,
/// <c>/crm/properties/{ver}</c>, <c>/crm/associations/{ver}</c>; and the OAuth token path.
/// </summary>
internal sealed record ApiPaths(string Version, string Objects1, string Objects2, string Properties1, string Properties2, string Associations1, string Associations2, string TokenPath)
{
    public const string Legacy = "v3";

    public static readonly string[] Supported = ["2026-09", "2026-03", Legacy];

    public bool IsLegacy => Version == Legacy;

    public static ApiPaths For(string version) => version == Legacy
        ? new ApiPaths(version, "v3", "objects", "v3", "properties", "v4", "associations", "/oauth/v1/token")
        : new ApiPaths(version, "objects", version, "properties", version, "associations", version, $"/oauth/{version}/token");
}
