using System.Text.Json;
using Concord.Canonical;
using Concord.Canonical.Normalization;
using Concord.Canonical.Serialization;
using Concord.Sync.Identity;
using Concord.Sync.Ownership;
using Concord.Sync.Storage;

namespace Concord.Sync.Engine;

/// <summary>
/// Echo suppression for webhook hints: when Concord itself wrote a record (another flow had this flow's source as its
/// target), the source's webhook about that write must not bounce back. A hinted record is an echo when it holds, in
/// every field group its system carries, exactly what Concord last wrote and committed there (the write ledger keeps that
/// per link) and no write of Concord's is pending on it: the writer is Concord and the content is Concord's. Such a record
/// is not handled (no target is read or written); anyone's edit since makes the content differ, and it is handled.
/// </summary>
internal sealed partial class Flow
{
    /// <summary>The identity map, to find the customer a hinted record belongs to (set by the runner).</summary>
    internal IIdentityMap? IdentityMap { get; init; }

    /// <summary>The write ledger, which holds what Concord last wrote to each link (set by the runner).</summary>
    internal IWriteLedger? Ledger { get; init; }

    /// <summary>Removes the echoes of Concord's own writes from re-read hinted records; counts them.</summary>
    private async Task<List<(string Id, CanonicalCustomer? Customer)>> WithoutEchoesAsync(List<(string Id, CanonicalCustomer? Customer)> records, RunState run, CancellationToken cancellationToken)
    {
        if (IdentityMap is null || Ledger is null || records.All(r => r.Customer is null))
        {
            return records;
        }

        var refs = records.Where(r => r.Customer is not null).Select(r => new ExternalRef(Source, r.Id)).ToHashSet();
        var owners = await IdentityMap.ResolveAsync(refs, cancellationToken).ConfigureAwait(false);
        var kept = new List<(string Id, CanonicalCustomer? Customer)>(records.Count);
        foreach (var record in records)
        {
            if (record.Customer is { } customer && owners.GetValueOrDefault(new ExternalRef(Source, record.Id)) is { } canonicalId
                && await Ledger.GetAsync(canonicalId, Source, cancellationToken).ConfigureAwait(false) is { Pending: null, WrittenPayload: { } written }
                && IsOwnWrite(customer, written))
            {
                run.EchoesSuppressed++;
                continue;
            }

            kept.Add(record);
        }

        return kept;
    }

    /// <summary>Whether <paramref name="current"/> holds what Concord wrote in every field group the source carries.</summary>
    private bool IsOwnWrite(CanonicalCustomer current, string writtenJson)
    {
        CanonicalCustomer written;
        try
        {
            written = CanonicalJson.Deserialize(writtenJson);
        }
        catch (JsonException)
        {
            return false;
        }

        if (!CustomerNormalizer.TryNormalize(current, out var normalized, out _))
        {
            return false;
        }

        var carried = _sourceConnector!.Capabilities;
        return CustomerFields.All.Where(carried.Carries).All(field => CustomerFields.Same(field, normalized, written));
    }
}
