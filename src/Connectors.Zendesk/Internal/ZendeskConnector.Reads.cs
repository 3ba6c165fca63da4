using System.Globalization;
using Concord.Canonical;
using Concord.Canonical.Connectors;
using Concord.Connectors.Zendesk.Api;

namespace Concord.Connectors.Zendesk.Internal;

internal sealed partial class ZendeskConnector
{
    private const string ReadOperation = "read";

    public async Task<CanonicalCustomer?> GetAsync(string externalId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(externalId);
        var found = await GetManyAsync([externalId], cancellationToken).ConfigureAwait(false);
        return found[0];
    }

    /// <summary>One <c>organizations/show_many?ids=</c> per 100 ids, then each organization's members (cursor pages of 100).</summary>
    public async Task<IReadOnlyList<CanonicalCustomer?>> GetManyAsync(IReadOnlyList<string> externalIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(externalIds);
        var ids = externalIds.Select(id => long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : (long?)null).ToList();
        var customers = await ReadOrganizationsAsync([.. ids.OfType<long>().Distinct()], ReadOperation, cancellationToken).ConfigureAwait(false);
        return [.. ids.Select(id => id is { } key && customers.TryGetValue(key, out var customer) ? customer : null)];
    }

    /// <summary>The live organizations with <paramref name="ids"/> and their contacts, by id.</summary>
    private async Task<Dictionary<long, CanonicalCustomer>> ReadOrganizationsAsync(IReadOnlyList<long> ids, string operation, CancellationToken cancellationToken)
    {
        var organizations = new List<OrganizationDto>();
        foreach (var chunk in ids.Chunk(ShowManyLimit))
        {
            organizations.AddRange((await ShowOrganizationsAsync("ids", chunk.Select(Id), operation, cancellationToken).ConfigureAwait(false)).Where(o => o.DeletedAt is null));
        }

        var customers = new System.Collections.Concurrent.ConcurrentDictionary<long, CanonicalCustomer>();
        await Concurrently(organizations, async (organization, ct) =>
        {
            var members = await MembersAsync(organization.Id, operation, ct).ConfigureAwait(false);
            customers[organization.Id] = _mapper.ToCustomer(organization, members);
        }, cancellationToken).ConfigureAwait(false);
        return new Dictionary<long, CanonicalCustomer>(customers);
    }

    /// <summary>An organization's users, following cursor pages.</summary>
    private async Task<List<UserDto>> MembersAsync(long organizationId, string operation, CancellationToken cancellationToken)
    {
        var users = new List<UserDto>();
        string? path = $"api/v2/organizations/{Id(organizationId)}/users.json?page[size]=100";
        while (path is not null)
        {
            var response = await _api.SendAsync(HttpMethod.Get, path, null, ZendeskJsonContext.Default.UsersEnvelope, operation, $"users of organization {Id(organizationId)}", idempotent: true, cancellationToken, tolerateNotFound: true).ConfigureAwait(false);
            var page = response.Value;
            foreach (var user in page?.Users ?? [])
            {
                users.Add(user);
            }

            path = page?.Meta?.HasMore == true && page.Links?.Next is { Length: > 0 } next ? Relative(next) : null;
        }

        return users;
    }

    public async Task<IReadOnlyList<CanonicalCustomer>> FindAsync(MatchKeys keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var found = await FindManyAsync([keys], cancellationToken).ConfigureAwait(false);
        return found[0];
    }

