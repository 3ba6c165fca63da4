using System.Text.Json.Serialization;

namespace Concord.Canonical.Serialization;

/// <summary>Source-generated System.Text.Json metadata for the canonical types.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    AllowDuplicateProperties = false)]
[JsonSerializable(typeof(CanonicalCustomer))]
[JsonSerializable(typeof(List<CanonicalCustomer>))]
internal sealed partial class CanonicalJsonContext : JsonSerializerContext;
