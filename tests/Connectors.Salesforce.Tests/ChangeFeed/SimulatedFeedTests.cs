using System.Globalization;
using Concord.Canonical.Connectors;
using Concord.Testing.Salesforce;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Concord.Connectors.Salesforce.Tests.ChangeFeed;

/// <summary>
/// What the change-feed tests share: a Salesforce simulator on a fake clock (which the connector can be given too), seeding
/// accounts a number per second, and reading a feed to its end.
/// </summary>
public abstract class SimulatedFeedTests : IDisposable
{
    protected SimulatedFeedTests()
    {
        Sim = new SalesforceSimulator(new SalesforceSimulatorOptions { TimeProvider = Clock });
    }

    /// <summary>The simulator's clock, from 2026-11-23 10:00 UTC.</summary>
    protected FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));

    protected SalesforceSimulator Sim { get; }

    public void Dispose()
    {
        Sim.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Gives the connector the simulator's clock.</summary>
    protected void UseClock(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);

    /// <summary>Seeds accounts <c>feed-0</c>… (<c>Account 0</c>…), <paramref name="perSecond"/> in each second of the clock.</summary>
    protected void SeedAccounts(int count, int perSecond)
    {
        for (var i = 0; i < count; i++)
        {
            if (i > 0 && i % perSecond == 0)
            {
                Clock.Advance(TimeSpan.FromSeconds(1));
            }

            Sim.SeedAccount(string.Create(CultureInfo.InvariantCulture, $"feed-{i}"), string.Create(CultureInfo.InvariantCulture, $"Account {i}"));
        }
    }

    /// <summary>Every change a read from <paramref name="from"/> yields.</summary>
    protected static async Task<List<CustomerChange>> ReadAsync(ISalesforceConnector connector, ChangeCursor? from)
    {
        var changes = new List<CustomerChange>();
        await foreach (var change in connector.ReadChangesAsync(from))
        {
            changes.Add(change);
        }

        return changes;
    }
}
