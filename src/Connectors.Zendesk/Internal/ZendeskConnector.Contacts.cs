using System.Globalization;
using Concord.Canonical;
using Concord.Canonical.Connectors;
using Concord.Canonical.Errors;
using Concord.Canonical.Privacy;
using Concord.Connectors.Zendesk.Api;
using Concord.Connectors.Zendesk.Diagnostics;
using Concord.Connectors.Zendesk.Mapping;

namespace Concord.Connectors.Zendesk.Internal;

internal sealed partial class ZendeskConnector
{
    /// <summary>
    /// The customers' contacts as end users (<c>role</c> end-user, <c>skip_verify_email</c> on create), keyed on
    /// <c>external_id</c>: read first (<c>users/show_many?external_ids=</c>), the unchanged left alone, the rest through
    /// <c>users/create_or_update_many</c> jobs, or single <c>users/create_or_update</c> calls under the per-user and
    /// per-account limits when bulk import is off. A user already in another organization keeps it: ours is added as a
    /// membership instead of writing <c>organization_id</c>, which would remove the others. A changed primary email becomes
    /// a new identity made primary (email is written only on create).
    /// </summary>
    private async Task WriteContactsAsync(IReadOnlyList<OrganizationWork> works, string operation, CancellationToken cancellationToken)
    {
        var contacts = new List<ContactWork>();
        var byKey = new Dictionary<string, ContactWork>(StringComparer.OrdinalIgnoreCase);
        foreach (var work in works)
        {
            foreach (var contact in work.Customer.Contacts)
            {
                var key = ZendeskMapper.ContactKey(work.Key, contact);
                if (!byKey.TryGetValue(key, out var same))
                {
                    byKey[key] = same = new ContactWork(key);
                    contacts.Add(same);
                }

                // One contact under two customers of the batch: the last one wins (one write, both learn its id).
                same.Contact = contact;
                same.OrganizationId = work.Id!.Value;
                same.Owners.Add(work);
            }
        }

        if (contacts.Count == 0)
        {
            return;
        }

        await Concurrently(contacts.Where(c => !c.Key.Contains(',', StringComparison.Ordinal)).Chunk(ShowManyLimit), async (chunk, ct) =>
        {
            var path = "api/v2/users/show_many.json?external_ids=" + string.Join(',', chunk.Select(c => Uri.EscapeDataString(c.Key)));
            var response = await _api.SendAsync(HttpMethod.Get, path, null, ZendeskJsonContext.Default.UsersEnvelope, operation, $"{chunk.Length} users", idempotent: true, ct).ConfigureAwait(false);
            var found = response.Value?.Users ?? [];
            foreach (var contact in chunk)
            {
                contact.Existing = found.FirstOrDefault(u => string.Equals(u.ExternalId, contact.Key, StringComparison.OrdinalIgnoreCase));
            }
        }, cancellationToken).ConfigureAwait(false);

        // A contact the engine adopted by its Zendesk id (its ExternalRef here) whose user does not carry its key yet: the
        // user it was read as, found by id and updated by id, never a twin created under the new key.
        var byVendorId = contacts.Where(c => c.Existing is null && VendorId(c.Contact!) is not null).ToList();
        await Concurrently(byVendorId.Chunk(ShowManyLimit), async (chunk, ct) =>
        {
            var path = "api/v2/users/show_many.json?ids=" + string.Join(',', chunk.Select(c => Id(VendorId(c.Contact!)!.Value)));
            var response = await _api.SendAsync(HttpMethod.Get, path, null, ZendeskJsonContext.Default.UsersEnvelope, operation, $"{chunk.Length} users by id", idempotent: true, ct).ConfigureAwait(false);
            var found = response.Value?.Users ?? [];
            foreach (var contact in chunk)
            {
                if (found.FirstOrDefault(u => u.Id == VendorId(contact.Contact!) && u.Active) is { } user)
                {
                    contact.Existing = user;
                    contact.ById = true;
                }
            }
        }, cancellationToken).ConfigureAwait(false);

        var toWrite = new List<ContactWork>();
        foreach (var contact in contacts)
        {
            var existing = contact.Existing;
            var joinsAsDefault = existing?.OrganizationId is null || existing.OrganizationId == contact.OrganizationId;
            contact.Write = _mapper.ToUser(contact.Contact!, contact.Key, joinsAsDefault ? contact.OrganizationId : null, isNew: existing is null);
            contact.NeedsMembership = !joinsAsDefault;
            contact.EmailChange = existing is not null && ZendeskMapper.PrimaryEmail(contact.Contact!) is { } email && !string.Equals(existing.Email, email, StringComparison.OrdinalIgnoreCase);
            if (existing is not null && existing.OrganizationId == contact.OrganizationId && ZendeskMapper.Holds(existing, contact.Write, contact.Contact!))
            {
                contact.Id = existing.Id;
            }
            else
            {
                toWrite.Add(contact);
            }
        }

        var keyed = toWrite.Where(c => !c.ById).ToList();
        if (keyed.Count > 0)
        {
            if (_options.UseBulkUserImport && Volatile.Read(ref _bulkImportDisabled) == 0)
            {
                await WriteUsersInJobsAsync(keyed, operation, cancellationToken).ConfigureAwait(false);
            }

            await WriteUsersOneByOneAsync([.. keyed.Where(c => c.Id is null && c.Error is null)], operation, cancellationToken).ConfigureAwait(false);
        }

        // Keyed on external_id, create_or_update would not find an adopted user: it is written by id, with our key.
        await WriteUsersOneByOneAsync([.. toWrite.Where(c => c.ById)], operation, cancellationToken).ConfigureAwait(false);

        // An email another user holds: Zendesk refuses the write (422 DuplicateValue on email). Name that user.
        foreach (var contact in contacts.Where(c => c.Error is { Category: ErrorCategory.Conflict }))
        {
            contact.Error = await EmailHolderConflictAsync(contact, operation, cancellationToken).ConfigureAwait(false) ?? contact.Error;
        }

        foreach (var contact in contacts.Where(c => c.Error is null && c.Id is not null))
        {
            try
            {
                if (contact.NeedsMembership)
                {
                    await AddMembershipAsync(contact, operation, cancellationToken).ConfigureAwait(false);
                }

                if (contact.EmailChange && contact.Existing is not null)
                {
                    await MakeEmailPrimaryAsync(contact, operation, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (ConcordException ex) when (ex.IsRecordLevel)
            {
                contact.Error = ex;
            }
        }

        foreach (var contact in contacts)
        {
            foreach (var owner in contact.Owners)
            {
                if (contact.Error is { } error)
                {
                    // The organization is written; the customer is not complete until every contact is. Writing again is safe.
                    owner.Fail(error);
                    continue;
                }

                if (contact.Contact!.Id is { Length: > 0 } canonicalContactId)
                {
                    owner.ContactIds[canonicalContactId] = Id(contact.Id!.Value);
                }

                owner.ContactsChanged |= contact.Written;
                RememberEmail(contact.Id!.Value, ZendeskMapper.PrimaryEmail(contact.Contact!));
            }
        }
    }

    private async Task WriteUsersInJobsAsync(List<ContactWork> contacts, string operation, CancellationToken cancellationToken)
    {
        var chunks = contacts.Chunk(_options.BatchSize).ToList();
        var specs = chunks.Select(chunk => new JobSpec(
            HttpMethod.Post,
            "api/v2/users/create_or_update_many.json",
            ZendeskApiClient.Serialize(new UsersWriteEnvelope { Users = [.. chunk.Select(c => c.Write!)] }, ZendeskJsonContext.Default.UsersWriteEnvelope),
            chunk.Length,
            $"{chunk.Length} users")).ToList();
        var outcomes = await _jobs.RunAsync(specs, operation, cancellationToken).ConfigureAwait(false);
        for (var j = 0; j < chunks.Count; j++)
        {
            var chunk = chunks[j];
            var outcome = outcomes[j];
            if (outcome.Error is { Category: ErrorCategory.Authorization, StatusCode: 403 })
            {
                // Bulk import is off for the account: say so once, and write users one by one from now on.
                if (Interlocked.Exchange(ref _bulkImportDisabled, 1) == 0)
                {
                    Log.BulkImportDisabled(_logger, Name);
                }

                return;
            }

            if (outcome.Error is { } jobError)
            {
                if (!jobError.IsRecordLevel && jobError.Category is ErrorCategory.Authentication or ErrorCategory.Configuration)
                {
                    throw jobError;
                }

                foreach (var contact in chunk)
                {
                    contact.Error = jobError;
                }

                continue;
            }

            if (outcome.Status != "completed")
            {
                foreach (var contact in chunk)
                {
                    contact.Error = Error(ErrorCategory.Transient, $"Zendesk job {outcome.JobId} ended '{outcome.Status}'; writing the users again is safe.", operation);
                }

                continue;
            }

            var unclaimed = outcome.Items.ToList();
            for (var k = 0; k < chunk.Length; k++)
            {
                var contact = chunk[k];

                // By index when the result has one, else by the external id or email that identified it; never by position alone.
                var item = unclaimed.FirstOrDefault(r => r.Index == k)
                    ?? unclaimed.FirstOrDefault(r => r.Index is null && r.ExternalId is not null && string.Equals(r.ExternalId, contact.Key, StringComparison.OrdinalIgnoreCase))
                    ?? unclaimed.FirstOrDefault(r => r.Index is null && r.ExternalId is null && r.Email is not null && string.Equals(r.Email, contact.Write!.Email, StringComparison.OrdinalIgnoreCase));
                if (item is null)
                {
                    contact.Error = Error(ErrorCategory.Transient, $"Zendesk job {outcome.JobId} completed without a result for user {PersonalDataMasker.MaskIdentifier(contact.Key)}; it may or may not be written, and writing it again is safe (keyed on external_id).", operation);
                    continue;
                }

                unclaimed.Remove(item);
                if (item.Success && item.Id is { } id && id > 0)
                {
                    contact.Id = id;
                    contact.Written = true;
                }
                else
                {
                    contact.Error = ZendeskErrorClassifier.FromJobItem(item.Error, item.Details, Name, operation, $"user {PersonalDataMasker.MaskIdentifier(contact.Key)}");
                }
            }
        }
    }

    private async Task WriteUsersOneByOneAsync(List<ContactWork> contacts, string operation, CancellationToken cancellationToken)
    {
        foreach (var contact in contacts)
        {
            // One a second for the account, five a minute per user: paced here rather than refused there.
            await _session.SingleUserWrites.AcquireAsync(cancellationToken).ConfigureAwait(false);
            await _session.Records.AcquireAsync("user:" + contact.Key, cancellationToken).ConfigureAwait(false);
            try
            {
                var response = await _api.SendAsync(
                    contact.ById ? HttpMethod.Put : HttpMethod.Post,
                    contact.ById ? $"api/v2/users/{Id(contact.Existing!.Id)}.json" : "api/v2/users/create_or_update.json",
                    ZendeskApiClient.Serialize(new UserWriteEnvelope { User = contact.Write! }, ZendeskJsonContext.Default.UserWriteEnvelope),
                    ZendeskJsonContext.Default.UserEnvelope,
                    operation,
                    $"user {PersonalDataMasker.MaskIdentifier(contact.Key)}",
                    idempotent: true,
                    cancellationToken).ConfigureAwait(false);
                if (response.Value?.User?.Id is not { } id)
                {
                    throw Error(ErrorCategory.ContractViolation, $"Zendesk {(contact.ById ? "users/{id}" : "users/create_or_update")} answered HTTP {response.Status} without a user id.", operation);
                }

                contact.Id = id;
                contact.Written = true;
            }
            catch (ConcordException ex) when (ex.IsRecordLevel)
            {
                contact.Error = ex;
            }
        }
    }

    /// <summary>The contact's Zendesk id, when the engine knows it (its <see cref="ExternalRef"/> for this connector).</summary>
    private long? VendorId(Contact contact) =>
        !contact.ExternalRefs.IsDefaultOrEmpty
        && contact.ExternalRefs.FirstOrDefault(r => r.System == Name) is { } reference
        && long.TryParse(reference.Id, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    /// <summary>
    /// A Conflict naming the user that holds the contact's email under another external id (Zendesk's create-or-update
    /// adopts a user found by email that has none itself), or null when no such user is found.
    /// </summary>
    private async Task<ConcordException?> EmailHolderConflictAsync(ContactWork contact, string operation, CancellationToken cancellationToken)
    {
        if (ZendeskMapper.PrimaryEmail(contact.Contact!) is not { } email)
        {
            return null;
        }

        try
        {
            var query = Uri.EscapeDataString($"email:{email}");
            var response = await _api.SendAsync(HttpMethod.Get, $"api/v2/users/search.json?query={query}", null, ZendeskJsonContext.Default.UsersEnvelope, operation, "user search by email", idempotent: true, cancellationToken).ConfigureAwait(false);
            var holder = (response.Value?.Users ?? []).FirstOrDefault(u => u.Active && !string.Equals(u.ExternalId, contact.Key, StringComparison.OrdinalIgnoreCase));
            if (holder is null)
            {
                return null;
            }

            var whose = string.IsNullOrEmpty(holder.ExternalId) ? "and no external id of its own" : "under another external id";
            return new ConcordException(
                ErrorCategory.Conflict,
                $"Zendesk user {Id(holder.Id)} already holds the email of contact {PersonalDataMasker.MaskIdentifier(contact.Key)} {whose}; an email belongs to one Zendesk user, so the contact was not written. Merge the two users or link them by hand.")
            {
                System = Name,
                Operation = operation,
                StatusCode = contact.Error?.StatusCode ?? 422,
                VendorErrorCode = ZendeskErrorClassifier.DuplicateValue,
                FieldErrors = [new FieldError("email", $"already an email of Zendesk user {Id(holder.Id)}", ZendeskErrorClassifier.DuplicateValue)],
            };
        }
        catch (ConcordException ex) when (ex.IsRecordLevel)
        {
            return null;
        }
    }

    private async Task AddMembershipAsync(ContactWork contact, string operation, CancellationToken cancellationToken)
    {
        var body = ZendeskApiClient.Serialize(
            new MembershipWriteEnvelope { OrganizationMembership = new MembershipWrite { UserId = contact.Id!.Value, OrganizationId = contact.OrganizationId } },
            ZendeskJsonContext.Default.MembershipWriteEnvelope);
        try
        {
            await _api.SendAsync<System.Text.Json.JsonElement>(HttpMethod.Post, "api/v2/organization_memberships.json", body, null, operation, $"membership of user {PersonalDataMasker.MaskIdentifier(contact.Key)}", idempotent: true, cancellationToken).ConfigureAwait(false);
            contact.Written = true;
        }
        catch (ConcordException ex) when (ex.StatusCode == 422 && ex.Category == ErrorCategory.Conflict)
        {
            // Already a member: that is what we wanted.
        }
    }

    private async Task MakeEmailPrimaryAsync(ContactWork contact, string operation, CancellationToken cancellationToken)
    {
        var email = ZendeskMapper.PrimaryEmail(contact.Contact!)!;
        var userId = Id(contact.Id!.Value);
        var where = $"identities of user {PersonalDataMasker.MaskIdentifier(contact.Key)}";
        var identities = await _api.SendAsync(HttpMethod.Get, $"api/v2/users/{userId}/identities.json", null, ZendeskJsonContext.Default.IdentitiesEnvelope, operation, where, idempotent: true, cancellationToken).ConfigureAwait(false);
        var identity = identities.Value?.Identities?.FirstOrDefault(i => i.Type == "email" && string.Equals(i.Value, email, StringComparison.OrdinalIgnoreCase));
        if (identity is null)
        {
            var body = ZendeskApiClient.Serialize(new IdentityWriteEnvelope { Identity = new IdentityWrite { Value = email } }, ZendeskJsonContext.Default.IdentityWriteEnvelope);
            var created = await _api.SendAsync(HttpMethod.Post, $"api/v2/users/{userId}/identities.json", body, ZendeskJsonContext.Default.IdentityEnvelope, operation, where, idempotent: false, cancellationToken).ConfigureAwait(false);
            identity = created.Value?.Identity;
        }

        if (identity is { Primary: false })
        {
            await _api.SendAsync<System.Text.Json.JsonElement>(HttpMethod.Put, $"api/v2/users/{userId}/identities/{Id(identity.Id)}/make_primary.json", [], null, operation, where, idempotent: true, cancellationToken).ConfigureAwait(false);
        }

        contact.Written = true;
    }

    /// <summary>One end user to write (one contact id, however many customers of the batch name it).</summary>
    private sealed class ContactWork(string key)
    {
        public string Key { get; } = key;

        public Contact? Contact { get; set; }

        public long OrganizationId { get; set; }

        public List<OrganizationWork> Owners { get; } = [];

        public UserDto? Existing { get; set; }

        public UserWrite? Write { get; set; }

        public bool NeedsMembership { get; set; }

        /// <summary>Found by its Zendesk id (the engine adopted it), not by its key: written by id.</summary>
        public bool ById { get; set; }

        public bool EmailChange { get; set; }

        public long? Id { get; set; }

        public bool Written { get; set; }

        public ConcordException? Error { get; set; }
    }
}
