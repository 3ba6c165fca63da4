using System.Collections.Concurrent;
using Concord.Connectors.Salesforce.Query;

namespace Concord.Connectors.Salesforce.Internal;

/// <summary>
/// The Account each Contact was last seen under by this connector instance (feed, reads, writes), so that a Contact the
/// change feed shows under another Account, or under none, also brings back the Account it left. Salesforce keeps no
/// previous <c>AccountId</c> a query could read (short of field history, which orgs rarely track), so this is memory;
/// what the feed read also goes to the state store (<see cref="ContactOwnerHistory"/>), which a durable store keeps
/// across restarts. Bounded: past <see cref="Capacity"/> entries it starts over.
/// </summary>
internal sealed class ContactOwners
{
    public const int Capacity = 200_000;

    private readonly ConcurrentDictionary<string, string> _owners = new(StringComparer.Ordinal);

    /// <summary>Remembers that <paramref name="contactId"/> is under <paramref name="accountId"/> (none when null).</summary>
    public void Set(string contactId, string? accountId)
    {
        var key = SalesforceId.Key(contactId);
        if (accountId is null)
        {
            _owners.TryRemove(key, out _);
            return;
        }

        if (_owners.Count >= Capacity)
        {
            _owners.Clear();
        }

        _owners[key] = accountId;
    }

    /// <summary>The Account <paramref name="contactId"/> was last seen under, if it is not <paramref name="currentAccountId"/>.</summary>
    public string? LeftFrom(string contactId, string? currentAccountId) =>
        _owners.TryGetValue(SalesforceId.Key(contactId), out var previous)
        && (currentAccountId is null || !string.Equals(SalesforceId.Key(previous), SalesforceId.Key(currentAccountId), StringComparison.Ordinal))
            ? previous
            : null;
}
