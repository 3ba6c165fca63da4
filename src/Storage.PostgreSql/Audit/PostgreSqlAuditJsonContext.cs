using System.Text.Json.Serialization;
using Concord.Sync.Ownership;

namespace Concord.Storage.PostgreSql.Audit;

/// <summary>Source-generated JSON for the audit table's refused-fields column.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RefusedChange[]))]
internal sealed partial class PostgreSqlAuditJsonContext : JsonSerializerContext;
