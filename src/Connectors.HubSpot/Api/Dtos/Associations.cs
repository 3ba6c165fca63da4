using System.Text.Json.Serialization;

namespace Concord.Connectors.HubSpot.Api.Dtos;

internal sealed class ObjectRef
{
    [JsonConverter(typeof(FlexibleStringConverter))]
    public required string Id { get; init; }
}

internal sealed class AssociationSpec
{
    public string AssociationCategory { get; init; } = "HUBSPOT_DEFINED";

    public required int AssociationTypeId { get; init; }
}

internal sealed class AssociationCreateInput
{
    public required ObjectRef From { get; init; }

    public required ObjectRef To { get; init; }

    public required List<AssociationSpec> Types { get; init; }
}

internal sealed class AssociationReadInput
{
    public required string Id { get; init; }

    public string? After { get; init; }
}

internal sealed class AssociationArchiveInput
{
    public required ObjectRef From { get; init; }

    public required List<ObjectRef> To { get; init; }
}

/// <summary>The answer of an association batch write: only the failures matter.</summary>
internal sealed class AssociationWriteResponse
{
    public string? Status { get; set; }

    public int? NumErrors { get; set; }

    public List<BatchError> Errors { get; set; } = [];
}

internal sealed class AssociationReadResponse
{
    public string? Status { get; set; }

    public List<AssociationReadResult> Results { get; set; } = [];

    public int? NumErrors { get; set; }

    public List<BatchError> Errors { get; set; } = [];
}

internal sealed class AssociationReadResult
{
    public ObjectRef? From { get; set; }

    public List<AssociationTarget> To { get; set; } = [];

    public Paging? Paging { get; set; }
}

internal sealed class AssociationTarget
{
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? ToObjectId { get; set; }

    public List<AssociationType> AssociationTypes { get; set; } = [];
}

internal sealed class AssociationType
{
    public string? Category { get; set; }

    public int TypeId { get; set; }

    public string? Label { get; set; }
}
