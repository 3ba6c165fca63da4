using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Concord.Connectors.Salesforce.Api;

/// <summary>
/// Reads Salesforce datetimes (<c>2013-05-20T20:49:32.000+0000</c>, an offset without a colon, which System.Text.Json's
/// default converter rejects) as well as ISO 8601 with <c>Z</c> or <c>+hh:mm</c>; writes UTC ISO 8601 with <c>Z</c>.
/// </summary>
internal sealed class SalesforceDateTimeConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"Expected a datetime string, got {reader.TokenType}.");
        }

        Span<char> buffer = stackalloc char[40];
        var length = reader.HasValueSequence ? checked((int)reader.ValueSequence.Length) : reader.ValueSpan.Length;
        if (length > 34)
        {
            throw new JsonException("A Salesforce datetime is at most 34 characters long.");
        }

        var written = reader.CopyString(buffer);
        if (TryParse(buffer[..written], out var value))
        {
            return value;
        }

        throw new JsonException($"'{buffer[..written].ToString()}' is not a Salesforce datetime.");
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        Span<char> buffer = stackalloc char[32];
        value.UtcDateTime.TryFormat(buffer, out var written, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        writer.WriteStringValue(buffer[..written]);
    }

    /// <summary>Parses the Salesforce form and the ISO forms.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out DateTimeOffset value)
    {
        // "+0000" / "-0530" at the end: insert the colon the BCL expects.
        if (text.Length > 5 && text[^5] is '+' or '-' && char.IsAsciiDigit(text[^4]) && char.IsAsciiDigit(text[^1]) && text[^3] != ':')
        {
            Span<char> withColon = stackalloc char[text.Length + 1];
            text[..^2].CopyTo(withColon);
            withColon[text.Length - 2] = ':';
            text[^2..].CopyTo(withColon[(text.Length - 1)..]);
            return DateTimeOffset.TryParse(withColon, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
    }

    /// <summary>Formats a datetime as a SOQL literal (unquoted, UTC, <c>Z</c>).</summary>
    public static string ToSoqlLiteral(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
