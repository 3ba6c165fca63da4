using System.Text.Json.Serialization;

namespace Concord.Connectors.Salesforce.Api.Dtos;

/// <summary>A query page: <c>{"totalSize":…,"done":false,"nextRecordsUrl":"/services/data/v65.0/query/01g…-2000","records":[…]}</c>.</summary>
internal sealed class QueryResult<TRecord>
{
    [JsonPropertyName("totalSize")]
    public long TotalSize { get; set; }

    [JsonPropertyName("done")]
    public bool Done { get; set; }

    [JsonPropertyName("nextRecordsUrl")]
    public string? NextRecordsUrl { get; set; }

    [JsonPropertyName("records")]
    public List<TRecord> Records { get; set; } = [];
}
