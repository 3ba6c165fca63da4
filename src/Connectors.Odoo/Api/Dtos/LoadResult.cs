using System.Text.Json;
using System.Text.Json.Serialization;

namespace Concord.Connectors.Odoo.Api.Dtos;

/// <summary><c>load</c>'s answer: <c>{ids: [..] | false, messages: [...], nextrow}</c>. Any error message means nothing was written.</summary>
internal sealed class LoadResult
{
    [JsonPropertyName("ids")]
    public JsonElement Ids { get; init; }

    [JsonPropertyName("messages")]
    public LoadMessage[] Messages { get; init; } = [];
}

/// <summary>One import message: its type, text, the record index and the rows it is about.</summary>
internal sealed class LoadMessage
{
    [JsonPropertyName("type")]
    public string? Type { get; init; }

    [JsonPropertyName("message")]
    public string? Message { get; init; }

    [JsonPropertyName("field")]
    public string? Field { get; init; }

    [JsonPropertyName("record")]
    public int? Record { get; init; }

    [JsonPropertyName("rows")]
    public LoadRows? Rows { get; init; }
}

/// <summary>The rows (0-based, inclusive) a message is about.</summary>
internal sealed class LoadRows
{
    [JsonPropertyName("from")]
    public int From { get; init; }

    [JsonPropertyName("to")]
    public int To { get; init; }
}
