using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Concord.Connectors.Odoo.Api;
using Concord.Connectors.Odoo.Api.Dtos;

namespace Concord.Connectors.Odoo.ChangeFeed;

/// <summary>
/// What the change feed remembers of one <c>res.partner</c> row: 64 bits of SHA-256 over the row as read (id,
/// <c>write_date</c> and every field the feed reads), so that a second write in the same second, which Odoo reads back
/// with the same <c>write_date</c>, still differs; and the row's <c>write_date</c> in whole seconds.
/// </summary>
internal static class RowFingerprint
{
    public static ulong Of(PartnerRecord row)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            JsonSerializer.Serialize(writer, row, OdooJsonContext.Default.PartnerRecord);
        }

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(buffer.WrittenSpan, hash);
        return BinaryPrimitives.ReadUInt64LittleEndian(hash);
    }

    /// <summary><c>write_date</c> (<c>YYYY-MM-DD HH:MM:SS</c>, UTC) as Unix seconds; 0 when absent or unreadable.</summary>
    public static long Second(string? writeDate) =>
        writeDate is not null && DateTime.TryParseExact(writeDate, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed)
            ? new DateTimeOffset(parsed, TimeSpan.Zero).ToUnixTimeSeconds()
            : 0;

    /// <summary>Unix seconds as Odoo's domain text.</summary>
    public static string Text(long second) =>
        DateTimeOffset.FromUnixTimeSeconds(second).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>The tree a row belongs to: itself when top-level, else its commercial partner or its parent (facts §4).</summary>
    public static long RootOf(long id, long? parentId, long? commercialPartnerId) =>
        parentId is not long parent ? id : commercialPartnerId is long commercial && commercial != id ? commercial : parent;
}
