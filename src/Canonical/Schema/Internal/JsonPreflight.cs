using System.Globalization;
using System.Text.Json;

namespace Concord.Canonical.Schema.Internal;

/// <summary>
/// Reads a document once with <see cref="Utf8JsonReader"/> before JsonSchema.Net sees it: refuses malformed JSON (with
/// line and position), comments, trailing commas, nesting deeper than the limit and a property name that appears twice
/// in one object (which a parser would silently resolve to one of the values). Runs only for documents the fast path
/// did not accept.
/// </summary>
internal static class JsonPreflight
{
    public static SchemaValidationError? Check(ReadOnlySpan<byte> utf8Json, int maxDepth)
    {
        // The reader's own limit is one above ours so that we report the depth, not the reader.
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = maxDepth + 1 });

        // The names seen in each open object (null for an array), innermost last.
        var names = new List<HashSet<string>?>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject or JsonTokenType.StartArray when reader.CurrentDepth + 1 > maxDepth:
                        return new SchemaValidationError(
                            "$",
                            SchemaRules.MaxDepth,
                            string.Create(CultureInfo.InvariantCulture, $"The document nests deeper than {maxDepth} levels."));
                    case JsonTokenType.StartObject:
                        names.Add(new HashSet<string>(StringComparer.Ordinal));
                        break;
                    case JsonTokenType.StartArray:
                        names.Add(null);
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        names.RemoveAt(names.Count - 1);
                        break;
                    case JsonTokenType.PropertyName when !names[^1]!.Add(reader.GetString()!):
                        var (line, position) = JsonLocations.LineAndPosition(utf8Json, reader.TokenStartIndex);
                        return new SchemaValidationError(
                            "$",
                            SchemaRules.Json,
                            string.Create(CultureInfo.InvariantCulture, $"The document cannot be read: a property name appears twice in one object (line {line}, byte {position})."),
                            line,
                            position);
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
        catch (InvalidOperationException)
        {
            // GetString refuses a name with an escaped lone surrogate.
            var (line, position) = JsonLocations.LineAndPosition(utf8Json, reader.TokenStartIndex);
            return new SchemaValidationError(
                "$",
                SchemaRules.Json,
                string.Create(CultureInfo.InvariantCulture, $"The document cannot be read: a property name is not valid text (line {line}, byte {position})."),
                line,
                position);
        }
    }
}
