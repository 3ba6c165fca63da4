using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Concord.Canonical.Connectors;
using Concord.Canonical.Errors;
using Concord.Connectors.Salesforce.Api;
using Concord.Connectors.Salesforce.Api.Dtos;
using Concord.Connectors.Salesforce.Diagnostics;
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
    /// <summary>How long Salesforce keeps a deletion in the delete log at the least (a large log is trimmed every two hours).</summary>
    private static readonly TimeSpan DeletionLogMinimumAge = TimeSpan.FromHours(2);

    private readonly FeedWatermarks _watermarks = new();

    public async IAsyncEnumerable<CustomerChange> ReadChangesAsync(ChangeCursor? from, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        const string Operation = "read-changes";
        await OrgAsync(Operation, cancellationToken).ConfigureAwait(false);
        var overlap = _options.ChangeFeedOverlap;
        var cursor = from is null
            ? new SalesforceChangeCursor(new FeedWindow(null), new FeedWindow(null))
            : SalesforceChangeCursor.Parse(from, Name, overlap);
        var accounts = cursor.Account;
        var contacts = cursor.Contact;
        var readStartedAt = _time.GetUtcNow();
        string? lastCursor = null;

        if (from is not null)
        {
            await CheckDeletionLogAsync(from.Value, cursor, readStartedAt, Operation, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            // A first read returns every Account with its current Contacts, so every Contact so far is covered: the Contact
            // window starts at the newest Contact now, remembering those within the overlap before it.
            await StartContactWindowAsync(contacts, Operation, cancellationToken).ConfigureAwait(false);
        }

        // 1. Accounts changed (or deleted) after the Account window's horizon, minus those it emitted already.
        // A first read is the org as it is: a deleted row there is no change to anything synchronised.
        var soql = Soql.Changes(_fields.AccountSelect, "Account", accounts, from is null ? "IsDeleted = false" : null);
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
            await RecordOwnersAsync(loaded.Values.SelectMany(c => c), cancellationToken).ConfigureAwait(false);
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
                    Customer = AccountMapper.ToCustomer(record, deleted ? [] : loaded.GetValueOrDefault(record.Id!) ?? [], Name, _options, Org),
                    ModifiedAt = stamp,
                    Cursor = Checkpoint(new SalesforceChangeCursor(accounts, contacts), ref lastCursor),
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
        var contactSoql = Soql.Changes(_fields.ContactFeedSelect, "Contact", contacts);
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

            // Each changed Contact touches its Account, and the Account it left when it moved or was detached: the one this
            // process saw it under, or the one the feed read it under before this change (the state store outlives a restart).
            var histories = fresh.Count == 0
                ? new Dictionary<string, string>()
                : await _state.GetAsync(Name, [.. fresh.Select(f => ContactOwnerHistory.Key(f.Record.Id!)).Distinct(StringComparer.Ordinal)], cancellationToken).ConfigureAwait(false);
            var updatedHistories = new Dictionary<string, string>(StringComparer.Ordinal);
            var touched = new List<string>[fresh.Count];
            var lastIndexByAccount = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < fresh.Count; i++)
            {
                var (contact, _) = fresh[i];
                var current = contact.AccountId;
                touched[i] = [];
                if (IsPersonContact(contact))
                {
                    // A person account's hidden Contact: the person account's own row says what changed.
                    continue;
                }

                var key = ContactOwnerHistory.Key(contact.Id!);
                var history = updatedHistories.GetValueOrDefault(key) ?? histories.GetValueOrDefault(key);
                var since = contact.SystemModstamp!.Value.ToUnixTimeSeconds();
                var readBefore = ContactOwnerHistory.Before(history, since);
                updatedHistories[key] = ContactOwnerHistory.With(history, contact.IsDeleted == true ? null : current, since);
                foreach (var left in new[] { _contactOwners.LeftFrom(contact.Id!, current), readBefore })
                {
                    if (left is not null && !SameId(left, current) && !touched[i].Any(t => SameId(t, left)))
                    {
                        touched[i].Add(left);
                    }
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

            if (updatedHistories.Count > 0)
            {
                await _state.SaveAsync(Name, updatedHistories, cancellationToken).ConfigureAwait(false);
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
                        Customer = AccountMapper.ToCustomer(owners[due[d]], loaded.GetValueOrDefault(due[d]) ?? [], Name, _options, Org),
                        ModifiedAt = stamp,
                        Cursor = Checkpoint(new SalesforceChangeCursor(accounts, contacts), ref lastCursor),
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
                break;
            }

            var next = contactPage.NextRecordsUrl.TrimStart('/');
            contactPage = await CallAsync(ct => _api.NextContactsAsync(next, _queryOptions, Operation, ct), Operation, "queryAll Contact (next page)", cancellationToken).ConfigureAwait(false);
        }

        // Read to the end: everything deleted before this read began has been seen from either cursor.
        if (from is not null)
        {
            _watermarks.Record(from.Value, readStartedAt);
        }

        if (lastCursor is not null)
        {
            _watermarks.Record(lastCursor, readStartedAt);
        }
    }

    /// <summary>Records in the state store the Account each of <paramref name="contacts"/> was read under (a first read covers Contacts this way).</summary>
    private async Task RecordOwnersAsync(IEnumerable<ContactRecord> contacts, CancellationToken cancellationToken)
    {
        var read = contacts.Where(c => c.Id is not null && c.SystemModstamp is not null).ToList();
        if (read.Count == 0)
        {
            return;
        }

        var histories = await _state.GetAsync(Name, [.. read.Select(c => ContactOwnerHistory.Key(c.Id!)).Distinct(StringComparer.Ordinal)], cancellationToken).ConfigureAwait(false);
        var updated = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var contact in read)
        {
            var key = ContactOwnerHistory.Key(contact.Id!);
            var history = updated.GetValueOrDefault(key) ?? histories.GetValueOrDefault(key);
            var recorded = ContactOwnerHistory.With(history, contact.AccountId, contact.SystemModstamp!.Value.ToUnixTimeSeconds());
            if (!string.Equals(recorded, history, StringComparison.Ordinal))
            {
                updated[key] = recorded;
            }
        }

        if (updated.Count > 0)
        {
            await _state.SaveAsync(Name, updated, cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool SameId(string? a, string? b) =>
        a is not null && b is not null && string.Equals(SalesforceId.Key(a), SalesforceId.Key(b), StringComparison.Ordinal);

    /// <summary>The change cursor of <paramref name="position"/>, remembered in <paramref name="last"/> as the read's latest.</summary>
    private static ChangeCursor Checkpoint(SalesforceChangeCursor position, ref string? last)
    {
        var cursor = position.ToChangeCursor();
        last = cursor.Value;
        return cursor;
    }

    /// <summary>
    /// Makes sure no deletion after the cursor was purged before the feed could read it. Deleted rows stay in the Recycle
    /// Bin (and <c>queryAll</c>) about 15 days, less after the bin is emptied, and a large delete log is trimmed to two
    /// hours; <c>earliestDateAvailable</c> of <c>/sobjects/{type}/deleted</c> says how far the purge reached. Asked only
    /// when neither the cursor's position nor this instance's last complete read from it is within two hours.
    /// </summary>
    private async Task CheckDeletionLogAsync(string from, SalesforceChangeCursor cursor, DateTimeOffset now, string operation, CancellationToken cancellationToken)
    {
        var lastRead = _watermarks.LastReadFrom(from);
        foreach (var (sObject, window) in new[] { ("Account", cursor.Account), ("Contact", cursor.Contact) })
        {
            if (window.Horizon is not { } horizon || window.ReadUpTo(_options.ChangeFeedOverlap) is not { } readUpTo)
            {
                continue;
            }

            // readUpTo: the newest stamp the window had read when its cursor was taken; deletions up to it were emitted.
            var safeSince = lastRead is { } at && at > readUpTo ? at : readUpTo;
            if (now - safeSince < DeletionLogMinimumAge)
            {
                continue;
            }

            var end = new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerMinute), TimeSpan.Zero);
            var start = horizon < end - TimeSpan.FromMinutes(2) ? horizon : end - TimeSpan.FromMinutes(2);
            var response = await SendAsync(
                ct => _api.GetDeletedAsync(_version, sObject, Iso(start), Iso(end), operation, ct),
                operation,
                cancellationToken).ConfigureAwait(false);
            DateTimeOffset? purgedUpTo;
            using (response)
            {
                if (response.IsSuccessful && response.Content is { } log)
                {
                    purgedUpTo = log.EarliestDateAvailable;
                }
                else if (response.HasResponseError(out var apiError) && apiError.Content?.Contains("INVALID_REPLICATION_DATE", StringComparison.Ordinal) == true)
                {
                    purgedUpTo = end; // the log no longer reaches back to the cursor at all
                }
                else
                {
                    throw Failure(response, operation, $"{sObject} delete log");
                }
            }

            if (purgedUpTo is { } purged && purged > readUpTo)
            {
                if (!_options.ToleratePurgedDeletions)
                {
                    throw new ConcordException(
                        ErrorCategory.Validation,
                        string.Create(
                            CultureInfo.InvariantCulture,
                            $"The Salesforce change cursor has read {sObject} changes up to {readUpTo:yyyy-MM-ddTHH:mm:ssZ}, but Salesforce has purged deleted {sObject} records up to {purged:yyyy-MM-ddTHH:mm:ssZ} (the Recycle Bin keeps them about 15 days, less once emptied): deletions in between can no longer be read. Run IFlow.ReconcileAsync to find the records deleted in Salesforce (reported as Extra), then set SalesforceConnectorOptions.ToleratePurgedDeletions to read on."))
                    {
                        System = Name,
                        Operation = operation,
                        IsRetryable = false,
                    };
                }

                Log.DeletionsPurged(_logger, Name, sObject, purged, readUpTo);
            }
        }
    }

    private static string Iso(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

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
