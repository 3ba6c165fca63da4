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

    /// <summary>
    /// Known defect (issue 12, open): an end user adopted by its Zendesk id is keyed on <c>external_id</c> only, so
    /// upserting the adopted contact creates a second end user instead of updating the one it was read as. The
    /// organization itself is updated by its known id and never created again, which the shared fact still pins.
    /// </summary>
    protected override bool UpdatesAdoptedContactsByVendorId => false;

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

    // KNOWN GAP (issue 17 report, not fixed here): a contact read from Zendesk (its ExternalRef) is not written by that user
    // id; the connector writes it by its new canonical id, creating a second end user. The fact checks the gap is still there.
    protected override string? AdoptionGap => "contacts adopted by their Zendesk user id get a twin end user";

    // Zendesk refuses a domain name that is not one: this record fails in its job, the others are written.
    protected override CanonicalCustomer RejectedCustomer(string canonicalId) => ValidCustomer(canonicalId) with { Domain = "not a domain" };
}
