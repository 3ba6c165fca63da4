using Concord.Connectors.Salesforce.Api;

namespace Concord.Connectors.Salesforce.Query;

/// <summary>
/// A change-feed position: the last (SystemModstamp, Id) handled. Encoded as <c>sf1|{SystemModstamp}|{Id}</c>, the
/// timestamp as a SOQL UTC literal. Timestamps are second-granular, so the Id breaks ties between equal stamps.
/// </summary>
internal sealed record SalesforceChangeCursor(DateTimeOffset SystemModstamp, string Id)
{
    private const string Prefix = "sf1|";

    public string Literal => SalesforceDateTimeConverter.ToSoqlLiteral(SystemModstamp);

    public ChangeCursor ToChangeCursor() => new(string.Concat(Prefix, Literal, "|", Id));

    public static SalesforceChangeCursor Parse(ChangeCursor cursor, string connectorName)
    {
        var value = cursor.Value;
        var bar = value.LastIndexOf('|');
        if (value.StartsWith(Prefix, StringComparison.Ordinal) && bar > Prefix.Length
            && SalesforceDateTimeConverter.TryParse(value.AsSpan(Prefix.Length, bar - Prefix.Length), out var stamp)
            && IsId(value.AsSpan(bar + 1)))
        {
            return new SalesforceChangeCursor(stamp, value[(bar + 1)..]);
        }

        throw new ConcordException(ErrorCategory.Validation, $"'{value}' is not a Salesforce change cursor (expected sf1|<SystemModstamp>|<Id>).")
        {
            System = connectorName,
            Operation = "read-changes",
        };
    }

    private static bool IsId(ReadOnlySpan<char> id)
    {
        if (id.Length is not (15 or 18))
        {
            return false;
        }

        foreach (var c in id)
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
