using Concord.Canonical;
using Concord.Canonical.Connectors;
using Concord.Connectors.Salesforce.Api.Dtos;
using Concord.Connectors.Salesforce.Mapping;
using Concord.Connectors.Salesforce.Query;

namespace Concord.Connectors.Salesforce.Internal;

/// <summary>Reads by id and finds by match keys: one query set per call, whatever the number of ids or entries.</summary>
internal sealed partial class SalesforceConnector
{
    public async Task<CanonicalCustomer?> GetAsync(string externalId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(externalId);
        return (await GetByIdsAsync([externalId], "get", cancellationToken).ConfigureAwait(false))[0];
    }

    public Task<IReadOnlyList<CanonicalCustomer?>> GetManyAsync(IReadOnlyList<string> externalIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(externalIds);
        for (var i = 0; i < externalIds.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(externalIds[i]))
            {
                throw new ArgumentException($"Id {i} of {externalIds.Count} is null or blank.", nameof(externalIds));
            }
        }

        return GetByIdsAsync(externalIds, "get-many", cancellationToken);
    }

    public async Task<IReadOnlyList<CanonicalCustomer>> FindAsync(MatchKeys keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return (await FindByKeysAsync([keys], "find", cancellationToken).ConfigureAwait(false))[0];
    }

    public Task<IReadOnlyList<IReadOnlyList<CanonicalCustomer>>> FindManyAsync(IReadOnlyList<MatchKeys> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        for (var i = 0; i < keys.Count; i++)
        {
            if (keys[i] is null)
            {
                throw new ArgumentException($"Entry {i} of {keys.Count} is null.", nameof(keys));
            }
        }

        return FindByKeysAsync(keys, "find-many", cancellationToken);
    }

    /// <summary>
    /// One entry per id, in order: the live Account with its Contacts, or null. Ids Salesforce could not have issued are
    /// null without asking; the rest take one Account query per URI-sized slice and one Contact query per slice of found
    /// Accounts. A repeated id gets the same answer.
    /// </summary>
    private async Task<IReadOnlyList<CanonicalCustomer?>> GetByIdsAsync(IReadOnlyList<string> externalIds, string operation, CancellationToken cancellationToken)
    {
        var wanted = externalIds.Where(SalesforceId.IsValid).DistinctBy(SalesforceId.Key, StringComparer.Ordinal).ToList();
        if (wanted.Count > 0)
        {
            await OrgAsync(operation, cancellationToken).ConfigureAwait(false);
        }

        var accounts = new Dictionary<string, AccountRecord>(StringComparer.Ordinal);
        foreach (var account in await QueryAccountsByIdAsync(wanted, operation, cancellationToken).ConfigureAwait(false))
        {
            if (account is { IsDeleted: not true, Id: { } id })
            {
                accounts[SalesforceId.Key(id)] = account;
            }
        }

        var contacts = await LoadContactsAsync([.. accounts.Values.Select(a => a.Id!)], operation, cancellationToken).ConfigureAwait(false);
        var customers = accounts.ToDictionary(a => a.Key, a => ToCustomer(a.Value, contacts), StringComparer.Ordinal);
        var found = new CanonicalCustomer?[externalIds.Count];
        for (var i = 0; i < found.Length; i++)
        {
            var id = externalIds[i];
            found[i] = SalesforceId.IsValid(id) ? customers.GetValueOrDefault(SalesforceId.Key(id)) : null;
        }

        return found;
    }

    /// <summary>
    /// One list per entry, in order: the live Accounts matching that entry's keys, best first (<see cref="AccountMatchPlan"/>).
    /// Every entry shares one query set: the Contacts of all emails, the Accounts of all keys, the Contacts of all those
    /// Accounts, each cut into URI-sized statements. Entries without a key Salesforce can match cost nothing.
    /// </summary>
    private async Task<IReadOnlyList<IReadOnlyList<CanonicalCustomer>>> FindByKeysAsync(IReadOnlyList<MatchKeys> keys, string operation, CancellationToken cancellationToken)
    {
        var plan = new AccountMatchPlan(keys);
        if (plan.HasEmails)
        {
            foreach (var soql in plan.EmailContacts().Statements("Id, AccountId, Email", "Contact"))
            {
                await foreach (var contact in QueryAllPagesAsync(soql, operation, cancellationToken).ConfigureAwait(false))
                {
                    if (contact is { Email: { } email, AccountId: { } owner })
                    {
                        plan.AddEmailOwner(email, owner);
                    }
                }
            }
        }

        var accounts = new Dictionary<string, AccountRecord>(StringComparer.Ordinal);
        var wanted = plan.Accounts();
        if (!wanted.IsEmpty)
        {
            await OrgAsync(operation, cancellationToken).ConfigureAwait(false);
        }

        foreach (var soql in wanted.Statements(_fields.AccountSelect, "Account"))
        {
            foreach (var account in await QueryAccountsAsync(soql, operation, cancellationToken).ConfigureAwait(false))
            {
                if (account is { IsDeleted: not true, Id: { } id })
                {
                    accounts[id] = account;
                }
            }
        }

        var contacts = await LoadContactsAsync([.. accounts.Keys], operation, cancellationToken).ConfigureAwait(false);
        var customers = accounts.ToDictionary(a => a.Key, a => ToCustomer(a.Value, contacts), StringComparer.Ordinal);
        var found = new IReadOnlyList<CanonicalCustomer>[keys.Count];
        for (var i = 0; i < found.Length; i++)
        {
            var entry = i;
            found[i] = plan.Order(entry, accounts.Values.Where(a => plan.Matches(entry, a)).Select(a => (a.Id!, customers[a.Id!])));
        }

        return found;
    }

    private CanonicalCustomer ToCustomer(AccountRecord account, Dictionary<string, List<ContactRecord>> contacts) =>
        AccountMapper.ToCustomer(account, contacts.GetValueOrDefault(account.Id!) ?? [], Name, _options, Org);

    /// <summary>The Accounts with these ids, one query per URI-sized slice of ids (<see cref="Soql.InSlices"/>).</summary>
    private async Task<List<AccountRecord>> QueryAccountsByIdAsync(IReadOnlyList<string> ids, string operation, CancellationToken cancellationToken)
    {
        var accounts = new List<AccountRecord>();
        foreach (var slice in Soql.InSlices(ids, Soql.WhereIn(_fields.AccountSelect, "Account", "Id", [])))
        {
            accounts.AddRange(await QueryAccountsAsync(Soql.WhereIn(_fields.AccountSelect, "Account", "Id", slice), operation, cancellationToken).ConfigureAwait(false));
        }

        return accounts;
    }
}
