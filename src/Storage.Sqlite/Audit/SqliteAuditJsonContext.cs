using System.Text.Json.Serialization;
using Concord.Sync.Ownership;

namespace Concord.Storage.Sqlite.Audit;

/// <summary>Source-generated JSON for the audit table's array columns.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(RefusedChange[]))]
internal sealed partial class SqliteAuditJsonContext : JsonSerializerContext;
