using System.Text.Json.Serialization;

namespace Concord.Connectors.Salesforce.Api.Dtos;

/// <summary><c>GET /limits</c>, the part the connector reads: <c>{"DailyApiRequests":{"Max":15000,"Remaining":14998},…}</c>.</summary>
internal sealed class LimitsResult
{
    [JsonPropertyName("DailyApiRequests")]
    public LimitValue? DailyApiRequests { get; set; }
}

/// <summary>One limit: its maximum and what remains (negative once usage runs past the maximum).</summary>
internal sealed class LimitValue
{
    [JsonPropertyName("Max")]
    public long Max { get; set; }

    [JsonPropertyName("Remaining")]
    public long Remaining { get; set; }
}
