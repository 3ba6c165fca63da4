using System.Diagnostics;
using System.Globalization;
using Concord.Samples.CustomerSync;
using Microsoft.Extensions.Hosting;
using Xunit.Abstractions;

namespace Concord.Samples.Tests.CustomerSync;

/// <summary>
/// <c>dotnet run --project samples/CustomerSync</c>, the README's first command, in process with its default settings
/// (500 accounts, 50 edits) on the embedded simulators: both flows finish, and Odoo, HubSpot and Zendesk each hold every
/// valid account once. How long it took goes to the test output only; speed is for the benchmarks.
/// </summary>
[Collection(SampleConsoleCollection.Name)]
public sealed class DefaultModeTests(ITestOutputHelper testOutput) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("concord-sample-default-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task The_demo_syncs_salesforce_to_odoo_hubspot_and_zendesk_with_no_customer_written_twice()
    {
        // No appsettings.json, environment variables or console logger: no Concord:Salesforce section, so the demo.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ContentRootPath = _folder });
        var settings = new SampleSettings { StatePath = Path.Combine(_folder, "state.db") };
        var elapsed = Stopwatch.StartNew();
        var (exitCode, text) = await SampleConsoleCollection.CaptureAsync(() => SyncMode.RunAsync(builder, settings, CancellationToken.None));
        testOutput.WriteLine(string.Create(CultureInfo.InvariantCulture, $"default mode, {settings.Accounts} accounts: {elapsed.Elapsed.TotalSeconds:0.0} s"));

        Assert.True(exitCode == 0, text);
        Assert.Contains("Seeded 500 Salesforce accounts with 1029 contacts (20 duplicates by website, 10 with an invalid country)", text, StringComparison.Ordinal);
        Assert.Contains("Flow 'accounts-to-erp': salesforce -> odoo, hubspot", text, StringComparison.Ordinal);
        Assert.Contains("Flow 'accounts-to-support': salesforce -> zendesk", text, StringComparison.Ordinal);
        Assert.DoesNotContain("stopped early", text, StringComparison.Ordinal);
        Assert.Contains("Odoo kept its own tax id and billing street on 15 of 15 companies it already had; companies sharing a website in Odoo: 0.", text, StringComparison.Ordinal);
        Assert.Contains("HubSpot holds 470 companies and 966 contacts; canonical ids held twice: 0.", text, StringComparison.Ordinal);
        Assert.Contains("Zendesk holds 470 organizations and 966 end users with a canonical id; organizations sharing one: 0.", text, StringComparison.Ordinal);
    }
}
