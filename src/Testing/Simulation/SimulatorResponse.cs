using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace Concord.Testing;

/// <summary>What a simulator answers: a status, headers and an optional body.</summary>
public sealed record SimulatorResponse
{
    private const string JsonContentType = "application/json; charset=utf-8";

    /// <summary>Creates a response.</summary>
    /// <param name="statusCode">The HTTP status code.</param>
    /// <param name="body">The body text, or <see langword="null"/>.</param>
    /// <param name="contentType">The content type of <paramref name="body"/>.</param>
    public SimulatorResponse(int statusCode, string? body = null, string? contentType = null)
    {
        StatusCode = statusCode;
        Body = body;
        ContentType = body is null ? null : contentType ?? "text/plain; charset=utf-8";
    }

    /// <summary>The HTTP status code.</summary>
    public int StatusCode { get; init; }

    /// <summary>The body text, or <see langword="null"/>.</summary>
    public string? Body { get; init; }

    /// <summary>The content type of <see cref="Body"/>.</summary>
    public string? ContentType { get; init; }

    /// <summary>Extra response headers.</summary>
    public ImmutableDictionary<string, string> Headers { get; init; } = ImmutableDictionary<string, string>.Empty.WithComparers(StringComparer.OrdinalIgnoreCase);

    /// <summary>A JSON response from a node.</summary>
    /// <param name="body">The JSON body.</param>
    /// <param name="statusCode">The status code.</param>
    /// <returns>The response.</returns>
    public static SimulatorResponse Json(JsonNode? body, int statusCode = 200) =>
        new(statusCode, body?.ToJsonString() ?? "null", JsonContentType);

    /// <summary>A JSON response from raw JSON text.</summary>
    /// <param name="json">The JSON text, sent as it is.</param>
    /// <param name="statusCode">The status code.</param>
    /// <returns>The response.</returns>
    public static SimulatorResponse Json(string json, int statusCode = 200)
    {
        ArgumentNullException.ThrowIfNull(json);
        return new(statusCode, json, JsonContentType);
    }

    /// <summary>A JSON response serialised with <paramref name="typeInfo"/>.</summary>
    /// <typeparam name="T">The body type.</typeparam>
    /// <param name="body">The body.</param>
    /// <param name="typeInfo">The source-generated type information.</param>
    /// <param name="statusCode">The status code.</param>
    /// <returns>The response.</returns>
    public static SimulatorResponse Json<T>(T body, JsonTypeInfo<T> typeInfo, int statusCode = 200)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        return new(statusCode, JsonSerializer.Serialize(body, typeInfo), JsonContentType);
    }

    /// <summary>A response with a status and no body.</summary>
    /// <param name="statusCode">The status code.</param>
    /// <returns>The response.</returns>
    public static SimulatorResponse Status(int statusCode) => new(statusCode);

    /// <summary>This response with header <paramref name="name"/> set to <paramref name="value"/>.</summary>
    /// <param name="name">The header name.</param>
    /// <param name="value">The header value.</param>
    /// <returns>A new response.</returns>
    public SimulatorResponse WithHeader(string name, string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(value);
        return this with { Headers = Headers.SetItem(name, value) };
    }
}
