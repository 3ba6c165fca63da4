using System.Runtime.CompilerServices;
using System.Text.Json;
using Concord.Canonical;
using Concord.Canonical.Connectors;
using Microsoft.Extensions.DependencyInjection;

namespace Concord.Soak.Runner;

/// <summary>A change the source's feed delivered to the engine: which record, and the name and contact names it carried.</summary>
internal sealed record FeedDelivery(string SourceId, string Name, IReadOnlyList<(string Email, string Name)> Contacts);

/// <summary>
/// Wraps the source connector of the feed flow and appends every change its feed delivers to a file (one JSON line each,
/// written through), so that a stale value in Odoo can be told apart: the feed never delivered the newest value, or it
/// did and the engine did not write it. Everything else goes straight to the connector.
/// </summary>
internal sealed class FeedRecorder(ICustomerConnector inner, string path) : ICustomerConnector
{
    private readonly Lock _gate = new();

    public string Name => inner.Name;

    public ConnectorCapabilities Capabilities => inner.Capabilities;

    /// <summary>Replaces the keyed registration of <paramref name="connector"/> with one wrapped in a recorder writing to <paramref name="path"/>.</summary>
    public static void Wrap(IServiceCollection services, string connector, string path)
    {
        var original = services.Single(d => d.ServiceType == typeof(ICustomerConnector) && d.IsKeyedService && Equals(d.ServiceKey, connector));
        services.Remove(original);
        services.AddKeyedSingleton<ICustomerConnector>(connector, (sp, key) => new FeedRecorder(original.KeyedImplementationFactory!(sp, key) as ICustomerConnector ?? throw new InvalidOperationException("Not a connector."), path));
    }

    public Task<CanonicalCustomer?> GetAsync(string externalId, CancellationToken cancellationToken = default) => inner.GetAsync(externalId, cancellationToken);

    public Task<IReadOnlyList<CanonicalCustomer>> FindAsync(MatchKeys keys, CancellationToken cancellationToken = default) => inner.FindAsync(keys, cancellationToken);

    public Task<IReadOnlyList<CanonicalCustomer?>> GetManyAsync(IReadOnlyList<string> externalIds, CancellationToken cancellationToken = default) => inner.GetManyAsync(externalIds, cancellationToken);

    public Task<IReadOnlyList<IReadOnlyList<CanonicalCustomer>>> FindManyAsync(IReadOnlyList<MatchKeys> keys, CancellationToken cancellationToken = default) => inner.FindManyAsync(keys, cancellationToken);

    public Task<UpsertResult> UpsertAsync(UpsertRequest request, CancellationToken cancellationToken = default) => inner.UpsertAsync(request, cancellationToken);

    public Task<IReadOnlyList<UpsertResult>> UpsertManyAsync(IReadOnlyList<UpsertRequest> requests, CancellationToken cancellationToken = default) => inner.UpsertManyAsync(requests, cancellationToken);

    public async IAsyncEnumerable<CustomerChange> ReadChangesAsync(ChangeCursor? from, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var change in inner.ReadChangesAsync(from, cancellationToken))
        {
            if (change.Customer is { } customer)
            {
                var line = JsonSerializer.Serialize(new Line(change.ExternalId, customer.Name, [.. customer.Contacts.Where(c => !c.Emails.IsDefaultOrEmpty).Select(c => new[] { c.Emails[0].Address, c.Name })]));
                lock (_gate)
                {
                    File.AppendAllText(path, line + "\n");
                }
            }

            yield return change;
        }
    }

    /// <summary>Every delivery in the file, in order (a line cut short by a kill is skipped).</summary>
    public static List<FeedDelivery> Read(string path)
    {
        var deliveries = new List<FeedDelivery>();
        if (!File.Exists(path))
        {
            return deliveries;
        }

        foreach (var text in File.ReadLines(path))
        {
            try
            {
                if (JsonSerializer.Deserialize<Line>(text) is { } line)
                {
                    deliveries.Add(new FeedDelivery(line.Id, line.Name, [.. line.Contacts.Select(c => (c[0], c[1]))]));
                }
            }
            catch (JsonException)
            {
            }
        }

        return deliveries;
    }

    private sealed record Line(string Id, string Name, string[][] Contacts);
}
