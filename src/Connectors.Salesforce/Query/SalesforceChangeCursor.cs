using Concord.Canonical.Connectors;
using Concord.Canonical.Errors;
using Concord.Connectors.Salesforce.Api;

namespace Concord.Connectors.Salesforce.Query;

/// <summary>
/// A change-feed position: the last (SystemModstamp, Id) handled on Account and, separately, on Contact (a Contact-only
/// edit surfaces as a change of its Account). Encoded as <c>sf1|{stamp}|{id}|{stamp}|{id}</c>, stamps as SOQL UTC literals,
/// <c>-</c> for a position not reached yet. Timestamps are second-granular, so the Id breaks ties between equal stamps.
/// </summary>
internal sealed record SalesforceChangeCursor(SalesforceFeedPosition? Account, SalesforceFeedPosition? Contact)
{
    private const string Prefix = "sf1";

    public ChangeCursor ToChangeCursor() => new(string.Join('|', Prefix, Part(Account?.Literal), Part(Account?.Id), Part(Contact?.Literal), Part(Contact?.Id)));

    public static SalesforceChangeCursor Parse(ChangeCursor cursor, string connectorName)
    {
        var parts = cursor.Value.Split('|');
        if (parts.Length == 5 && parts[0] == Prefix
            && TryPosition(parts[1], parts[2], out var account)
            && TryPosition(parts[3], parts[4], out var contact))
        {
            return new SalesforceChangeCursor(account, contact);
        }

        throw new ConcordException(ErrorCategory.Validation, $"'{cursor.Value}' is not a Salesforce change cursor (expected sf1|<SystemModstamp>|<Id>|<SystemModstamp>|<Id>).")
        {
            System = connectorName,
            Operation = "read-changes",
        };
    }

    private static string Part(string? value) => value ?? "-";

    private static bool TryPosition(string stamp, string id, out SalesforceFeedPosition? position)
    {
        position = null;
        if (stamp == "-" && id == "-")
        {
            return true;
        }

        if (SalesforceDateTimeConverter.TryParse(stamp, out var value) && IsId(id))
        {
            position = new SalesforceFeedPosition(value, id);
            return true;
        }

        return false;
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

/// <summary>One keyset position: (SystemModstamp, Id).</summary>
internal sealed record SalesforceFeedPosition(DateTimeOffset SystemModstamp, string Id)
{
    public string Literal => SalesforceDateTimeConverter.ToSoqlLiteral(SystemModstamp);
}