    /// <summary>
    /// One search per distinct key across every entry: organizations by domain (<c>search?query=type:organization
    /// domain_names:…</c>), end users by email (<c>users/search?query=email:…</c>, their default organization); then the
    /// organizations found, read once. Best match (most keys) first. Tax ids and references are not searchable in Zendesk.
    /// </summary>
    public async Task<IReadOnlyList<IReadOnlyList<CanonicalCustomer>>> FindManyAsync(IReadOnlyList<MatchKeys> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        const string Operation = "find";
        var byDomain = new Dictionary<string, List<long>>(StringComparer.OrdinalIgnoreCase);
        var byEmail = new Dictionary<string, List<long>>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in keys)
        {
            if (entry is null)
            {
                continue;
            }

            if (!string.IsNullOrWhiteSpace(entry.Domain) && !byDomain.ContainsKey(entry.Domain))
            {
                byDomain[entry.Domain] = await SearchDomainAsync(entry.Domain.Trim(), Operation, cancellationToken).ConfigureAwait(false);
            }

            foreach (var email in entry.Emails.IsDefault ? [] : entry.Emails)
            {
                if (!string.IsNullOrWhiteSpace(email) && !byEmail.ContainsKey(email))
                {
                    byEmail[email] = await SearchEmailAsync(email.Trim(), Operation, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        var all = byDomain.Values.Concat(byEmail.Values).SelectMany(ids => ids).Distinct().ToList();
        var customers = all.Count == 0 ? [] : await ReadOrganizationsAsync(all, Operation, cancellationToken).ConfigureAwait(false);
        var answers = new IReadOnlyList<CanonicalCustomer>[keys.Count];
        for (var i = 0; i < keys.Count; i++)
        {
            var entry = keys[i];
            var hits = new Dictionary<long, int>();
            if (entry is not null)
            {
                if (!string.IsNullOrWhiteSpace(entry.Domain))
                {
                    Count(hits, byDomain[entry.Domain]);
                }

                foreach (var email in entry.Emails.IsDefault ? [] : entry.Emails)
                {
                    if (!string.IsNullOrWhiteSpace(email))
                    {
                        Count(hits, byEmail[email]);
                    }
                }
            }

            answers[i] = [.. hits.Where(h => customers.ContainsKey(h.Key)).OrderByDescending(h => h.Value).ThenBy(h => h.Key).Select(h => customers[h.Key])];
        }

        return answers;

        static void Count(Dictionary<long, int> hits, List<long> ids)
        {
            foreach (var id in ids.Distinct())
            {
                hits[id] = hits.GetValueOrDefault(id) + 1;
            }
        }
    }

    private async Task<List<long>> SearchDomainAsync(string domain, string operation, CancellationToken cancellationToken)
    {
        var query = Uri.EscapeDataString($"type:organization domain_names:\"{domain.Replace("\"", string.Empty, StringComparison.Ordinal)}\"");
        var response = await _api.SendAsync(HttpMethod.Get, $"api/v2/search.json?query={query}", null, ZendeskJsonContext.Default.SearchEnvelope, operation, "organization search by domain", idempotent: true, cancellationToken).ConfigureAwait(false);
        return [.. (response.Value?.Results ?? []).Where(o => o.Id > 0 && (o.DomainNames ?? []).Contains(domain, StringComparer.OrdinalIgnoreCase)).Select(o => o.Id)];
    }

    private async Task<List<long>> SearchEmailAsync(string email, string operation, CancellationToken cancellationToken)
    {
        var query = Uri.EscapeDataString($"email:{email}");
        var response = await _api.SendAsync(HttpMethod.Get, $"api/v2/users/search.json?query={query}", null, ZendeskJsonContext.Default.UsersEnvelope, operation, "user search by email", idempotent: true, cancellationToken).ConfigureAwait(false);
        return [.. (response.Value?.Users ?? []).Where(u => u.Active && u.OrganizationId is not null && string.Equals(u.Email, email, StringComparison.OrdinalIgnoreCase)).Select(u => u.OrganizationId!.Value)];
    }

    /// <summary>A <c>next</c> link as a path relative to the base address (the link is absolute, on the account's host).</summary>
    private static string Relative(string link) =>
        Uri.TryCreate(link, UriKind.Absolute, out var absolute) ? absolute.PathAndQuery.TrimStart('/') : link.TrimStart('/');
}
