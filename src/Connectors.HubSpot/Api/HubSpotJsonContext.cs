using System.Text.Json.Serialization;
using Concord.Connectors.HubSpot.Api.Dtos;

namespace Concord.Connectors.HubSpot.Api;

/// <summary>Source-generated JSON metadata for every HubSpot payload: camelCase, nulls left out, unknown members tolerated.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(BatchInputs<WriteInput>))]
[JsonSerializable(typeof(BatchReadRequest))]
[JsonSerializable(typeof(BatchResponse))]
[JsonSerializable(typeof(BatchError))]
[JsonSerializable(typeof(SearchRequest))]
[JsonSerializable(typeof(SearchResponse))]
[JsonSerializable(typeof(ListResponse))]
[JsonSerializable(typeof(PropertyDefinition))]
[JsonSerializable(typeof(BatchInputs<AssociationCreateInput>))]
[JsonSerializable(typeof(BatchInputs<AssociationReadInput>))]
[JsonSerializable(typeof(BatchInputs<AssociationArchiveInput>))]
[JsonSerializable(typeof(AssociationWriteResponse))]
[JsonSerializable(typeof(AssociationReadResponse))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(OAuthError))]
internal sealed partial class HubSpotJsonContext : JsonSerializerContext;
