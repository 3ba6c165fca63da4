using Concord.Sync.Tests.Engine.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace Concord.Sync.Tests.Flows;

public sealed class FlowHostedServiceTests
{
    [Fact]
    public async Task Polling_flows_run_at_start_and_again_each_interval_and_drain_the_outbox()
    {
        var crm = new FakeCustomerConnector("crm");
        var erp = new FakeCustomerConnector("erp");
        using var harness = new EngineHarness(
            c => c.AddFlow("polled", f => f.From("crm").To("erp").PollEvery(TimeSpan.FromMinutes(1)))
                  .AddFlow("manual", f => f.From("crm").To("erp").PollEvery(null)),
            null,
            crm,
            erp);
        crm.Emit(Customers.Company(1), harness.Time.GetUtcNow());
        var service = Assert.Single(harness.Services.GetServices<IHostedService>().OfType<Concord.Sync.Flows.Internal.FlowHostedService>());

        await service.StartAsync(CancellationToken.None);
        Assert.True(await harness.Publisher.Published.WaitAsync(TimeSpan.FromSeconds(10)));
        crm.Emit(Customers.Company(2), harness.Time.GetUtcNow());
        harness.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.True(await harness.Publisher.Published.WaitAsync(TimeSpan.FromSeconds(10)));
        await service.StopAsync(CancellationToken.None);

        Assert.Equal(2, crm.ReadCalls); // the manual flow never ran on its own
        Assert.Equal(2, erp.Records.Count);
        Assert.Equal(2, harness.Publisher.Events.Count);
    }
}
