using System.Globalization;
using System.Text.Json;

namespace Concord.Canonical.Schema.Internal;

/// <summary>
/// Reads a document once with <see cref="Utf8JsonReader"/> before the schema validator sees it: refuses
/// malformed JSON (with line and position), comments, trailing commas and nesting deeper than the limit.
/// Cheap: no allocation besides the error.
/// </summary>
internal static class JsonPreflight
{
    public static SchemaValidationError? Check(ReadOnlySpan<byte> utf8Json, int maxDepth)
    {
        // The reader's own limit is one above ours so that we report the depth, not the reader.
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = maxDepth + 1 });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && reader.CurrentDepth + 1 > maxDepth)
                {
                    return new SchemaValidationError(
                        "$",
                        SchemaRules.MaxDepth,
                        string.Create(CultureInfo.InvariantCulture, $"The document nests deeper than {maxDepth} levels."));
                }
            }

            return null;
        }
        catch (JsonException exception)
        {
            var line = (int)Math.Min(int.MaxValue, (exception.LineNumber ?? 0) + 1);
            var position = (int)Math.Min(int.MaxValue, (exception.BytePositionInLine ?? 0) + 1);
            return new SchemaValidationError(
                "$",
                SchemaRules.Json,
                string.Create(CultureInfo.InvariantCulture, $"The document is not well-formed JSON (line {line}, byte {position})."),
                line,
                position);
        }
    }
}
