using System.Collections.Immutable;
using Concord.Canonical;
using Concord.Canonical.Connectors;
using Concord.Connectors.Conformance;
using Concord.Testing;
using Concord.Testing.HubSpot;

namespace Concord.Connectors.HubSpot.Tests.Conformance;

/// <summary>The shared connector contract, run against the HubSpot connector and simulator (API version 2026-09).</summary>
public sealed class HubSpotConformanceTests : CustomerConnectorConformanceTests
{
    private HubSpotSimulator? _simulator;
    private TestConnector<IHubSpotConnector>? _connector;

    protected override Task<ICustomerConnector> CreateConnectorAsync()
    {
        _simulator = new HubSpotSimulator();
        _connector = _simulator.CreateConnector();
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

    // industry (an enumeration code) and numberOfEmployees are custom attributes the connector maps.
    protected override ImmutableSortedDictionary<string, string> RichAttributes { get; } =
        ImmutableSortedDictionary<string, string>.Empty.Add("industry", "COMPUTER_SOFTWARE").Add("numberOfEmployees", "42");

    // industry is an enumeration: HubSpot refuses a value that is not one of its options, for this record only.
    protected override CanonicalCustomer RejectedCustomer(string canonicalId) =>
        ValidCustomer(canonicalId) with { CustomAttributes = ImmutableSortedDictionary<string, string>.Empty.Add("industry", "NOT_AN_INDUSTRY") };
}

/// <summary>The same contract on the legacy v3/v4 paths (207 multi-status, 204 archives).</summary>
public sealed class HubSpotLegacyConformanceTests : CustomerConnectorConformanceTests
{
    private HubSpotSimulator? _simulator;
    private TestConnector<IHubSpotConnector>? _connector;

    protected override Task<ICustomerConnector> CreateConnectorAsync()
    {
        _simulator = new HubSpotSimulator();
        _connector = _simulator.CreateConnector(o => o.ApiVersion = "v3");
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

    protected override ImmutableSortedDictionary<string, string> RichAttributes { get; } =
        ImmutableSortedDictionary<string, string>.Empty.Add("industry", "COMPUTER_SOFTWARE");

    protected override CanonicalCustomer RejectedCustomer(string canonicalId) =>
        ValidCustomer(canonicalId) with { CustomAttributes = ImmutableSortedDictionary<string, string>.Empty.Add("industry", "NOT_AN_INDUSTRY") };
}
