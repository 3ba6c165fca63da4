using System.Text.Json.Serialization;

namespace Concord.Connectors.Salesforce.Api.Dtos;

/// <summary>
/// What a duplicate rule matched (<c>DUPLICATES_DETECTED</c>): the rule and, per match rule, the matched records. Real
/// responses spell the member <c>duplicateResut</c>; both spellings are read.
/// </summary>
internal sealed class DuplicateResult
{
    [JsonPropertyName("duplicateRule")]
    public string? DuplicateRule { get; set; }

    [JsonPropertyName("matchResults")]
    public List<DuplicateMatchResult>? MatchResults { get; set; }

    /// <summary>The ids of every matched record, in the order given.</summary>
    public IEnumerable<string> MatchedIds() =>
        (MatchResults ?? []).SelectMany(r => r.MatchRecords ?? []).Select(m => m.Record?.Id).OfType<string>().Distinct(StringComparer.Ordinal);
}

/// <summary>The matches of one match rule.</summary>
internal sealed class DuplicateMatchResult
{
    [JsonPropertyName("entityType")]
    public string? EntityType { get; set; }

    [JsonPropertyName("matchRecords")]
    public List<DuplicateMatchRecord>? MatchRecords { get; set; }
}

/// <summary>One matched record.</summary>
internal sealed class DuplicateMatchRecord
{
    [JsonPropertyName("record")]
    public DuplicateRecord? Record { get; set; }
}

/// <summary>The matched record, of which the connector keeps the id.</summary>
internal sealed class DuplicateRecord
{
    [JsonPropertyName("Id")]
    public string? Id { get; set; }
}
