using Concord.Canonical.Connectors;
using Concord.Canonical.Errors;
using Concord.Connectors.Salesforce.Api;

namespace Concord.Connectors.Salesforce.Query;

/// <summary>
/// A change-feed position: a <see cref="FeedWindow"/> on Account and, separately, on Contact (a Contact-only edit surfaces
/// as a change of its Account). Encoded as <c>sf2|{account horizon}|{account rows}|{contact horizon}|{contact rows}</c>, a
/// horizon being a stamp, or a stamp and an id inside a group of rows sharing that stamp (<c>{stamp},{id}</c>).
/// The keyset cursors of earlier versions (<c>sf1|{stamp}|{id}|{stamp}|{id}</c>) are still read: their windows start the
/// overlap before their position, so the first read after an upgrade emits that overlap again (never misses a row).
/// </summary>
internal sealed record SalesforceChangeCursor(FeedWindow Account, FeedWindow Contact)
{
    private const string Prefix = "sf2";
    private const string KeysetPrefix = "sf1";

    public ChangeCursor ToChangeCursor() => new(string.Join('|', Prefix, Account.Encode(), Contact.Encode()));

    public static SalesforceChangeCursor Parse(ChangeCursor cursor, string connectorName, TimeSpan overlap)
    {
        var parts = cursor.Value.Split('|');
        if (parts.Length == 5 && parts[0] == Prefix
            && FeedWindow.TryDecode(parts[1], parts[2], out var account)
            && FeedWindow.TryDecode(parts[3], parts[4], out var contact))
        {
            return new SalesforceChangeCursor(account!, contact!);
        }

        if (parts.Length == 5 && parts[0] == KeysetPrefix
            && TryKeyset(parts[1], parts[2], overlap, out var accountFrom)
            && TryKeyset(parts[3], parts[4], overlap, out var contactFrom))
        {
            return new SalesforceChangeCursor(accountFrom!, contactFrom!);
        }

        throw new ConcordException(ErrorCategory.Validation, $"'{cursor.Value}' is not a Salesforce change cursor (expected sf2|<horizon>|<rows>|<horizon>|<rows>).")
        {
            System = connectorName,
            Operation = "read-changes",
        };
    }

    private static bool TryKeyset(string stamp, string id, TimeSpan overlap, out FeedWindow? window)
    {
        window = null;
        if (stamp == "-" && id == "-")
        {
            window = new FeedWindow(null);
        }
        else if (SalesforceDateTimeConverter.TryParse(stamp, out var value) && SalesforceId.IsValid(id))
        {
            // Everything up to (stamp, id) was emitted; re-reading the overlap before it may repeat rows, never miss one.
            window = new FeedWindow(value - (overlap > TimeSpan.Zero ? overlap : TimeSpan.FromSeconds(1)));
        }

        return window is not null;
    }
}
