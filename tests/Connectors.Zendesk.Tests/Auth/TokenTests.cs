using System.Collections.Concurrent;
using System.Diagnostics;
using Concord.Canonical.Connectors;
using Concord.Canonical.Errors;
using Concord.Connectors.Zendesk.Tests.TestData;
using Concord.Testing.Zendesk;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Concord.Connectors.Zendesk.Tests.Auth;

public sealed class TokenTests
{
    [Fact]
    public async Task A_hundred_concurrent_calls_without_a_token_make_exactly_one_refresh()
    {
        await using var sim = new ZendeskSimulator();
        await using var zendesk = sim.CreateConnector();

        var reads = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => zendesk.Connector.GetAsync("1")));

        Assert.All(reads, Assert.Null);
        Assert.Equal(1, sim.TokenRequests);
        Assert.Equal(1, sim.Refreshes);
        Assert.DoesNotContain(sim.Journal.Entries, e => e.StatusCode == 401);
    }

    [Fact]
    public async Task A_hundred_concurrent_calls_on_an_expired_token_make_exactly_one_refresh()
    {
        await using var sim = new ZendeskSimulator();
        await using var zendesk = sim.CreateConnector();
        await zendesk.Connector.GetAsync("1");
        sim.ExpireAccessTokens();

        var reads = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => zendesk.Connector.GetAsync("1")));

        Assert.All(reads, Assert.Null);
        Assert.Equal(2, sim.Refreshes);
        Assert.Equal(2, sim.TokenRequests);
    }

    [Fact]
    public async Task A_token_close_to_its_expiry_is_refreshed_before_the_call()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var sim = new ZendeskSimulator();
        await using var zendesk = sim.CreateConnector(o => o.RefreshAhead = TimeSpan.FromMinutes(5), s => s.AddSingleton<TimeProvider>(clock));
        await zendesk.Connector.GetAsync("1");

        clock.Advance(TimeSpan.FromMinutes(24));
        await zendesk.Connector.GetAsync("1");
        var beforeMargin = sim.Refreshes;
        clock.Advance(TimeSpan.FromMinutes(2)); // 26 minutes into a 30-minute token: within the 5-minute margin
        await zendesk.Connector.GetAsync("1");

        Assert.Equal(1, beforeMargin);
        Assert.Equal(2, sim.Refreshes);
        Assert.DoesNotContain(sim.Journal.Entries, e => e.StatusCode == 401);
    }

    [Fact]
    public async Task A_401_refreshes_once_and_replays_the_request_once()
    {
        await using var sim = new ZendeskSimulator();
        await using var zendesk = sim.CreateConnector();
        var id = sim.SeedOrganization("Acme", "a-1");
        await zendesk.Connector.GetAsync("1");
        sim.ExpireAccessTokens();

        var read = await zendesk.Connector.GetAsync(id.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal("Acme", read?.Name);
        Assert.Equal(2, sim.Refreshes);
        var calls = sim.Journal.Where(e => e.Path == $"/api/v2/organizations/show_many.json").Select(e => e.StatusCode).ToList();
        Assert.Equal([200, 401, 200], calls);
    }

    [Fact]
    public async Task A_second_401_after_the_refresh_is_an_Authentication_error_without_a_third_try()
    {
        await using var sim = new ZendeskSimulator();
        await using var zendesk = sim.CreateConnector();
        sim.FailNextApiCalls(2, 401, """{"error":"Couldn't authenticate you"}""", r => r.Path.Contains("show_many", StringComparison.Ordinal));

        var error = await Assert.ThrowsAsync<ConcordException>(() => zendesk.Connector.GetAsync("1"));

        Assert.Equal(ErrorCategory.Authentication, error.Category);
        Assert.Equal(401, error.StatusCode);
        Assert.Equal(2, sim.Journal.Where(e => e.Path.Contains("show_many", StringComparison.Ordinal)).Count);
        Assert.Equal(2, sim.Refreshes);
    }

    [Fact]
    public async Task Rotated_tokens_go_to_the_token_store_and_a_restart_starts_from_them()
    {
        await using var sim = new ZendeskSimulator();
        var store = new RecordingStore();
        var configured = sim.CurrentRefreshToken;
        await using (var first = sim.CreateConnector(services: s => s.AddSingleton<IConnectorTokenStore>(store)))
        {
            await first.Connector.GetAsync("1");
        }

        // The configured refresh token was rotated away: only the stored pair still works.
        await using var restarted = sim.CreateConnector(o => o.RefreshToken = configured, s => s.AddSingleton<IConnectorTokenStore>(store));
        sim.ExpireAccessTokens();
        await restarted.Connector.GetAsync("1");

        Assert.Equal(2, store.Saves.Count);
        Assert.Equal(sim.CurrentRefreshToken, store.Saves[^1].RefreshToken);
        Assert.NotEqual(configured, store.Saves[0].RefreshToken);
        Assert.Equal(2, sim.Refreshes);
        Assert.DoesNotContain(configured, store.Saves[0].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_refresh_token_is_an_Authentication_error()
    {
        await using var sim = new ZendeskSimulator();
        await using var zendesk = sim.CreateConnector(o => o.RefreshToken = "revoked");

        var error = await Assert.ThrowsAsync<ConcordException>(() => zendesk.Connector.GetAsync("1"));

        Assert.Equal(ErrorCategory.Authentication, error.Category);
        Assert.Equal("invalid_grant", error.VendorErrorCode);
    }

    [Fact]
    public async Task Without_a_refresh_token_the_client_credentials_grant_is_used()
    {
        await using var sim = new ZendeskSimulator();
        await using var zendesk = sim.CreateConnector(o => o.RefreshToken = null);

        await zendesk.Connector.GetAsync("1");

        var token = Assert.Single(sim.Journal.Calls("POST", "/oauth/tokens"));
        Assert.Contains("\"grant_type\":\"client_credentials\"", token.Body, StringComparison.Ordinal);
        Assert.Equal(0, sim.Refreshes);
    }

    [Fact]
    public async Task Api_token_mode_authenticates_as_email_slash_token_and_warns_that_tokens_stop_on_30_April_2027()
    {
        await using var sim = new ZendeskSimulator();
        await using var zendesk = sim.CreateConnector(
            services: s => s.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddFakeLogging()),
            authMode: ZendeskAuthMode.ApiToken);

        var result = await zendesk.Connector.UpsertAsync(Customers.Request(Customers.Company("tok-1")));

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(0, sim.TokenRequests);
        var warning = Assert.Single(zendesk.Services.GetFakeLogCollector().GetSnapshot(), l => l.Message.Contains("30 April 2027", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Warning, warning.Level);
    }

    [Fact]
    public async Task Api_token_mode_warns_about_30_April_2027_when_the_host_starts_before_any_call()
    {
        await using var sim = new ZendeskSimulator();
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new Microsoft.Extensions.Hosting.HostApplicationBuilderSettings());
        builder.Services.AddLogging(b => b.AddFakeLogging());
        builder.Services.AddZendeskConnector(o => sim.Configure(o, ZendeskAuthMode.ApiToken));
        using var host = builder.Build();

        await host.StartAsync();

        var warning = Assert.Single(host.Services.GetFakeLogCollector().GetSnapshot(), l => l.Message.Contains("30 April 2027", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Empty(sim.Journal.Entries);
        await host.StopAsync();
    }

    [Fact]
    public async Task No_token_or_secret_reaches_any_log_trace_or_exception()
    {
        var traces = new ConcurrentQueue<string>();
        using var listener = ListenToEveryActivity(traces);
        await using var sim = new ZendeskSimulator();
        await using var zendesk = sim.CreateConnector(services: s => s.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddFakeLogging()));
        await zendesk.Connector.UpsertAsync(Customers.Request(Customers.Company("log-1", contacts: 1)));
        sim.ExpireAccessTokens();
        await zendesk.Connector.GetAsync("1");
        sim.RevokeTokens();
        var error = await Assert.ThrowsAsync<ConcordException>(() => zendesk.Connector.GetAsync("1"));

        var logs = zendesk.Services.GetFakeLogCollector().GetSnapshot();
        var text = Everything(logs, error, traces);
        Assert.Contains(logs, l => l.Message.Contains("token acquired", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain("zd-access-", text, StringComparison.Ordinal);
        Assert.DoesNotContain("zd-refresh-", text, StringComparison.Ordinal);
        Assert.DoesNotContain(sim.Options.ClientSecret, text, StringComparison.Ordinal);
        Assert.DoesNotContain(sim.Options.RefreshToken, text, StringComparison.Ordinal);
        Assert.All(sim.Journal.Entries.Where(e => e.Headers.ContainsKey("Authorization")), e => Assert.Equal("***", e.Headers["Authorization"]));
    }

    [Fact]
    public async Task No_api_token_nor_email_slash_token_credential_reaches_any_log_trace_or_exception_even_on_a_401()
    {
        var traces = new ConcurrentQueue<string>();
        using var listener = ListenToEveryActivity(traces);
        await using var sim = new ZendeskSimulator();
        await using var zendesk = sim.CreateConnector(
            services: s => s.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddFakeLogging()),
            authMode: ZendeskAuthMode.ApiToken);
        var written = await zendesk.Connector.UpsertAsync(Customers.Request(Customers.Company("tok-log-1", contacts: 1)));
        sim.FailNextApiCalls(2, 401, """{"error":"Couldn't authenticate you"}""", r => r.Path.Contains("show_many", StringComparison.Ordinal));
        var error = await Assert.ThrowsAsync<ConcordException>(() => zendesk.Connector.GetAsync("1"));

        Assert.True(written.IsSuccess, written.Error?.Message);
        Assert.Equal(ErrorCategory.Authentication, error.Category);
        var text = Everything(zendesk.Services.GetFakeLogCollector().GetSnapshot(), error, traces);
        var credential = $"{sim.Options.AgentEmail}/token:{sim.Options.ApiToken}";
        Assert.DoesNotContain(sim.Options.ApiToken, text, StringComparison.Ordinal);
        Assert.DoesNotContain($"{sim.Options.AgentEmail}/token", text, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(credential)), text, StringComparison.Ordinal);
        Assert.Contains(sim.Journal.Entries, e => e.StatusCode == 401);
        Assert.All(sim.Journal.Entries.Where(e => e.Headers.ContainsKey("Authorization")), e => Assert.Equal("***", e.Headers["Authorization"]));
    }

    [Fact]
    public async Task Marketplace_headers_go_on_every_request_when_configured()
    {
        await using var sim = new ZendeskSimulator();
        await using var zendesk = sim.CreateConnector(o =>
        {
            o.MarketplaceName = "Concord";
            o.MarketplaceOrganizationId = "42";
            o.MarketplaceAppId = "7";
        });

        await zendesk.Connector.GetAsync("1");

        var call = sim.Journal.Calls("/api/v2/organizations/show_many.json").Single();
        Assert.Equal(("Concord", "42", "7"), (call.Headers["X-Zendesk-Marketplace-Name"], call.Headers["X-Zendesk-Marketplace-Organization-Id"], call.Headers["X-Zendesk-Marketplace-App-Id"]));
    }

    // Every activity of every source (Concord's and HttpClient's), with its tags, events and status.
    private static ActivityListener ListenToEveryActivity(ConcurrentQueue<string> traces)
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => traces.Enqueue(string.Join(" ", [a.Source.Name, a.DisplayName, a.StatusDescription, .. a.TagObjects.Select(t => $"{t.Key}={t.Value}"), .. a.Events.SelectMany(e => e.Tags.Select(t => $"{e.Name}:{t.Key}={t.Value}"))])),
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }

    // Every log message with its structured values and exception, the thrown exception, and every trace.
    private static string Everything(IReadOnlyList<FakeLogRecord> logs, ConcordException error, ConcurrentQueue<string> traces)
    {
        Assert.NotEmpty(logs);
        Assert.NotEmpty(traces);
        return string.Join("\n", logs.Select(l => l.Message + " " + string.Join(" ", l.StructuredState?.Select(p => p.Value) ?? []) + " " + l.Exception)) + error + string.Join("\n", traces);
    }

    private sealed class RecordingStore : IConnectorTokenStore
    {
        private readonly ConcurrentDictionary<string, ConnectorTokens> _tokens = new();

        public List<ConnectorTokens> Saves { get; } = [];

        public ValueTask<ConnectorTokens?> GetAsync(string connectorName, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(_tokens.TryGetValue(connectorName, out var tokens) ? tokens : null);

        public ValueTask SaveAsync(string connectorName, ConnectorTokens tokens, CancellationToken cancellationToken = default)
        {
            lock (Saves)
            {
                Saves.Add(tokens);
            }

            _tokens[connectorName] = tokens;
            return ValueTask.CompletedTask;
        }
    }
}
