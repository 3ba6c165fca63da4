using Concord.Canonical.Errors;
using Concord.Connectors.Odoo.Tests.Support;
using Concord.Testing.Odoo;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Concord.Connectors.Odoo.Tests.Api;

public sealed class AuthenticationTests
{
    [Fact]
    public async Task Authenticate_runs_once_per_instance_even_for_concurrent_first_calls()
    {
        await using var odoo = OdooFixture.Start();

        await Task.WhenAll(Enumerable.Range(0, 5).Select(i => odoo.Connector.GetAsync((i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture))));
        await odoo.Connector.UpsertAsync(Customers.Request(Customers.Company("auth-1")));

        Assert.Single(odoo.Simulator.Journal.Where(e => e.Body?.Contains("\"authenticate\"", StringComparison.Ordinal) == true));
        Assert.Single(odoo.Simulator.Journal.Where(e => e.Path == "/web/webclient/version_info" || e.Body?.Contains("\"version\"", StringComparison.Ordinal) == true));
    }

    [Fact]
    public async Task Authenticate_false_is_an_authentication_error_and_the_key_is_never_logged()
    {
        using var sim = new OdooSimulator();
        var logs = new FakeLogCollector();
        await using var test = sim.CreateConnector(
            o => o.ApiKey = "ffffffffffffffffffffffffffffffffffffffff",
            s => s.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(logs))));

        var error = await Assert.ThrowsAsync<ConcordException>(() => test.Connector.UpsertAsync(Customers.Request(Customers.Company("auth-2"))));

        Assert.Equal(ErrorCategory.Authentication, error.Category);
        Assert.Equal("authenticate", error.Operation);
        Assert.DoesNotContain("ffffffffffffffffffffffffffffffffffffffff", error.Message, StringComparison.Ordinal);
        Assert.NotEmpty(logs.GetSnapshot());
        Assert.All(logs.GetSnapshot(), r => Assert.DoesNotContain("ffffffffffffffffffffffffffffffffffffffff", r.Message, StringComparison.Ordinal));
        Assert.All(sim.Journal.Entries, e => Assert.DoesNotContain(e.Headers.Values, v => v.Contains("ffffffff", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Unknown_database_is_a_configuration_error_naming_the_option_without_the_traceback()
    {
        using var sim = new OdooSimulator();
        var logs = new FakeLogCollector();
        await using var test = sim.CreateConnector(
            o => o.Database = "nope",
            s => s.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(logs))));

        var error = await Assert.ThrowsAsync<ConcordException>(() => test.Connector.GetAsync("1"));

        Assert.Equal(ErrorCategory.Configuration, error.Category);
        Assert.Equal("psycopg2.OperationalError", error.VendorErrorCode);
        Assert.Contains("OdooConnectorOptions.Database", error.Message, StringComparison.Ordinal);
        Assert.Contains("'nope'", error.Message, StringComparison.Ordinal);
        Assert.Contains(sim.Journal.Entries, e => e.StatusCode == 200);
        Assert.DoesNotContain("Traceback", error.ToString(), StringComparison.Ordinal);
        Assert.All(logs.GetSnapshot(), r => Assert.DoesNotContain("Traceback", r.Message, StringComparison.Ordinal));
    }
}
