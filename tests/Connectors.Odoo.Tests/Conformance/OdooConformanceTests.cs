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

    // Klingon is not an installed language: Odoo refuses the row (ValueError inside load), not the call.
    protected override CanonicalCustomer RejectedCustomer(string canonicalId) => ValidCustomer(canonicalId) with { Language = "tlh-AQ" };
}
