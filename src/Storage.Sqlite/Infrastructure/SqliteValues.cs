using System.Globalization;

namespace Concord.Storage.Sqlite.Infrastructure;

/// <summary>How Concord's SQLite stores write values SQLite has no type for: times as fixed-width UTC ISO 8601 text (exact to the tick, sortable as text, readable in any SQLite shell).</summary>
internal static class SqliteValues
{
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    public static string ToText(DateTimeOffset value) => value.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    public static DateTimeOffset ToDateTimeOffset(string text) =>
        new(DateTime.SpecifyKind(DateTime.ParseExact(text, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.None), DateTimeKind.Utc));

    public static string ToText(Guid value) => value.ToString("D", CultureInfo.InvariantCulture);

    public static Guid ToGuid(string text) => Guid.ParseExact(text, "D");

    public static object OrDbNull(string? value) => value is null ? DBNull.Value : value;
}
