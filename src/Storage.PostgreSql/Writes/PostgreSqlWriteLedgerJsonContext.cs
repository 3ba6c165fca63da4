using System.Text.Json.Serialization;

namespace Concord.Storage.PostgreSql.Writes;

/// <summary>A pending intent's metadata as stored (its payload, before-image and vendor answer have columns of their own).</summary>
internal sealed record StoredIntent(
    string LeaseToken,
    string Flow,
    string Key,
    StoredVersion Version,
    string PlannedOutcome,
    bool Adopted,
    string[] ChangedFields,
    DateTimeOffset RecordedAt);

/// <summary>A written version as stored.</summary>
internal sealed record StoredVersion(string Source, string Version, DateTimeOffset? ModifiedAt, string Fingerprint);

/// <summary>Source-generated JSON for the write ledger's structured columns.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(StoredIntent))]
[JsonSerializable(typeof(StoredVersion[]))]
[JsonSerializable(typeof(string[]))]
internal sealed partial class PostgreSqlWriteLedgerJsonContext : JsonSerializerContext;
