using System.Collections.Immutable;
using Concord.Canonical;
using Concord.Canonical.Connectors;
using Concord.Connectors.Conformance;
using Concord.Testing;
using Concord.Testing.Zendesk;

namespace Concord.Connectors.Zendesk.Tests.Conformance;

/// <summary>The shared connector contract, run against the Zendesk connector and simulator.</summary>
/// <remarks>
/// The simulator holds back nothing from its incremental exports here (<see cref="ZendeskSimulatorOptions.IncrementalExportLag"/>
/// zero): the shared feed fact reads right after it writes, and Zendesk returns a change only once it is a minute old.
/// The one-minute rule itself is pinned by the change-feed tests, on a simulator that keeps it.
/// </remarks>
public sealed class ZendeskConformanceTests : CustomerConnectorConformanceTests
{
    private ZendeskSimulator? _simulator;
    private TestConnector<IZendeskConnector>? _connector;

    protected override Task<ICustomerConnector> CreateConnectorAsync()
    {
        _simulator = new ZendeskSimulator(new ZendeskSimulatorOptions { IncrementalExportLag = TimeSpan.Zero, BulkUserImportEnabled = true });
        _connector = _simulator.CreateConnector(o => o.CustomFieldMappings["industry"] = "industry");
        return Task.FromResult<ICustomerConnector>(_connector.Connector);
    }

    protected override IReadOnlyList<SentRequest> SentRequests() =>
        [.. _simulator!.Journal.Entries.Select(e => new SentRequest(e.Method, e.Path, e.Headers, e.Body))];

    protected override async Task DisposeConnectorAsync()
    {
        if (_connector is not null)
        {
            await _connector.DisposeAsync();
        }

        if (_simulator is not null)
        {
            await _simulator.DisposeAsync();
        }
    }

    // The custom attribute the connector maps (CustomFieldMappings: industry → the organization field 'industry').
    protected override ImmutableSortedDictionary<string, string> RichAttributes { get; } =
        ImmutableSortedDictionary<string, string>.Empty.Add("industry", "Manufacturing");

    // Zendesk refuses a domain name that is not one: this record fails in its job, the others are written.
    protected override CanonicalCustomer RejectedCustomer(string canonicalId) => ValidCustomer(canonicalId) with { Domain = "not a domain" };
}
