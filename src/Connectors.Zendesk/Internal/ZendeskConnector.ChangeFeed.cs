using System.Globalization;
using System.Runtime.CompilerServices;
using Concord.Canonical.Connectors;
using Concord.Canonical.Errors;
using Concord.Connectors.Zendesk.Api;
using Concord.Connectors.Zendesk.Diagnostics;

namespace Concord.Connectors.Zendesk.Internal;

internal sealed partial class ZendeskConnector
{
    /// <summary>
    /// The incremental exports as the change feed, the whole family kept under its requests-a-minute budget. Users first,
    /// by cursor (time-based from the last user change second when a cursor is refused): each changed, deleted or merged
    /// user marks the organization it belongs to, and the one it left: the organization it was read in before, kept in the
    /// <see cref="IConnectorStateStore"/> so that a restart (with a durable store) still knows it. Then organizations,
    /// by time: the records sharing a page's last second come again on the next page and are skipped by (id, updated_at),
    /// <c>end_of_stream</c> ends it, deleted organizations are deletions, and an organization read here also covers its
    /// users' changes. Last, the organizations only user changes marked. Every start time comes from Zendesk's own
    /// <c>end_time</c> or <c>updated_at</c>, which it only returns once they are a minute old; a start it still finds too
    /// recent means nothing to read yet.
    /// </summary>
    public async IAsyncEnumerable<CustomerChange> ReadChangesAsync(ChangeCursor? from, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        const string Operation = "read-changes";
        var state = from is null ? ZendeskChangeCursor.Beginning : ZendeskChangeCursor.Parse(from, Name);

        // 1. Users: which organizations their changes concern, in order, with the newest change time of each.
        var touched = new List<(long Organization, DateTimeOffset When)>();
        var userCursor = state.UserCursor;
        var userStart = state.UserStart;
        var usersHandled = new HashSet<(long, long)>(state.UsersSeen);
        var mergeCandidates = new List<(UserDto User, string Email, DateTimeOffset When)>();
        while (true)
        {
            var path = userCursor is null
                ? string.Create(CultureInfo.InvariantCulture, $"api/v2/incremental/users/cursor.json?start_time={userStart}")
                : "api/v2/incremental/users/cursor.json?cursor=" + Uri.EscapeDataString(userCursor);
            UserExportPage? page;
            try
            {
                page = await ExportAsync(path, ZendeskJsonContext.Default.UserExportPage, Operation, cancellationToken).ConfigureAwait(false);
            }
            catch (ConcordException ex) when (userCursor is not null && ex.StatusCode is 400 or 422)
            {
                Log.CursorRefused(_logger, Name);
                userCursor = null;
                continue;
            }

            if (page is null)
            {
                break;
            }

            var users = page.Users ?? [];
            var histories = users.Count == 0
                ? new Dictionary<string, string>()
                : await _state.GetAsync(Name, [.. users.Select(u => UserOrganizationHistory.Key(u.Id)).Distinct()], cancellationToken).ConfigureAwait(false);
            var updatedHistories = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var user in users)
            {
                var when = user.UpdatedAt ?? DateTimeOffset.FromUnixTimeSeconds(userStart);
                if (!usersHandled.Add((user.Id, when.ToUnixTimeSeconds())))
                {
                    continue;
                }

                // The organization the user was read in before this change, from the state store: a restart keeps it.
                var key = UserOrganizationHistory.Key(user.Id);
                var history = updatedHistories.GetValueOrDefault(key) ?? histories.GetValueOrDefault(key);
                var left = UserOrganizationHistory.Before(history, when.ToUnixTimeSeconds());
                updatedHistories[key] = UserOrganizationHistory.With(history, user.OrganizationId, when.ToUnixTimeSeconds());

                userStart = Math.Max(userStart, when.ToUnixTimeSeconds());
                if (user.Active)
                {
                    RememberEmail(user.Id, user.Email);
                }
                else if (string.IsNullOrEmpty(user.Email) && _userEmails.TryRemove(user.Id, out var formerEmail))
                {
                    // Inactive and without its email: a merge moves the loser's identities to the survivor (a deleted
                    // user keeps them). Which user holds the email now says which one survived.
                    mergeCandidates.Add((user, formerEmail, when));
                }

                foreach (var organization in OrganizationsOf(left, user.OrganizationId))
                {
                    var at = touched.FindIndex(t => t.Organization == organization);
                    var newest = at < 0 || when > touched[at].When ? when : touched[at].When;
                    if (at >= 0)
                    {
                        touched.RemoveAt(at);
                    }

                    touched.Add((organization, newest));
                }
            }

            if (updatedHistories.Count > 0)
            {
                await _state.SaveAsync(Name, updatedHistories, cancellationToken).ConfigureAwait(false);
            }

            userCursor = page.AfterCursor ?? userCursor;
            if (page.EndOfStream || string.IsNullOrEmpty(page.AfterCursor))
            {
                break;
            }
        }

