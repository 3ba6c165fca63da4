using System.Text.Json.Serialization;

namespace Concord.Connectors.HubSpot.Api.Dtos;

/// <summary>A batch body: <c>{"inputs":[…]}</c>.</summary>
internal sealed class BatchInputs<T>
{
    public required List<T> Inputs { get; init; }
}

/// <summary>One input of <c>batch/upsert</c> or <c>batch/update</c>.</summary>
internal sealed class WriteInput
{
    public required string Id { get; init; }

    /// <summary>The unique property <see cref="Id"/> names; null for <c>hs_object_id</c> (batch update by id).</summary>
    public string? IdProperty { get; init; }

    public required Dictionary<string, string> Properties { get; init; }

    public string? ObjectWriteTraceId { get; init; }
}

internal sealed class ReadInput
{
    public required string Id { get; init; }
}

internal sealed class BatchReadRequest
{
    public required List<ReadInput> Inputs { get; init; }

    public string? IdProperty { get; init; }

    public required List<string> Properties { get; init; }

    /// <summary>Required by the spec even when empty.</summary>
    public List<string> PropertiesWithHistory { get; init; } = [];
}

/// <summary>A batch answer: results in no particular order, and per-item failures (207, or 200/201 in 2026-09).</summary>
internal sealed class BatchResponse
{
    public string? Status { get; set; }

    public List<HubSpotObject> Results { get; set; } = [];

    public int? NumErrors { get; set; }

    public List<BatchError> Errors { get; set; } = [];
}

internal sealed class HubSpotObject
{
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? Id { get; set; }

    public Dictionary<string, string?> Properties { get; set; } = new(StringComparer.Ordinal);

    public DateTimeOffset? CreatedAt { get; set; }

    public DateTimeOffset? UpdatedAt { get; set; }

    public bool Archived { get; set; }

    public DateTimeOffset? ArchivedAt { get; set; }

    /// <summary>Upsert only: whether the record was created.</summary>
    public bool? New { get; set; }

    public string? ObjectWriteTraceId { get; set; }

    public string? Get(string property) => Properties.TryGetValue(property, out var value) && !string.IsNullOrEmpty(value) ? value : null;
}

/// <summary>One failure inside a batch answer, or the body of a failed call.</summary>
internal sealed class BatchError
{
    public string? Status { get; set; }

    public string? Category { get; set; }

    public string? SubCategory { get; set; }

    public string? Message { get; set; }

    public string? CorrelationId { get; set; }

    public Dictionary<string, List<string>>? Context { get; set; }

    public List<ErrorDetail>? Errors { get; set; }

    /// <summary>429 only.</summary>
    public string? PolicyName { get; set; }

    public string? ErrorType { get; set; }
}

internal sealed class ErrorDetail
{
    public string? Message { get; set; }

    public string? Code { get; set; }

    public string? In { get; set; }

    public string? SubCategory { get; set; }

    public Dictionary<string, List<string>>? Context { get; set; }
}

internal sealed class SearchRequest
{
    public List<FilterGroup> FilterGroups { get; init; } = [];

    public List<SearchSort> Sorts { get; init; } = [];

    public List<string> Properties { get; init; } = [];

    public int Limit { get; init; } = 200;

    public string? After { get; init; }
}

internal sealed class FilterGroup
{
    public List<Filter> Filters { get; init; } = [];
}

internal sealed class Filter
{
    public required string PropertyName { get; init; }

    public required string Operator { get; init; }

    public string? Value { get; init; }

    public List<string>? Values { get; init; }
}

internal sealed class SearchSort
{
    public required string PropertyName { get; init; }

    public string Direction { get; init; } = "ASCENDING";
}

internal sealed class SearchResponse
{
    public long Total { get; set; }

    public List<HubSpotObject> Results { get; set; } = [];

    public Paging? Paging { get; set; }
}

internal sealed class ListResponse
{
    public List<HubSpotObject> Results { get; set; } = [];

    public Paging? Paging { get; set; }
}

internal sealed class Paging
{
    public PagingNext? Next { get; set; }
}

internal sealed class PagingNext
{
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? After { get; set; }
}

internal sealed class PropertyDefinition
{
    public required string Name { get; init; }

    public string? Label { get; init; }

    public required string Type { get; init; }

    public required string FieldType { get; init; }

    public string? GroupName { get; init; }

    public bool HasUniqueValue { get; init; }

    public bool? FormField { get; init; }
}
