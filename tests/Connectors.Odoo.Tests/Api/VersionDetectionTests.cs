using System.Diagnostics;
using Concord.Connectors.Odoo.Tests.Support;
using Concord.Testing.Odoo;

namespace Concord.Connectors.Odoo.Tests.Api;

/// <summary>Detecting the server version is not an error: no request of the probe fails, so no span is marked Error.</summary>
public sealed class VersionDetectionTests
{
    [Theory]
    [InlineData("16.0", "JsonRpc")]
    [InlineData("17.0", "JsonRpc")]
    [InlineData("18.0", "JsonRpc")]
    [InlineData("19.0", "Json2")]
    public async Task Auto_detects_the_version_without_a_failing_request_or_an_error_span(string version, string flavor)
    {
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "System.Net.Http",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                lock (spans)
                {
                    spans.Add(a);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        await using var odoo = OdooFixture.Start(new OdooSimulatorOptions { ServerVersion = version });

        await odoo.Connector.GetAsync("1");

        Assert.Equal(version, await odoo.Connector.GetServerVersionAsync());
        Assert.All(odoo.Simulator.Journal.Entries, e => Assert.True(e.StatusCode < 400, $"{e.Method} {e.Path} answered {e.StatusCode}"));
        List<Activity> mine;
        lock (spans)
        {
            mine = [.. spans.Where(a => Equals(a.GetTagItem("server.port"), odoo.Simulator.BaseAddress.Port))];
        }

        Assert.NotEmpty(mine);
        Assert.All(mine, a => Assert.NotEqual(ActivityStatusCode.Error, a.Status));
        Assert.Equal(flavor == "Json2", odoo.Simulator.Journal.Entries.Any(e => e.Path.StartsWith("/json/2/", StringComparison.Ordinal)));
    }
}
