using System.Collections.Immutable;
using Concord.Canonical;
using Concord.Canonical.Connectors;
using Concord.Connectors.Conformance;
using Concord.Connectors.Odoo.Tests.Support;

namespace Concord.Connectors.Odoo.Tests.Conformance;

/// <summary>The shared connector contract, run against the Odoo connector and simulator.</summary>
public sealed class OdooConformanceTests : CustomerConnectorConformanceTests
{
    private OdooFixture? _fixture;

    protected override Task<ICustomerConnector> CreateConnectorAsync()
    {
        _fixture = OdooFixture.Start();
        return Task.FromResult<ICustomerConnector>(_fixture.Connector);
    }

    protected override IReadOnlyList<SentRequest> SentRequests() =>
        [.. _fixture!.Simulator.Journal.Entries.Select(e => new SentRequest(e.Method, e.Path, e.Headers, e.Body))];

    protected override async Task DisposeConnectorAsync()
    {
        if (_fixture is not null)
        {
            await _fixture.DisposeAsync();
        }
    }

    // The partner's reference is the custom attribute Odoo keeps.
    protected override ImmutableSortedDictionary<string, string> RichAttributes { get; } =
        ImmutableSortedDictionary<string, string>.Empty.Add("ref", "CONF-1");

    // The simulated database has no Japan (res.country): Odoo cannot take the customer's address, for this record only.
    protected override CanonicalCustomer RejectedCustomer(string canonicalId) =>
        ValidCustomer(canonicalId) with { Addresses = [new PostalAddress { Role = AddressRole.Main, City = "Tokyo", Country = "JP" }] };
}
