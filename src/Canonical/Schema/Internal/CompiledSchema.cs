using System.Buffers;
using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Concord.Canonical.Schema.Internal;

/// <summary>
/// The customer schema compiled for the per-record fast path: a yes/no check that walks the UTF-8 document once with
/// <see cref="Utf8JsonReader"/> and allocates nothing. It understands exactly the keywords <c>customer.v1</c> uses
/// (<c>type</c>, <c>enum</c> of strings, <c>minLength</c>, <c>maxLength</c>, <c>pattern</c>, <c>properties</c>,
/// <c>required</c>, <c>additionalProperties</c>, <c>maxProperties</c>, <c>items</c>, <c>maxItems</c>, local
/// <c>$ref</c>, annotations) with JSON Schema 2020-12 semantics as JsonSchema.Net 8 applies them (lengths in text
/// elements, patterns as ECMAScript regular expressions); <see cref="TryCompile"/> refuses any other keyword, and then
/// every document goes to JsonSchema.Net.
/// </summary>
/// <remarks>
/// <para>
/// The check is only ever trusted to say "valid": whenever it says no, <see cref="JsonSchemaNetCustomerValidator"/>
/// evaluates the document with JsonSchema.Net, which gives the verdict and the errors. A differential test pins that
/// both agree on valid, invalid and generated documents.
/// </para>
/// <para>It also refuses what the full path refuses: malformed JSON, nesting deeper than the limit and a property name that appears twice in one object.</para>
/// <para>Immutable once compiled: thread-safe.</para>
/// </remarks>
internal sealed class CompiledSchema
{
    // The options JsonSchema.Net 8 compiles "pattern" with (ECMAScript: \s, \d and \w are ASCII-only).
    internal const RegexOptions PatternOptions = RegexOptions.ECMAScript | RegexOptions.Compiled;

    private const int MaxStackChars = 256;

    private static readonly FrozenSet<string> AnnotationKeywords = FrozenSet.Create(
        StringComparer.Ordinal,
        "$comment", "title", "description", "examples", "default", "deprecated", "readOnly", "writeOnly");

    private readonly Node _root;

    private CompiledSchema(Node root) => _root = root;

    /// <summary>The JSON value kinds a <c>type</c> keyword names.</summary>
    [Flags]
    internal enum JsonTypes
    {
        None = 0,
        String = 1,
        Object = 2,
        Array = 4,
        Number = 8,
        Boolean = 16,
        Null = 32,
    }

    /// <summary>Compiles <paramref name="schemaDocument"/>, or explains why it cannot.</summary>
    /// <param name="schemaDocument">The schema document (2020-12).</param>
    /// <param name="schema">The compiled schema.</param>
    /// <param name="unsupported">Why the schema cannot be compiled (a keyword outside the subset).</param>
    /// <returns>Whether the schema compiled.</returns>
    public static bool TryCompile(JsonElement schemaDocument, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out CompiledSchema? schema, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? unsupported)
    {
        try
        {
            var builder = new Builder(schemaDocument);
            schema = new CompiledSchema(builder.Root());
            unsupported = null;
            return true;
        }
        catch (NotSupportedException exception)
        {
            schema = null;
            unsupported = exception.Message;
            return false;
        }
    }

