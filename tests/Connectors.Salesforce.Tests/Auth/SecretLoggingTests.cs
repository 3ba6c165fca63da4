using Concord.Canonical.Errors;
using Concord.Connectors.Salesforce.Tests.TestData;
using Concord.Testing.Salesforce;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Concord.Connectors.Salesforce.Tests.Auth;

public sealed class SecretLoggingTests
{
    [Theory]
    [InlineData(SalesforceAuthMode.ClientCredentials)]
    [InlineData(SalesforceAuthMode.JwtBearer)]
    [InlineData(SalesforceAuthMode.RefreshToken)]
    public async Task No_secret_or_token_reaches_any_log_at_any_level(SalesforceAuthMode mode)
    {
        using var sim = new SalesforceSimulator();
        await using var sf = sim.CreateConnector(
            services: s => s.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddFakeLogging()),
            authMode: mode);
        await sf.Connector.UpsertAsync(Customers.Request(Customers.Company("log-1", contacts: 1)));
        sim.ExpireSessions();
        await sf.Connector.UpsertAsync(Customers.Request(Customers.Company("log-1", contacts: 1)));
        sim.DisableRestApi();
        await Assert.ThrowsAsync<ConcordException>(() => sf.Connector.GetAsync("001SIM000000001AAA"));

        var logs = sf.Services.GetFakeLogCollector().GetSnapshot();
        Assert.NotEmpty(logs);
        Assert.Contains(logs, l => l.Message.Contains("token acquired", StringComparison.OrdinalIgnoreCase));
        var text = string.Join("\n", logs.Select(l => l.Message + " " + string.Join(" ", l.StructuredState?.Select(p => p.Value) ?? [])  + " " + l.Exception));
        Assert.DoesNotContain(sim.Options.ConsumerSecret, text, StringComparison.Ordinal);
        Assert.DoesNotContain(sim.Options.RefreshToken, text, StringComparison.Ordinal);
        Assert.True(!text.Contains("!SIM.", StringComparison.Ordinal), string.Join("\n", logs.Where(l => (l.Message + string.Join(" ", l.StructuredState?.Select(p => p.Value) ?? []) + l.Exception).Contains("!SIM.", StringComparison.Ordinal)).Select(l => l.Category + ": " + l.Message + " | " + string.Join(" ; ", l.StructuredState?.Select(p => p.Key + "=" + p.Value) ?? []))));
        Assert.DoesNotContain("Bearer 00D", text, StringComparison.Ordinal);
        Assert.DoesNotContain("assertion=", text, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", text, StringComparison.Ordinal);
    }
}
