using System.Text;
using System.Text.Json;

namespace Concord.Canonical.Schema.Internal;

/// <summary>Where values sit in a UTF-8 document: line and byte position, for error reports.</summary>
internal static class JsonLocations
{
    /// <summary>The 1-based line and 1-based byte position in that line of <paramref name="offset"/>.</summary>
    /// <param name="utf8Json">The document.</param>
    /// <param name="offset">A byte offset in it.</param>
    /// <returns>The line and the position.</returns>
    public static (int Line, int Position) LineAndPosition(ReadOnlySpan<byte> utf8Json, long offset)
    {
        var before = utf8Json[..(int)Math.Clamp(offset, 0, utf8Json.Length)];
        var lineStart = before.LastIndexOf((byte)'\n') + 1;
        return (before.Count((byte)'\n') + 1, before.Length - lineStart + 1);
    }

    /// <summary>
    /// The byte offset of the value at each of <paramref name="keys"/> (see <see cref="Key"/>), found in one pass over
    /// <paramref name="utf8Json"/>, which must be well-formed.
    /// </summary>
    /// <param name="utf8Json">The document.</param>
    /// <param name="keys">The locations wanted.</param>
    /// <param name="maxDepth">The nesting the document is known to stay within.</param>
    /// <returns>The offsets found, by key.</returns>
    public static Dictionary<string, long> FindValues(ReadOnlySpan<byte> utf8Json, IReadOnlySet<string> keys, int maxDepth)
    {
        var found = new Dictionary<string, long>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = maxDepth + 1 });

        // Only a value whose depth and last segment some key has can be wanted: build its key only then.
        var depths = new HashSet<int>();
        var lastSegments = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            depths.Add(key.Count(static c => c == '/'));
            lastSegments.Add(Decode(key[(key.LastIndexOf('/') + 1)..]));
        }

        // One entry per open container: the member being read (its property name, or its index in the array).
        var path = new List<(bool IsArray, int Index, string? Name)>();
        while (reader.Read() && found.Count < keys.Count)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    path[^1] = (false, 0, reader.GetString());
                    continue;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    path.RemoveAt(path.Count - 1);
                    continue;
            }

            // A value starts here: in an array, it is the next element.
            if (path.Count > 0 && path[^1].IsArray)
            {
                path[^1] = (true, path[^1].Index + 1, null);
            }

            if (depths.Contains(path.Count) && (path.Count == 0 || lastSegments.Contains(Segment(path[^1]))))
            {
                var key = Key(path.Select(Segment));
                if (keys.Contains(key))
                {
                    found.TryAdd(key, reader.TokenStartIndex);
                }
            }

            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                path.Add((reader.TokenType == JsonTokenType.StartArray, -1, null));
            }
        }

        return found;
    }

    private static string Segment((bool IsArray, int Index, string? Name) member) =>
        member.IsArray ? member.Index.ToString(System.Globalization.CultureInfo.InvariantCulture) : member.Name!;

    /// <summary>Decodes one JSON Pointer segment (<c>~1</c> is <c>/</c>, <c>~0</c> is <c>~</c>).</summary>
    /// <param name="segment">The encoded segment.</param>
    /// <returns>The segment.</returns>
    internal static string Decode(string segment) => segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);

    /// <summary>A location as a JSON Pointer (RFC 6901) built from decoded segments: the key of <see cref="FindValues"/>.</summary>
    /// <param name="segments">The decoded segments (property names, array indexes).</param>
    /// <returns>The pointer.</returns>
    public static string Key(IEnumerable<string> segments)
    {
        var builder = new StringBuilder();
        foreach (var segment in segments)
        {
            builder.Append('/').Append(segment.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal));
        }

        return builder.ToString();
    }
}