    /// <summary>
    /// Whether <paramref name="utf8Json"/> (valid UTF-8, no byte order mark) is well-formed, nests at most
    /// <paramref name="maxDepth"/> levels, repeats no property name and conforms to the schema. False also means "cannot tell".
    /// </summary>
    /// <param name="utf8Json">The document.</param>
    /// <param name="maxDepth">The deepest nesting accepted.</param>
    /// <returns>True only when the document is certainly valid.</returns>
    public bool IsValid(ReadOnlySpan<byte> utf8Json, int maxDepth)
    {
        // The same reader settings as JsonPreflight: no comments, no trailing commas, one value.
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = maxDepth + 1 });
        try
        {
            return reader.Read() && Value(ref reader, _root, maxDepth) && !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            // A string the reader cannot unescape (a lone surrogate escape): the full path reports it.
            return false;
        }
        catch (RegexMatchTimeoutException)
        {
            // Only when the host sets a default match timeout (REGEX_DEFAULT_MATCH_TIMEOUT): the full path decides.
            return false;
        }
    }

    /// <summary>
    /// The compiled node that applies at <paramref name="segments"/> of <paramref name="instance"/>, with the value
    /// found there; null when a segment leads nowhere. Every location maps to one node: the subset has no combinators.
    /// </summary>
    /// <param name="instance">The document's root value.</param>
    /// <param name="segments">The decoded JSON Pointer segments.</param>
    /// <returns>The node and the value, or null.</returns>
    public (Node Node, JsonElement Value)? Locate(JsonElement instance, IReadOnlyList<string> segments)
    {
        var node = _root;
        var value = instance;
        foreach (var segment in segments)
        {
            if (node.IsFalse)
            {
                return null;
            }

            if (value.ValueKind == JsonValueKind.Object && value.TryGetProperty(segment, out var property))
            {
                node = node.PropertyNode(segment) ?? node.Additional ?? Node.Any;
                value = property;
            }
            else if (value.ValueKind == JsonValueKind.Array
                && int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                && index < value.GetArrayLength())
            {
                node = node.Items ?? Node.Any;
                value = value[index];
            }
            else
            {
                return null;
            }
        }

        return (node, value);
    }

    private static bool Value(ref Utf8JsonReader reader, Node node, int maxDepth)
    {
        if (node.IsFalse)
        {
            return false;
        }

        var type = reader.TokenType switch
        {
            JsonTokenType.StartObject => JsonTypes.Object,
            JsonTokenType.StartArray => JsonTypes.Array,
            JsonTokenType.String => JsonTypes.String,
            JsonTokenType.Number => JsonTypes.Number,
            JsonTokenType.True or JsonTokenType.False => JsonTypes.Boolean,
            _ => JsonTypes.Null,
        };

        if (node.Types != JsonTypes.None && (node.Types & type) == 0)
        {
            return false;
        }

        return type switch
        {
            JsonTypes.Object => Object(ref reader, node, maxDepth),
            JsonTypes.Array => Array(ref reader, node, maxDepth),
            JsonTypes.String => String(ref reader, node),

            // The enumerations of the subset hold strings only: no other value is one of them.
            _ => node.Enum is null,
        };
    }

    private static bool Object(ref Utf8JsonReader reader, Node node, int maxDepth)
    {
        if (reader.CurrentDepth + 1 > maxDepth)
        {
            return false;
        }

        ulong seen = 0;
        var count = 0;
        var others = default(NameSet); // the undeclared names, to find one given twice
        try
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (++count > node.MaxProperties)
                {
                    return false;
                }

                Node child;
                var index = node.DeclaredIndex(ref reader);
                if (index >= 0)
                {
                    var bit = 1UL << index;
                    if ((seen & bit) != 0)
                    {
                        return false;
                    }

                    seen |= bit;
                    child = node.DeclaredNodes[index];
                }
                else
                {
                    child = node.Additional ?? Node.Any;
                    if (child.IsFalse || !others.Add(ref reader))
                    {
                        return false;
                    }
                }

                if (!reader.Read() || !Value(ref reader, child, maxDepth))
                {
                    return false;
                }
            }

            return reader.TokenType == JsonTokenType.EndObject && (seen & node.RequiredMask) == node.RequiredMask;
        }
        finally
        {
            others.Dispose();
        }
    }

    private static bool Array(ref Utf8JsonReader reader, Node node, int maxDepth)
    {
        if (reader.CurrentDepth + 1 > maxDepth)
        {
            return false;
        }

        var items = node.Items ?? Node.Any;
        var count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (++count > node.MaxItems || !Value(ref reader, items, maxDepth))
            {
                return false;
            }
        }

        return reader.TokenType == JsonTokenType.EndArray;
    }

    private static bool String(ref Utf8JsonReader reader, Node node)
    {
        if (!node.HasStringAssertions)
        {
            return true;
        }

        // Unescaped, a string has at most as many UTF-16 code units as its raw form has bytes.
        var rawLength = reader.ValueSpan.Length;
        char[]? rented = null;
        var buffer = rawLength <= MaxStackChars ? stackalloc char[MaxStackChars] : (rented = ArrayPool<char>.Shared.Rent(rawLength));
        try
        {
            var text = buffer[..reader.CopyString(buffer)];
            if (node.Enum is not null && !node.EnumLookup.Contains(text))
            {
                return false;
            }

            if (node.MinLength > 0 || node.MaxLength < text.Length)
            {
                var length = TextElements(text);
                if (length < node.MinLength || length > node.MaxLength)
                {
                    return false;
                }
            }

            return node.Pattern is null || node.Pattern.IsMatch(text);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The length JsonSchema.Net gives <c>minLength</c> and <c>maxLength</c>: text elements (a CR LF pair, a letter and its accents, an emoji are one).</summary>
    /// <param name="text">The text.</param>
    /// <returns>The number of text elements.</returns>
    internal static int TextElements(ReadOnlySpan<char> text)
    {
        if (System.Text.Ascii.IsValid(text) && !text.Contains('\r'))
        {
            return text.Length;
        }

        var count = 0;
        while (!text.IsEmpty)
        {
            text = text[StringInfo.GetNextTextElementLength(text)..];
            count++;
        }

        return count;
    }

    /// <summary>
    /// The unescaped UTF-8 names of one object's undeclared properties, in pooled buffers, compared one by one: a map
    /// such as <c>customAttributes</c> holds a few (and at most its <c>maxProperties</c>, 200).
    /// </summary>
    private struct NameSet
    {
        // Beyond this many names the quadratic comparison would cost more than the full path's hash set.
        private const int MaxNames = 256;

        private byte[]? _bytes;
        private int[]? _ends;
        private int _count;

        /// <summary>Adds the property name the reader is on; false when the object already has it (or has too many names to tell cheaply).</summary>
        public bool Add(ref Utf8JsonReader reader)
        {
            if (_count == MaxNames)
            {
                return false;
            }

            // Unescaped, a name is at most as long as its raw form.
            var used = _count == 0 ? 0 : _ends![_count - 1];
            Grow(ref _bytes, used + reader.ValueSpan.Length);
            var name = _bytes.AsSpan(used, reader.CopyString(_bytes.AsSpan(used)));
            var start = 0;
            for (var i = 0; i < _count; i++)
            {
                if (_bytes.AsSpan(start, _ends![i] - start).SequenceEqual(name))
                {
                    return false;
                }

                start = _ends[i];
            }

            Grow(ref _ends, _count + 1);
            _ends[_count++] = used + name.Length;
            return true;
        }

        public readonly void Dispose()
        {
            if (_bytes is not null)
            {
                ArrayPool<byte>.Shared.Return(_bytes);
            }

            if (_ends is not null)
            {
                ArrayPool<int>.Shared.Return(_ends);
            }
        }

        private static void Grow<T>([System.Diagnostics.CodeAnalysis.NotNull] ref T[]? array, int length)
        {
            if (array is not null && array.Length >= length)
            {
                return;
            }

            var larger = ArrayPool<T>.Shared.Rent(Math.Max(length, array is null ? 64 : 2 * array.Length));
            if (array is not null)
            {
                array.CopyTo(larger, 0);
                ArrayPool<T>.Shared.Return(array);
            }

            array = larger;
        }
    }

    /// <summary>One schema object (or boolean schema) of the subset, with <c>$ref</c> resolved.</summary>
    internal sealed class Node
    {
        /// <summary>The schema <c>true</c> (and <c>{}</c>): every value.</summary>
        public static readonly Node Any = new();

        /// <summary>The schema <c>false</c>: no value.</summary>
        public static readonly Node False = new() { IsFalse = true };

        public bool IsFalse { get; private init; }

        public JsonTypes Types { get; set; }

        public string? Description { get; set; }

        // String assertions.
        public string[]? Enum { get; set; }

        public FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> EnumLookup { get; set; }

        public int MinLength { get; set; }

        public int MaxLength { get; set; } = int.MaxValue;

        public Regex? Pattern { get; set; }

        public bool HasStringAssertions => Enum is not null || MinLength > 0 || MaxLength != int.MaxValue || Pattern is not null;

        // Object assertions.
        public string[] DeclaredNames { get; set; } = [];

        public byte[][] DeclaredUtf8Names { get; set; } = [];

        public Node[] DeclaredNodes { get; set; } = [];

        public string[] Required { get; set; } = [];

        public ulong RequiredMask { get; set; }

        public Node? Additional { get; set; }

        public int MaxProperties { get; set; } = int.MaxValue;

        // Array assertions.
        public Node? Items { get; set; }

        public int MaxItems { get; set; } = int.MaxValue;

        public Node? PropertyNode(string name)
        {
            var index = System.Array.IndexOf(DeclaredNames, name);
            return index < 0 ? null : DeclaredNodes[index];
        }

        // A linear scan: names are short and few, and most comparisons stop at the length.
        public int DeclaredIndex(ref Utf8JsonReader reader)
        {
            var names = DeclaredUtf8Names;
            for (var i = 0; i < names.Length; i++)
            {
                if (reader.ValueTextEquals(names[i]))
                {
                    return i;
                }
            }

            return -1;
        }
    }

    private sealed class Builder
    {
        private readonly JsonElement _document;
        private readonly Dictionary<string, Node> _byPointer = new(StringComparer.Ordinal);
        private readonly HashSet<string> _resolving = new(StringComparer.Ordinal);

        public Builder(JsonElement document) => _document = document;

        public Node Root()
        {
            if (_document.ValueKind != JsonValueKind.Object)
            {
                throw new NotSupportedException("The schema document is not an object.");
            }

            if (_document.TryGetProperty("$schema", out var dialect) && dialect.GetString() != "https://json-schema.org/draft/2020-12/schema")
            {
                throw new NotSupportedException($"The dialect {dialect} is not JSON Schema 2020-12.");
            }

            return Build(_document, "#", isRoot: true);
        }

        private Node Build(JsonElement schema, string pointer, bool isRoot = false)
        {
            if (schema.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                return schema.ValueKind == JsonValueKind.True ? Node.Any : Node.False;
            }

            if (schema.ValueKind != JsonValueKind.Object)
            {
                throw new NotSupportedException($"{pointer} is not a schema.");
            }

            if (_byPointer.TryGetValue(pointer, out var built))
            {
                return built;
            }

            // A $ref whose siblings are annotations is its target; a $ref next to assertions would need two walks.
            if (schema.TryGetProperty("$ref", out var reference))
            {
                foreach (var keyword in schema.EnumerateObject())
                {
                    if (keyword.Name != "$ref" && !AnnotationKeywords.Contains(keyword.Name))
                    {
                        throw new NotSupportedException($"{pointer}: '$ref' next to '{keyword.Name}'.");
                    }
                }

                var target = reference.GetString() ?? string.Empty;
                if (!_resolving.Add(pointer))
                {
                    throw new NotSupportedException($"{pointer}: '$ref' cycle.");
                }

                var resolved = Build(Resolve(target, pointer), target);
                _resolving.Remove(pointer);
                _byPointer[pointer] = resolved;
                return resolved;
            }

            var node = new Node();
            _byPointer[pointer] = node; // before the children, so that recursive references find it
            foreach (var keyword in schema.EnumerateObject())
            {
                var value = keyword.Value;
                switch (keyword.Name)
                {
                    case "$schema" or "$id" or "$defs" when isRoot:
                        break;
                    case "description":
                        node.Description = value.GetString();
                        break;
                    case var annotation when AnnotationKeywords.Contains(annotation):
                        break;
                    case "type":
                        node.Types = value.ValueKind == JsonValueKind.Array
                            ? value.EnumerateArray().Aggregate(JsonTypes.None, (types, t) => types | TypeOf(t, pointer))
                            : TypeOf(value, pointer);
                        break;
                    case "enum":
                        var values = value.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.String ? v.GetString()! : throw new NotSupportedException($"{pointer}/enum holds a value that is not a string.")).ToArray();
                        node.Enum = values;
                        node.EnumLookup = values.ToFrozenSet(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
                        break;
                    case "minLength":
                        node.MinLength = Count(value, pointer, keyword.Name);
                        break;
                    case "maxLength":
                        node.MaxLength = Count(value, pointer, keyword.Name);
                        break;
                    case "pattern":
                        node.Pattern = new Regex(value.GetString()!, PatternOptions);
                        break;
                    case "maxItems":
                        node.MaxItems = Count(value, pointer, keyword.Name);
                        break;
                    case "maxProperties":
                        node.MaxProperties = Count(value, pointer, keyword.Name);
                        break;
                    case "items":
                        node.Items = Build(value, pointer + "/items");
                        break;
                    case "additionalProperties":
                        node.Additional = Build(value, pointer + "/additionalProperties");
                        break;
                    case "properties" or "required":
                        break; // below, together
                    default:
                        throw new NotSupportedException($"{pointer}: the keyword '{keyword.Name}' is outside the compiled subset.");
                }
            }

            if (schema.TryGetProperty("properties", out var properties))
            {
                var names = properties.EnumerateObject().Select(p => p.Name).ToArray();
                if (names.Length > 64)
                {
                    throw new NotSupportedException($"{pointer}/properties declares more than 64 properties.");
                }

                node.DeclaredNames = names;
                node.DeclaredUtf8Names = [.. names.Select(Encoding.UTF8.GetBytes)];
                node.DeclaredNodes = [.. properties.EnumerateObject().Select(p => Build(p.Value, pointer + "/properties/" + Escape(p.Name)))];
            }

            if (schema.TryGetProperty("required", out var required))
            {
                node.Required = [.. required.EnumerateArray().Select(r => r.GetString()!)];
                foreach (var name in node.Required)
                {
                    var index = System.Array.IndexOf(node.DeclaredNames, name);
                    node.RequiredMask |= index >= 0 ? 1UL << index : throw new NotSupportedException($"{pointer}: the required property '{name}' is not declared.");
                }
            }

            return node;
        }

        private JsonElement Resolve(string reference, string from)
        {
            if (!reference.StartsWith("#/", StringComparison.Ordinal) || reference.Contains('%', StringComparison.Ordinal))
            {
                throw new NotSupportedException($"{from}: only local '$ref' (#/...) is compiled, not '{reference}'.");
            }

            var current = _document;
            foreach (var segment in reference[2..].Split('/'))
            {
                var name = segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
                if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(name, out current))
                {
                    throw new NotSupportedException($"{from}: '$ref' {reference} does not resolve.");
                }
            }

            return current;
        }

        private static JsonTypes TypeOf(JsonElement type, string pointer) => type.GetString() switch
        {
            "string" => JsonTypes.String,
            "object" => JsonTypes.Object,
            "array" => JsonTypes.Array,
            "number" => JsonTypes.Number,
            "boolean" => JsonTypes.Boolean,
            "null" => JsonTypes.Null,
            var other => throw new NotSupportedException($"{pointer}: the type '{other}' is outside the compiled subset."),
        };

        private static int Count(JsonElement value, string pointer, string keyword) =>
            value.TryGetInt32(out var count) && count >= 0 ? count : throw new NotSupportedException($"{pointer}/{keyword} is not a count.");

        private static string Escape(string name) => name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
    }
}
