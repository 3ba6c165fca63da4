using System.Runtime.CompilerServices;
using System.Text.Json;
using Concord.Canonical.Connectors;
using Concord.Connectors.Salesforce.Api;
using Concord.Connectors.Salesforce.Api.Dtos;
using Concord.Connectors.Salesforce.Mapping;
using Concord.Connectors.Salesforce.Query;

namespace Concord.Connectors.Salesforce.Internal;

/// <summary>
/// The change feed: <c>queryAll</c> on Account, then on Contact, each from its <see cref="FeedWindow"/>: every row whose
/// <c>SystemModstamp</c> is after the window's horizon (the overlap before the newest stamp read), in (SystemModstamp, Id)
/// order, minus the rows the window has emitted already. A Contact change surfaces as a change of its Account.
/// </summary>
internal sealed partial class SalesforceConnector
{
    public async IAsyncEnumerable<CustomerChange> ReadChangesAsync(ChangeCursor? from, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        const string Operation = "read-changes";
        var overlap = _options.ChangeFeedOverlap;
        var cursor = from is null
            ? new SalesforceChangeCursor(new FeedWindow(null), new FeedWindow(null))
            : SalesforceChangeCursor.Parse(from, Name, overlap);
        var accounts = cursor.Account;
        var contacts = cursor.Contact;

        if (from is null)
        {
            // A first read returns every Account with its current Contacts, so every Contact so far is covered: the Contact
            // window starts at the newest Contact now, remembering those within the overlap before it.
            await StartContactWindowAsync(contacts, Operation, cancellationToken).ConfigureAwait(false);
        }

        // 1. Accounts changed (or deleted) after the Account window's horizon, minus those it emitted already.
        var soql = Soql.Changes(_fields.AccountSelect, "Account", accounts.Horizon);
        var page = await CallAsync(ct => _api.QueryAllAccountsAsync(_version, soql, _queryOptions, Operation, ct), Operation, "queryAll Account", cancellationToken).ConfigureAwait(false);
        while (true)
        {
            var fresh = new List<(AccountRecord Record, string Print)>(page.Records.Count);
            foreach (var record in page.Records)
            {
                var print = Print(record);
                if (!accounts.Seen(record.Id ?? string.Empty, RequireStamp(record.Id, record.SystemModstamp, "Account", Operation), print))
                {
                    fresh.Add((record, print));
                }
            }

            var liveIds = fresh.Where(r => r.Record.IsDeleted != true).Select(r => r.Record.Id!).ToList();
            var loaded = await LoadContactsAsync(liveIds, Operation, cancellationToken).ConfigureAwait(false);
            foreach (var (record, print) in fresh)
            {
                var stamp = record.SystemModstamp!.Value;
                accounts.Add(record.Id!, stamp, print, overlap, _time.GetUtcNow());
                var deleted = record.IsDeleted == true;
                var mergedInto = deleted ? record.MasterRecordId : null;
                yield return new CustomerChange
                {
                    // A merge loser is deleted with MasterRecordId = the survivor: a merge, not a deletion.
                    Kind = mergedInto is not null ? ChangeKind.Merged : deleted ? ChangeKind.Deleted : ChangeKind.Upserted,
                    ExternalId = record.Id!,
                    MergedIntoExternalId = mergedInto,
                    Customer = AccountMapper.ToCustomer(record, deleted ? [] : loaded.GetValueOrDefault(record.Id!) ?? [], Name, _options),
                    ModifiedAt = stamp,
                    Cursor = new SalesforceChangeCursor(accounts, contacts).ToChangeCursor(),
                };
            }

            if (page.Done || string.IsNullOrEmpty(page.NextRecordsUrl))
            {
                break;
            }

            var next = page.NextRecordsUrl.TrimStart('/');
            page = await CallAsync(ct => _api.NextAccountsAsync(next, _queryOptions, Operation, ct), Operation, "queryAll Account (next page)", cancellationToken).ConfigureAwait(false);
        }

        // 2. Contacts changed (or deleted) after the Contact window's horizon: each surfaces as a change of its Account,
        //    once per page, at the last of that Account's changed Contacts on the page (so a cursor taken between them still
        //    has the Account to come).
        var contactSoql = Soql.Changes(_fields.ContactFeedSelect, "Contact", contacts.Horizon);
        var contactPage = await CallAsync(ct => _api.QueryAllContactsAsync(_version, contactSoql, _queryOptions, Operation, ct), Operation, "queryAll Contact", cancellationToken).ConfigureAwait(false);
        while (true)
        {
            var fresh = new List<(ContactRecord Record, string Print)>(contactPage.Records.Count);
            foreach (var record in contactPage.Records)
            {
                var print = Print(record);
                if (!contacts.Seen(record.Id ?? string.Empty, RequireStamp(record.Id, record.SystemModstamp, "Contact", Operation), print))
                {
                    fresh.Add((record, print));
                }
            }

            // Each changed Contact touches its Account, and the Account it left when it moved or was detached.
            var touched = new List<string>[fresh.Count];
            var lastIndexByAccount = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < fresh.Count; i++)
            {
                var (contact, _) = fresh[i];
                var current = contact.AccountId;
                touched[i] = [];
                if (_contactOwners.LeftFrom(contact.Id!, current) is { } left)
                {
                    touched[i].Add(left);
                }

                if (current is not null)
                {
                    touched[i].Add(current);
                }

                foreach (var owner in touched[i])
                {
                    lastIndexByAccount[owner] = i;
                }
            }

            var owners = new Dictionary<string, AccountRecord>(StringComparer.Ordinal);
            foreach (var account in await QueryAccountsByIdAsync([.. lastIndexByAccount.Keys], Operation, cancellationToken).ConfigureAwait(false))
            {
                owners[account.Id!] = account;
            }

            var loaded = await LoadContactsAsync([.. owners.Keys], Operation, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < fresh.Count; i++)
            {
                var (contact, print) = fresh[i];
                var stamp = contact.SystemModstamp!.Value;

                // Accounts whose last changed Contact on the page is this one; the private contact, a later contact of
                // the same account, and a deleted account (its own change says so) emit nothing here. Every Account but
                // the last is emitted with the cursor before this Contact, so a stop between them loses none.
                var due = touched[i].Where(o => lastIndexByAccount[o] == i && owners.TryGetValue(o, out var a) && a.IsDeleted != true).ToList();
                for (var d = 0; d < due.Count; d++)
                {
                    if (d == due.Count - 1)
                    {
                        contacts.Add(contact.Id!, stamp, print, overlap, _time.GetUtcNow());
                    }

                    yield return new CustomerChange
                    {
                        Kind = ChangeKind.Upserted,
                        ExternalId = due[d],
                        Customer = AccountMapper.ToCustomer(owners[due[d]], loaded.GetValueOrDefault(due[d]) ?? [], Name, _options),
                        ModifiedAt = stamp,
                        Cursor = new SalesforceChangeCursor(accounts, contacts).ToChangeCursor(),
                    };
                }

                if (due.Count == 0)
                {
                    contacts.Add(contact.Id!, stamp, print, overlap, _time.GetUtcNow());
                }

                _contactOwners.Set(contact.Id!, contact.IsDeleted == true ? null : contact.AccountId);
            }

            if (contactPage.Done || string.IsNullOrEmpty(contactPage.NextRecordsUrl))
            {
                yield break;
            }

            var next = contactPage.NextRecordsUrl.TrimStart('/');
            contactPage = await CallAsync(ct => _api.NextContactsAsync(next, _queryOptions, Operation, ct), Operation, "queryAll Contact (next page)", cancellationToken).ConfigureAwait(false);
        }
    }

    private static string Print(AccountRecord record) => FeedWindow.Fingerprint(JsonSerializer.SerializeToUtf8Bytes(record, SalesforceJsonContext.Default.AccountRecord));

    private static string Print(ContactRecord record) => FeedWindow.Fingerprint(JsonSerializer.SerializeToUtf8Bytes(record, SalesforceJsonContext.Default.ContactRecord));

    /// <summary>Starts <paramref name="contacts"/> at the newest Contact, remembering the Contacts within the overlap before it.</summary>
    private async Task StartContactWindowAsync(FeedWindow contacts, string operation, CancellationToken cancellationToken)
    {
        const string Newest = "SELECT Id, SystemModstamp FROM Contact ORDER BY SystemModstamp DESC, Id DESC LIMIT 1";
        var top = await CallAsync(ct => _api.QueryAllContactsAsync(_version, Newest, _queryOptions, operation, ct), operation, "queryAll Contact (newest)", cancellationToken).ConfigureAwait(false);
        if (top.Records is not [{ SystemModstamp: { } newest }])
        {
            return;
        }

        var recent = Soql.Changes(_fields.ContactFeedSelect, "Contact", newest - _options.ChangeFeedOverlap - TimeSpan.FromSeconds(1));
        var page = await CallAsync(ct => _api.QueryAllContactsAsync(_version, recent, _queryOptions, operation, ct), operation, "queryAll Contact (recent)", cancellationToken).ConfigureAwait(false);
        while (true)
        {
            foreach (var record in page.Records)
            {
                contacts.Add(record.Id ?? string.Empty, RequireStamp(record.Id, record.SystemModstamp, "Contact", operation), Print(record), _options.ChangeFeedOverlap, _time.GetUtcNow());
            }

            if (page.Done || string.IsNullOrEmpty(page.NextRecordsUrl))
            {
                return;
            }

            var next = page.NextRecordsUrl.TrimStart('/');
            page = await CallAsync(ct => _api.NextContactsAsync(next, _queryOptions, operation, ct), operation, "queryAll Contact (next page)", cancellationToken).ConfigureAwait(false);
        }
    }
}
