using Concord.Canonical;
using Concord.Canonical.Connectors;
using Concord.Connectors.Salesforce.Api.Dtos;
using Concord.Connectors.Salesforce.Mapping;

namespace Concord.Connectors.Salesforce.Query;

/// <summary>
/// Finds the Accounts of many match-key entries with one query set: the Contacts of every entry's emails first (their
/// Accounts are the email matches), then the Accounts whose AccountNumber is a reference, whose Website contains a
/// domain or whose Id is an email owner, all entries OR-ed together; then each entry keeps the Accounts that match its
/// own keys, best first. Tax ids match nothing: Salesforce has no standard tax-id field.
/// </summary>
/// <remarks>
/// Used in this order: <see cref="EmailContacts"/>, <see cref="AddEmailOwner"/> per Contact found,
/// <see cref="Accounts"/>, then <see cref="Matches"/> and <see cref="Order"/> per entry. Text comparisons are
/// case-insensitive, as SOQL's <c>=</c>, <c>IN</c> and <c>LIKE</c> are.
/// </remarks>
internal sealed class AccountMatchPlan
{
    /// <summary>
    /// The most email-matched Accounts one entry asks for (the lowest Ids): an address on the Contacts of hundreds of
    /// Accounts (a shared mailbox) says nothing about which is the twin, and a find wants the best few, not all.
    /// </summary>
    public const int MaxEmailOwnersPerEntry = 200;

    private readonly IReadOnlyList<MatchKeys> _keys;
    private readonly Dictionary<string, SortedSet<string>> _ownersByEmail = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string>?[] _owners;

    public AccountMatchPlan(IReadOnlyList<MatchKeys> keys)
    {
        _keys = keys;
        _owners = new HashSet<string>?[keys.Count];
    }

    /// <summary>Whether no entry has an email, so <see cref="EmailContacts"/> needs no query.</summary>
    public bool HasEmails => _keys.Any(k => !k.Emails.IsDefaultOrEmpty);

    /// <summary>The Contacts whose Email is one of any entry's emails.</summary>
    public SoqlDisjunction EmailContacts() =>
        new SoqlDisjunction().In("Email", _keys.SelectMany(k => k.Emails.IsDefault ? [] : k.Emails).Distinct(StringComparer.OrdinalIgnoreCase));

    /// <summary>Records that a Contact with <paramref name="email"/> belongs to <paramref name="accountId"/>.</summary>
    public void AddEmailOwner(string email, string accountId)
    {
        if (!_ownersByEmail.TryGetValue(email, out var owners))
        {
            _ownersByEmail[email] = owners = new SortedSet<string>(StringComparer.Ordinal);
        }

        owners.Add(accountId);
    }

    /// <summary>The Accounts any entry may match: by reference, by domain, or as the owner of one of its emails.</summary>
    public SoqlDisjunction Accounts()
    {
        for (var i = 0; i < _keys.Count; i++)
        {
            var emails = _keys[i].Emails;
            if (!emails.IsDefaultOrEmpty)
            {
                var owners = emails.SelectMany(e => _ownersByEmail.GetValueOrDefault(e) ?? []).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
                _owners[i] = new HashSet<string>(owners.Take(MaxEmailOwnersPerEntry), StringComparer.Ordinal);
            }
        }

        return new SoqlDisjunction()
            .In("AccountNumber", _keys.Select(Reference).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase))
            .Contains("Website", _keys.Select(Domain).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase))
            .In("Id", _owners.SelectMany(o => o ?? []).Distinct(StringComparer.Ordinal));
    }

    /// <summary>Whether <paramref name="account"/> matches at least one key of entry <paramref name="entry"/>.</summary>
    public bool Matches(int entry, AccountRecord account)
    {
        var keys = _keys[entry];
        return (Reference(keys) is { } reference && string.Equals(account.AccountNumber, reference, StringComparison.OrdinalIgnoreCase))
            || (Domain(keys) is { } domain && account.Website?.Contains(domain, StringComparison.OrdinalIgnoreCase) == true)
            || (account.Id is not null && _owners[entry]?.Contains(account.Id) == true);
    }

    /// <summary>
    /// <paramref name="found"/> best match first for entry <paramref name="entry"/>: the shared reference, then the domain,
    /// then an email of a contact; ties by Account Id, so the order does not depend on how the queries were sliced.
    /// </summary>
    public List<CanonicalCustomer> Order(int entry, IEnumerable<(string AccountId, CanonicalCustomer Customer)> found)
    {
        var keys = _keys[entry];
        return found
            .OrderByDescending(f => Score(f.Customer, keys))
            .ThenBy(f => f.AccountId, StringComparer.Ordinal)
            .Select(f => f.Customer)
            .ToList();
    }

    private static string? Reference(MatchKeys keys) => keys.Reference is { Length: > 0 } reference ? reference : null;

    private static string? Domain(MatchKeys keys) => keys.Domain is { Length: > 0 } domain ? domain : null;

    private static int Score(CanonicalCustomer customer, MatchKeys keys)
    {
        var score = 0;
        if (keys.Reference is not null && customer.CustomAttributes.TryGetValue(AccountMapper.AccountNumberAttribute, out var number) && number == keys.Reference)
        {
            score += 4;
        }

        if (keys.Domain is not null && string.Equals(customer.Domain, keys.Domain, StringComparison.OrdinalIgnoreCase))
        {
            score += 2;
        }

        if (!keys.Emails.IsDefaultOrEmpty && customer.Contacts.Any(c => c.Emails.Any(e => keys.Emails.Contains(e.Address, StringComparer.OrdinalIgnoreCase))))
        {
            score += 1;
        }

        return score;
    }
}
