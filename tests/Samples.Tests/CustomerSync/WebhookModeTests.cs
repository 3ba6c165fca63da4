using Concord.Samples.CustomerSync;
using Concord.Samples.CustomerSync.Webhooks;

namespace Concord.Samples.Tests.CustomerSync;

/// <summary>
/// <c>dotnet run --project samples/CustomerSync -- --webhooks</c>, in process and smaller: HubSpot renames sent as signed
/// webhooks to the sample's endpoint on 127.0.0.1 reach Odoo without a poll, and the safety-net poll writes nothing again.
/// </summary>
[Collection(SampleConsoleCollection.Name)]
public sealed class WebhookModeTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("concord-sample-webhooks-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Renames_in_hubspot_reach_odoo_through_the_webhook_endpoint_and_the_poll_after_writes_nothing()
    {
        var settings = new SampleSettings { StatePath = Path.Combine(_folder, "state.db"), WebhookCompanies = 4, WebhookEdits = 2 };
        var (exitCode, text) = await SampleConsoleCollection.CaptureAsync(() => WebhookDemo.RunAsync([], settings, CancellationToken.None));

        Assert.True(exitCode == 0, text);
        Assert.Contains("webhook endpoint http://127.0.0.1:", text, StringComparison.Ordinal);
        Assert.Contains("2 of 2 renames reached Odoo through the webhook path", text, StringComparison.Ordinal);
        Assert.Contains("HubSpot change-feed searches meanwhile: 0; events: 2 customer.updated", text, StringComparison.Ordinal);
        Assert.Contains("Odoo holds 4 companies for 4 in HubSpot; inbox entries still pending: 0; the safety-net poll wrote 0.", text, StringComparison.Ordinal);
    }
}
