using Concord.Connectors.HubSpot.Mapping;

namespace Concord.Connectors.HubSpot.Internal;

/// <summary>Webhook hints: a company event names the customer itself; a contact event names the companies the contact is linked to now.</summary>
internal sealed partial class HubSpotConnector
{
    public async Task<IReadOnlyList<string>> ResolveCustomerIdsAsync(string? objectType, IReadOnlyList<string> objectIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(objectIds);
        var ids = objectIds.Where(IsId).Distinct(StringComparer.Ordinal).ToList();
        if (ids.Count == 0 || objectType is not ("contact" or "contacts" or "0-1"))
        {
            return ids;
        }

        // One batch read of the links (≤ 1,000 ids a call); a contact linked to no company belongs to no customer.
        var companiesOf = await ReadLinksAsync(HubSpotSchema.Contacts, HubSpotSchema.Companies, ids, "resolve-hints", cancellationToken).ConfigureAwait(false);
        return [.. ids.SelectMany(id => companiesOf.GetValueOrDefault(id) ?? []).Distinct(StringComparer.Ordinal)];
    }
}
