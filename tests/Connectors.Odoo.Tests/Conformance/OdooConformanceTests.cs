using Concord.Canonical;
using Concord.Connectors.Odoo.Tests.Support;

namespace Concord.Connectors.Odoo.Tests.Conformance;

public sealed class OdooConformanceTests : ConnectorConformanceTests
{
    protected override Task<IConnectorUnderTest> StartAsync() => Task.FromResult<IConnectorUnderTest>(new Sut(OdooFixture.Start()));

    protected override CanonicalCustomer ValidCustomer(string canonicalId) => Customers.Company(canonicalId, name: $"Company {canonicalId}", vat: null, email: $"{canonicalId}@example.com");

    // Klingon is not an installed language: Odoo refuses the row (ValueError inside load), not the call.
    protected override CanonicalCustomer InvalidCustomer(string canonicalId) => ValidCustomer(canonicalId) with { Language = "tlh-AQ" };

    private sealed class Sut(OdooFixture fixture) : IConnectorUnderTest
    {
        public ICustomerConnector Connector => fixture.Connector;

        public ValueTask DisposeAsync() => fixture.DisposeAsync();
    }
}
