using Concord.Testing;
using Concord.Testing.Odoo;

namespace Concord.Connectors.Odoo.Tests.Support;

/// <summary>A fresh simulator and connector per test (state never leaks between tests).</summary>
internal sealed class OdooFixture : IAsyncDisposable
{
    private OdooFixture(OdooSimulator simulator, TestConnector<IOdooConnector> connector)
    {
        Simulator = simulator;
        Test = connector;
    }

    public OdooSimulator Simulator { get; }

    public TestConnector<IOdooConnector> Test { get; }

    public IOdooConnector Connector => Test.Connector;

    /// <summary>The HTTP calls the connector has sent (internal to the connector; hosts read the concord.vendor.requests metric).</summary>
    public long CallCount => ((Concord.Connectors.Odoo.Internal.OdooConnector)Test.Connector).CallCount;

    public static OdooFixture Start(OdooSimulatorOptions? simulator = null, Action<OdooConnectorOptions>? configure = null)
    {
        var sim = new OdooSimulator(simulator);
        try
        {
            return new OdooFixture(sim, sim.CreateConnector(configure));
        }
        catch
        {
            sim.Dispose();
            throw;
        }
    }

    public int PartnerCount(Func<OdooSimPartner, bool>? predicate = null) => Simulator.Partners.Count(predicate ?? (_ => true));

    public async ValueTask DisposeAsync()
    {
        await Test.DisposeAsync();
        await Simulator.DisposeAsync();
    }
}
