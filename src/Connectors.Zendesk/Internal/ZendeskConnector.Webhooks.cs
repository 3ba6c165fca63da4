using System.Globalization;
using Concord.Connectors.Zendesk.Api;

namespace Concord.Connectors.Zendesk.Internal;

/// <summary>
/// Webhook hints: an organization event names the customer itself; a user event (<c>zen:user:{id}</c>) names the
/// organization the user belongs to now and, when the change feed last read the user elsewhere, that one too (a user moved
/// between organizations changes both; the feed's reads are kept in the <see cref="Canonical.Connectors.IConnectorStateStore"/>). Users come from <c>users/show_many?ids=</c>, 100 a call.
/// </summary>
internal sealed partial class ZendeskConnector
{
    private const string ResolveOperation = "resolve-hints";

    public async Task<IReadOnlyList<string>> ResolveCustomerIdsAsync(string? objectType, IReadOnlyList<string> objectIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(objectIds);
        var ids = objectIds.Select(id => long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : (long?)null)
            .OfType<long>()
            .Distinct()
            .ToList();
        if (objectType is null or "organization")
        {
            return [.. ids.Select(Id)];
        }

        if (objectType != "user" || ids.Count == 0)
        {
            return []; // no other Zendesk record is, or belongs to, a customer
        }

        var organizations = new System.Collections.Concurrent.ConcurrentDictionary<long, bool>();
        await Concurrently(ids.Chunk(ShowManyLimit), async (chunk, ct) =>
        {
            var path = "api/v2/users/show_many.json?ids=" + string.Join(',', chunk.Select(Id));
            var response = await _api.SendAsync(HttpMethod.Get, path, null, ZendeskJsonContext.Default.UsersEnvelope, ResolveOperation, $"{chunk.Length} users by id", idempotent: true, ct).ConfigureAwait(false);
            var found = (response.Value?.Users ?? []).ToDictionary(u => u.Id);
            var histories = await _state.GetAsync(Name, [.. chunk.Select(UserOrganizationHistory.Key)], ct).ConfigureAwait(false);
            var updated = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var id in chunk)
            {
                // The organization the user was last read in (by the feed or an earlier hint); a user Zendesk no longer
                // answers for (deleted for good) still names that one.
                var key = UserOrganizationHistory.Key(id);
                var history = histories.GetValueOrDefault(key);
                var lastRead = UserOrganizationHistory.Before(history, long.MaxValue);
                var inOrganizations = found.TryGetValue(id, out var user)
                    ? OrganizationsOf(lastRead, user.OrganizationId)
                    : lastRead is { } before ? [before] : [];
                if (user?.UpdatedAt is { } changedAt)
                {
                    // Read now, as the feed would: its next read of this change then finds the organization left here.
                    updated[key] = UserOrganizationHistory.With(history, user.OrganizationId, changedAt.ToUnixTimeSeconds());
                }

                foreach (var organization in inOrganizations)
                {
                    organizations.TryAdd(organization, true);
                }
            }

            if (updated.Count > 0)
            {
                await _state.SaveAsync(Name, updated, ct).ConfigureAwait(false);
            }
        }, cancellationToken).ConfigureAwait(false);
        return [.. organizations.Keys.Order().Select(Id)];
    }
}
