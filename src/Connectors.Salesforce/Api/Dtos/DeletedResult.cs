using System.Text.Json.Serialization;

namespace Concord.Connectors.Salesforce.Api.Dtos;

/// <summary>
/// <c>GET /sobjects/{type}/deleted/?start=…&amp;end=…</c>: the deletions the delete log still holds in the window and
/// <c>earliestDateAvailable</c>, the stamp of the last record purged from it (deletions at or before it may be gone).
/// </summary>
internal sealed class DeletedResult
{
    [JsonPropertyName("deletedRecords")]
    public List<DeletedRecord> DeletedRecords { get; set; } = [];

    [JsonPropertyName("earliestDateAvailable")]
    public DateTimeOffset? EarliestDateAvailable { get; set; }

    [JsonPropertyName("latestDateCovered")]
    public DateTimeOffset? LatestDateCovered { get; set; }
}

/// <summary>One deletion of the delete log.</summary>
internal sealed class DeletedRecord
{
    [JsonPropertyName("id")]
    public string? Id { get; set; }

    [JsonPropertyName("deletedDate")]
    public DateTimeOffset? DeletedDate { get; set; }
}
