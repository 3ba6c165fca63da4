using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using Concord.Canonical.Connectors;
using Concord.Canonical.Errors;

namespace Concord.Connectors.Zendesk.Internal;

/// <summary>
/// Where the change feed stands: the organization export's <c>start_time</c> and the (id, updated_at) pairs already
/// handled at that second (the export repeats the records sharing a page's last second); the user export's cursor, the
/// last user change second (to fall back to the time-based export when a cursor is refused) and the pairs handled there.
/// Encoded as base64url JSON; only this connector reads it.
/// </summary>
internal sealed record ZendeskChangeCursor(long OrganizationStart, IReadOnlyList<(long Id, long Updated)> OrganizationsSeen, string? UserCursor, long UserStart, IReadOnlyList<(long Id, long Updated)> UsersSeen)
{
    public static readonly ZendeskChangeCursor Beginning = new(0, [], null, 0, []);

    public ChangeCursor ToChangeCursor()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("v", 1);
            writer.WriteNumber("os", OrganizationStart);
            WritePairs(writer, "oseen", OrganizationsSeen);
            if (UserCursor is not null)
            {
                writer.WriteString("uc", UserCursor);
            }

            writer.WriteNumber("us", UserStart);
            WritePairs(writer, "useen", UsersSeen);
            writer.WriteEndObject();
        }

        return new ChangeCursor(Base64Url.EncodeToString(buffer.ToArray()));
    }

    public static ZendeskChangeCursor Parse(ChangeCursor cursor, string connectorName)
    {
        try
        {
            using var document = JsonDocument.Parse(Base64Url.DecodeFromChars(cursor.Value));
            var root = document.RootElement;
            return new ZendeskChangeCursor(
                root.GetProperty("os").GetInt64(),
                ReadPairs(root, "oseen"),
                root.TryGetProperty("uc", out var userCursor) ? userCursor.GetString() : null,
                root.GetProperty("us").GetInt64(),
                ReadPairs(root, "useen"));
        }
        catch (Exception ex) when (ex is FormatException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new ConcordException(ErrorCategory.Configuration, "The change cursor was not written by the Zendesk connector (or is damaged); start from null to read from the beginning.", ex)
            {
                System = connectorName,
                Operation = "read-changes",
            };
        }
    }

    private static void WritePairs(Utf8JsonWriter writer, string name, IReadOnlyList<(long Id, long Updated)> pairs)
    {
        writer.WriteStartArray(name);
        foreach (var (id, updated) in pairs)
        {
            writer.WriteStartArray();
            writer.WriteNumberValue(id);
            writer.WriteNumberValue(updated);
            writer.WriteEndArray();
        }

        writer.WriteEndArray();
    }

    private static List<(long, long)> ReadPairs(JsonElement root, string name)
    {
        var pairs = new List<(long, long)>();
        if (root.TryGetProperty(name, out var array))
        {
            foreach (var pair in array.EnumerateArray())
            {
                pairs.Add((pair[0].GetInt64(), pair[1].GetInt64()));
            }
        }

        return pairs;
    }

    public override string ToString() => Encoding.UTF8.GetString(Base64Url.DecodeFromChars(ToChangeCursor().Value));
}
