using Npgsql;
using NpgsqlTypes;

namespace Concord.Storage.PostgreSql.Infrastructure;

/// <summary>Parameters for values Npgsql needs told about: times are <c>timestamptz</c> (written in UTC), nulls typed.</summary>
internal static class PostgreSqlValues
{
    public static DateTimeOffset Utc(DateTimeOffset value) => value.ToUniversalTime();

    public static NpgsqlParameter<DateTimeOffset[]> Times(string name, DateTimeOffset[] values) =>
        new(name, NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { TypedValue = [.. values.Select(Utc)] };

    public static NpgsqlParameter<DateTimeOffset?[]> NullableTimes(string name, DateTimeOffset?[] values) =>
        new(name, NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { TypedValue = [.. values.Select(v => v?.ToUniversalTime())] };

    public static NpgsqlParameter<string?[]> Texts(string name, string?[] values) => new(name, NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = values };

    public static NpgsqlParameter Time(string name, DateTimeOffset value) => new NpgsqlParameter<DateTimeOffset>(name, NpgsqlDbType.TimestampTz) { TypedValue = value.ToUniversalTime() };

    public static NpgsqlParameter NullableTime(string name, DateTimeOffset? value) =>
        new(name, NpgsqlDbType.TimestampTz) { Value = value is { } v ? v.ToUniversalTime() : DBNull.Value };

    public static NpgsqlParameter Text(string name, string? value) => new(name, NpgsqlDbType.Text) { Value = (object?)value ?? DBNull.Value };
}