        // A change may carry the users' new position only once every organization they marked has been yielded.
        ZendeskChangeCursor Position(long organizationStart, HashSet<(long Id, long Updated)> seen) => touched.Count == 0
            ? new ZendeskChangeCursor(organizationStart, [.. seen], userCursor, userStart, [])
            : new ZendeskChangeCursor(organizationStart, [.. seen], state.UserCursor, state.UserStart, state.UsersSeen);

        // 2. Organizations, time-based.
        var orgStart = state.OrganizationStart;
        var orgSeen = state.OrganizationsSeen.Where(p => p.Updated >= orgStart).ToHashSet();

        // Merged users first: the user merged away, into the survivor. Their organizations come as changes below.
        foreach (var (loser, email, when) in mergeCandidates)
        {
            var query = Uri.EscapeDataString($"email:{email}");
            var found = await _api.SendAsync(HttpMethod.Get, $"api/v2/users/search.json?query={query}", null, ZendeskJsonContext.Default.UsersEnvelope, Operation, "user search by email", idempotent: true, cancellationToken).ConfigureAwait(false);
            if ((found.Value?.Users ?? []).FirstOrDefault(u => u.Active && u.Id != loser.Id) is { } survivor)
            {
                yield return new CustomerChange
                {
                    Kind = ChangeKind.Merged,
                    ExternalId = Id(loser.Id),
                    MergedIntoExternalId = Id(survivor.Id),
                    ModifiedAt = when,
                    Cursor = Position(orgStart, orgSeen).ToChangeCursor(),
                };
            }
        }
        var handled = new HashSet<(long, long)>(state.OrganizationsSeen);
        while (true)
        {
            var path = string.Create(CultureInfo.InvariantCulture, $"api/v2/incremental/organizations.json?start_time={orgStart}");
            var page = await ExportAsync(path, ZendeskJsonContext.Default.OrganizationExportPage, Operation, cancellationToken).ConfigureAwait(false);
            if (page is null)
            {
                break;
            }

            var progressed = false;
            foreach (var organization in page.Organizations ?? [])
            {
                var updated = organization.UpdatedAt?.ToUnixTimeSeconds() ?? orgStart;
                if (!handled.Add((organization.Id, updated)))
                {
                    continue; // a boundary record already handled
                }

                progressed = true;
                if (updated > orgStart)
                {
                    orgStart = updated;
                    orgSeen = [];
                }

                orgSeen.Add((organization.Id, updated));
                var deleted = organization.DeletedAt is not null;
                var members = deleted ? [] : await MembersAsync(organization.Id, Operation, cancellationToken).ConfigureAwait(false);

                // Read now, after every user change of step 1: this snapshot covers them.
                touched.RemoveAll(t => t.Organization == organization.Id);
                yield return new CustomerChange
                {
                    Kind = deleted ? ChangeKind.Deleted : ChangeKind.Upserted,
                    ExternalId = Id(organization.Id),
                    Customer = _mapper.ToCustomer(organization, members),
                    ModifiedAt = organization.DeletedAt ?? organization.UpdatedAt ?? DateTimeOffset.FromUnixTimeSeconds(updated),
                    Cursor = Position(orgStart, orgSeen).ToChangeCursor(),
                };
            }

            if (page.EndOfStream || page.EndTime is not { } end || (end <= orgStart && !progressed))
            {
                break;
            }

            if (end > orgStart)
            {
                orgStart = end;
                orgSeen = [.. orgSeen.Where(p => p.Updated == end)];
            }
        }

        // 3. The organizations only user changes marked.
        while (touched.Count > 0)
        {
            var (organizationId, when) = touched[0];
            var customers = await ReadOrganizationsAsync([organizationId], Operation, cancellationToken).ConfigureAwait(false);
            touched.RemoveAt(0);
            if (!customers.TryGetValue(organizationId, out var customer))
            {
                continue; // deleted: the organization export says so
            }

            yield return new CustomerChange
            {
                Kind = ChangeKind.Upserted,
                ExternalId = Id(organizationId),
                Customer = customer,
                ModifiedAt = when,
                Cursor = Position(orgStart, orgSeen).ToChangeCursor(),
            };
        }
    }

    /// <summary>The organizations a user change concerns: the one it was read in before (when it left it), and its organization now.</summary>
    private static IEnumerable<long> OrganizationsOf(long? before, long? now)
    {
        if (before is { } left && left != now)
        {
            yield return left;
        }

        if (now is { } current)
        {
            yield return current;
        }
    }

    /// <summary>One export page, or null when Zendesk says the start time is still too recent (nothing to read yet).</summary>
    private async Task<T?> ExportAsync<T>(string path, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, string operation, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            var response = await _api.SendAsync(HttpMethod.Get, path, null, type, operation, "incremental export", idempotent: true, cancellationToken, CallKind.Incremental).ConfigureAwait(false);
            return response.Value;
        }
        catch (ConcordException ex) when (ex.StatusCode == 422 && ex.VendorErrorCode == "InvalidValue" && !path.Contains("cursor=", StringComparison.Ordinal))
        {
            return null;
        }
    }
}
