using System.Globalization;
using System.Runtime.CompilerServices;
using Concord.Canonical.Connectors;
using Concord.Canonical.Errors;
using Concord.Connectors.Zendesk.Api;
using Concord.Connectors.Zendesk.Diagnostics;

namespace Concord.Connectors.Zendesk.Internal;

internal sealed partial class ZendeskConnector
{
    /// <summary>Zendesk never returns the last minute and refuses a younger <c>start_time</c>; one more second of margin.</summary>
    private static readonly TimeSpan ExportLag = TimeSpan.FromSeconds(61);

    /// <summary>
    /// The incremental exports as the change feed, the whole family kept under its requests-a-minute budget:
    /// organizations by time (<c>start_time</c> at least a minute old; the records sharing a page's last second come again
    /// on the next page and are skipped by (id, updated_at); <c>end_of_stream</c> ends it), deleted organizations as
    /// deletions; then users by cursor, each changed, deleted or merged user surfacing as a change of the organization it
    /// belongs to (and of the one it left, when this process saw it there), once per page.
    /// </summary>
    public async IAsyncEnumerable<CustomerChange> ReadChangesAsync(ChangeCursor? from, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        const string Operation = "read-changes";
        var state = from is null ? ZendeskChangeCursor.Beginning : ZendeskChangeCursor.Parse(from, Name);
        var newest = (_session.Time.GetUtcNow() - ExportLag).ToUnixTimeSeconds();

        // 1. Organizations, time-based.
        var orgStart = Math.Min(state.OrganizationStart, newest);
        var orgSeen = state.OrganizationsSeen.Where(p => p.Updated == orgStart).ToHashSet();
        var handled = new HashSet<(long, long)>(orgSeen);

        // What this enumeration already yielded per organization: a user change that leaves it as it was yields nothing.
        var yielded = new Dictionary<long, Concord.Canonical.CanonicalCustomer>();
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
                state = state with { OrganizationStart = orgStart, OrganizationsSeen = [.. orgSeen] };
                var snapshot = _mapper.ToCustomer(organization, members);
                yielded[organization.Id] = snapshot;
                yield return new CustomerChange
                {
                    Kind = deleted ? ChangeKind.Deleted : ChangeKind.Upserted,
                    ExternalId = Id(organization.Id),
                    Customer = snapshot,
                    ModifiedAt = organization.DeletedAt ?? organization.UpdatedAt ?? DateTimeOffset.FromUnixTimeSeconds(updated),
                    Cursor = state.ToChangeCursor(),
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

        // 2. Users, by cursor (time-based from the last user change second when a cursor is refused).
        var userCursor = state.UserCursor;
        var userStart = Math.Min(state.UserStart, newest);
        var usersHandled = new HashSet<(long, long)>(state.UsersSeen);
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

            // Each organization a changed user touches, once per page, at the position of the last user touching it.
            var users = (page.Users ?? []).Where(u => usersHandled.Add((u.Id, u.UpdatedAt?.ToUnixTimeSeconds() ?? 0))).ToList();
            var touched = new List<(long Organization, int Last, DateTimeOffset When)>();
            for (var i = 0; i < users.Count; i++)
            {
                var user = users[i];
                var when = user.UpdatedAt ?? _session.Time.GetUtcNow();
                userStart = Math.Max(userStart, when.ToUnixTimeSeconds());
                foreach (var organization in OrganizationsOf(user))
                {
                    touched.RemoveAll(t => t.Organization == organization);
                    touched.Add((organization, i, when));
                }
            }

            var pageCursor = userCursor;
            var after = page.AfterCursor ?? userCursor;
            for (var t = 0; t < touched.Count; t++)
            {
                var (organizationId, last, when) = touched[t];
                var customers = await ReadOrganizationsAsync([organizationId], Operation, cancellationToken).ConfigureAwait(false);
                if (!customers.TryGetValue(organizationId, out var customer))
                {
                    continue; // deleted: the organization export says so
                }

                // Already yielded in this read exactly as it is now (its own change came first): nothing new to say. The
                // user position then advances with the next change yielded; if none follows, the next read repeats it once.
                var isLast = t == touched.Count - 1;
                if (yielded.TryGetValue(organizationId, out var before) && before.Equals(customer))
                {
                    continue;
                }

                // Resuming here re-reads this page (at-least-once): the organization snapshots it yields again are the same.
                state = state with
                {
                    OrganizationStart = orgStart,
                    OrganizationsSeen = [.. orgSeen],
                    UserCursor = isLast ? after : pageCursor,
                    UserStart = userStart,
                    UsersSeen = isLast ? [] : [.. users.Take(last + 1).Select(u => (u.Id, u.UpdatedAt?.ToUnixTimeSeconds() ?? 0))],
                };
                yielded[organizationId] = customer;
                yield return new CustomerChange
                {
                    Kind = ChangeKind.Upserted,
                    ExternalId = Id(organizationId),
                    Customer = customer,
                    ModifiedAt = when,
                    Cursor = state.ToChangeCursor(),
                };
            }

            userCursor = after;
            if (page.EndOfStream || string.IsNullOrEmpty(after))
            {
                break;
            }
        }
    }

    /// <summary>The organizations a user change concerns: its organization now, and the one this process last saw it in.</summary>
    private IEnumerable<long> OrganizationsOf(UserDto user)
    {
        if (_userOrganizations.TryGetValue(user.Id, out var before) && before != user.OrganizationId)
        {
            yield return before;
        }

        if (user.OrganizationId is { } now)
        {
            yield return now;
            if (user.Active)
            {
                Remember(user.Id, now);
            }
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
