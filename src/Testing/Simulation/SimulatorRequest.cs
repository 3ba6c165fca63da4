using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace Concord.Testing;

/// <summary>A request a simulator received: what <see cref="SimulatorBase"/> hands to its subclass and to fault scopes.</summary>
public sealed class SimulatorRequest
{
    /// <summary>Creates a request.</summary>
    /// <param name="method">The HTTP method, upper case.</param>
    /// <param name="path">The path, without query.</param>
    /// <param name="query">The query parameters (first value of each).</param>
    /// <param name="headers">The headers (values joined with a comma), names case-insensitive.</param>
    /// <param name="body">The body as text, when there is one.</param>
    public SimulatorRequest(string method, string path, IReadOnlyDictionary<string, string>? query = null, IReadOnlyDictionary<string, string>? headers = null, string? body = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(method);
        ArgumentNullException.ThrowIfNull(path);
        Method = method.ToUpperInvariant();
        Path = path;
        Query = query?.ToImmutableDictionary(StringComparer.Ordinal) ?? ImmutableDictionary<string, string>.Empty;
        Headers = headers?.ToImmutableDictionary(StringComparer.OrdinalIgnoreCase) ?? ImmutableDictionary<string, string>.Empty.WithComparers(StringComparer.OrdinalIgnoreCase);
        Body = body;
    }

    /// <summary>The HTTP method, upper case (<c>POST</c>).</summary>
    public string Method { get; }

    /// <summary>The path, without query (<c>/services/data/v62.0/sobjects/Account</c>).</summary>
    public string Path { get; }

    /// <summary>The query parameters (first value of each).</summary>
    public IReadOnlyDictionary<string, string> Query { get; }

    /// <summary>The headers, names case-insensitive, values of a repeated header joined with a comma.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>The body as text, or <see langword="null"/>.</summary>
    public string? Body { get; }

    /// <summary>Whether the method is <paramref name="method"/> and the path equals <paramref name="path"/> (ordinal).</summary>
    /// <param name="method">The method (<c>POST</c>), case-insensitive.</param>
    /// <param name="path">The path.</param>
    /// <returns>Whether both match.</returns>
    public bool Is(string method, string path) =>
        string.Equals(Method, method, StringComparison.OrdinalIgnoreCase) && string.Equals(Path, path, StringComparison.Ordinal);

    /// <summary>The body parsed as JSON, or <see langword="null"/> when there is no body.</summary>
    /// <returns>The JSON node.</returns>
    /// <exception cref="JsonException">The body is not JSON.</exception>
    public JsonNode? ReadJson() => string.IsNullOrEmpty(Body) ? null : JsonNode.Parse(Body);

    /// <summary>The body deserialised with <paramref name="typeInfo"/>, or <see langword="default"/> when there is no body.</summary>
    /// <typeparam name="T">The type to read.</typeparam>
    /// <param name="typeInfo">The source-generated type information.</param>
    /// <returns>The value.</returns>
    /// <exception cref="JsonException">The body is not a <typeparamref name="T"/>.</exception>
    public T? ReadJson<T>(JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        return string.IsNullOrEmpty(Body) ? default : JsonSerializer.Deserialize(Body, typeInfo);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Method} {Path}";
}
