using System.Text.Json;
using Concord.Canonical.Privacy;

namespace Concord.Canonical.Errors;

/// <summary>
/// Reads a vendor's error code and text from an error body, in the shapes the connected platforms answer with, so that a
/// failure the shared pipeline reports (a throttle the retries could not absorb) keeps the vendor's own words. The text
/// comes back masked for personal data and cut to <see cref="MaxTextLength"/> characters.
/// </summary>
/// <remarks>
/// Shapes read: an array of errors (Salesforce: <c>[{"errorCode", "message"}]</c>); <c>{"errors": [{"code", "title",
/// "detail"}]}</c> (Zendesk); <c>{"error": "code", "description" | "error_description" | "message"}</c> (Zendesk, OAuth);
/// <c>{"error": {"title" | "code" | "name", "message", "data": {"name", "message"}}}</c> (Zendesk, Odoo JSON-RPC); and a
/// flat object with <c>errorType</c>, <c>category</c>, <c>code</c>, <c>errorCode</c> or <c>name</c> and <c>message</c>,
/// <c>detail</c> or <c>description</c> (HubSpot, Odoo JSON-2). Anything else reads as nothing.
/// </remarks>
internal static class VendorErrorBody
{
    /// <summary>The longest text kept; longer text is cut and ends with an ellipsis.</summary>
    public const int MaxTextLength = 300;

    /// <summary>The most characters of a body that are read.</summary>
    public const int MaxBodyLength = 16 * 1024;

    /// <summary>Reads the code and the masked text of <paramref name="body"/>; false when it holds neither.</summary>
    public static bool TryRead(string? body, out string? code, out string? text)
    {
        code = null;
        text = null;
        if (string.IsNullOrWhiteSpace(body) || body.Length > MaxBodyLength || body.TrimStart()[0] is not ('{' or '['))
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Array)
            {
                root = root.EnumerateArray().FirstOrDefault(e => e.ValueKind == JsonValueKind.Object);
            }

            if (root.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array
                && errors.EnumerateArray().FirstOrDefault(e => e.ValueKind == JsonValueKind.Object) is { ValueKind: JsonValueKind.Object } first)
            {
                root = first;
            }

            if (root.TryGetProperty("error", out var error))
            {
                if (error.ValueKind == JsonValueKind.String)
                {
                    code = error.GetString();
                    text = First(root, "error_description", "description", "message", "detail");
                }
                else if (error.ValueKind == JsonValueKind.Object)
                {
                    var data = error.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object ? d : default;
                    code = First(data, "name") ?? First(error, "code", "title", "name");
                    text = First(data, "message") ?? First(error, "message", "description", "detail");
                }
            }
            else
            {
                code = First(root, "errorCode", "statusCode", "errorType", "code", "category", "name", "title");
                text = First(root, "message", "detail", "description", "title");
            }
        }
        catch (JsonException)
        {
            return false;
        }

        if (code == text)
        {
            text = null; // a title that is both
        }

        text = text is null ? null : Cut(PersonalDataMasker.Mask(text.Trim()));
        return code is not null || text is not null;
    }

    /// <summary><c>": CODE: text"</c>, <c>": CODE"</c>, <c>": text"</c> or empty, for appending to a message (no final full stop).</summary>
    public static string Describe(string? code, string? text) =>
        (code, text) switch
        {
            (null, null) => string.Empty,
            (not null, null) => ": " + code,
            (null, not null) => ": " + text.TrimEnd('.'),
            _ => ": " + code + ": " + text.TrimEnd('.'),
        };

    private static string? First(JsonElement element, params string[] names)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var name in names)
        {
            if (element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } found && !string.IsNullOrWhiteSpace(found))
            {
                return found;
            }
        }

        return null;
    }

    private static string Cut(string text) => text.Length <= MaxTextLength ? text : string.Concat(text.AsSpan(0, MaxTextLength - 1), "…");
}
