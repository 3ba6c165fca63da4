using System.Collections.Concurrent;
using Concord.Canonical.Connectors;
using Concord.Canonical.Errors;
using Concord.Connectors.HubSpot.Tests.TestData;
using Concord.Testing.HubSpot;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Concord.Connectors.HubSpot.Tests.Auth;

public sealed class TokenTests
{
    [Fact]
    public async Task A_static_token_is_sent_as_bearer_and_never_refreshed()
    {
        await using var sim = new HubSpotSimulator();
        await using var hubspot = sim.CreateConnector();

        var result = await hubspot.Connector.UpsertAsync(Customers.Request(Customers.Company("static-1", contacts: 1)));

        Assert.True(result.IsSuccess);
        Assert.Equal(0, sim.TokenRequests);
        Assert.All(sim.Journal.Entries, e => Assert.Equal("***", e.Headers["Authorization"]));
    }

    [Fact]
    public async Task Hundred_concurrent_calls_on_an_expiring_token_make_exactly_one_refresh()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 10, 1, 9, 0, 0, TimeSpan.Zero));
        await using var sim = new HubSpotSimulator(new HubSpotSimulatorOptions { TimeProvider = clock });
        await using var hubspot = sim.CreateConnector(services: s => s.AddSingleton<TimeProvider>(clock), authMode: HubSpotAuthMode.OAuth);
        await hubspot.Connector.GetAsync("1");
        Assert.Equal(1, sim.TokenRequests);
        clock.Advance(TimeSpan.FromMinutes(26)); // 4 minutes left: inside the 5-minute refresh margin

        var reads = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => hubspot.Connector.GetAsync((2000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture))));

        Assert.All(reads, Assert.Null);
        Assert.Equal(2, sim.TokenRequests);
        Assert.DoesNotContain(sim.Journal.Entries, e => e.StatusCode == 401);
    }

    [Fact]
    public async Task Hundred_concurrent_calls_on_a_cold_start_make_exactly_one_refresh()
    {
        await using var sim = new HubSpotSimulator();
        await using var hubspot = sim.CreateConnector(authMode: HubSpotAuthMode.OAuth);

        await Task.WhenAll(Enumerable.Range(0, 100).Select(i => hubspot.Connector.GetAsync((3000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture))));

        Assert.Equal(1, sim.TokenRequests);
    }

    [Fact]
    public async Task A_401_refreshes_once_and_replays_the_request_once()
    {
        await using var sim = new HubSpotSimulator();
        await using var hubspot = sim.CreateConnector(authMode: HubSpotAuthMode.OAuth);
        await hubspot.Connector.UpsertAsync(Customers.Request(Customers.Company("warm-1")));
        sim.ExpireAccessTokens();
        sim.Journal.Clear();

        var result = await hubspot.Connector.UpsertAsync(Customers.Request(Customers.Company("replay-1")));

        Assert.True(result.IsSuccess);
        Assert.Equal(2, sim.TokenRequests);
        var first = sim.Journal.Entries.First(e => e.Path.StartsWith("/crm/", StringComparison.Ordinal));
        var second = sim.Journal.Entries.Where(e => e.Path.StartsWith("/crm/", StringComparison.Ordinal)).ElementAt(1);
        Assert.Equal(401, first.StatusCode);
        Assert.Equal(first.Path, second.Path);
        Assert.Equal(200, second.StatusCode);
    }

    [Fact]
    public async Task A_second_401_is_an_authentication_error_after_one_refresh()
    {
        await using var sim = new HubSpotSimulator();
        await using var hubspot = sim.CreateConnector(authMode: HubSpotAuthMode.OAuth);
        sim.FailNextApiCalls(2, 401, "INVALID_AUTHENTICATION", "Authentication credentials not found.");

        var error = await Assert.ThrowsAsync<ConcordException>(() => hubspot.Connector.GetAsync("1"));

        Assert.Equal(ErrorCategory.Authentication, error.Category);
        Assert.Equal(2, sim.TokenRequests);
        Assert.Equal(2, sim.Journal.Entries.Count(e => e.StatusCode == 401));
    }

    [Fact]
    public async Task A_401_with_a_static_token_is_an_authentication_error_without_a_refresh()
    {
        await using var sim = new HubSpotSimulator();
        await using var hubspot = sim.CreateConnector(o => o.AccessToken = "pat-na1-revoked");

        var error = await Assert.ThrowsAsync<ConcordException>(() => hubspot.Connector.GetAsync("1"));

        Assert.Equal(ErrorCategory.Authentication, error.Category);
        Assert.Equal("INVALID_AUTHENTICATION", error.VendorErrorCode);
        Assert.Equal(0, sim.TokenRequests);
        Assert.Single(sim.Journal.Entries);
    }

    [Fact]
    public async Task A_rotated_refresh_token_goes_to_the_shared_store_and_a_restart_uses_it()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 10, 1, 9, 0, 0, TimeSpan.Zero));
        await using var sim = new HubSpotSimulator(new HubSpotSimulatorOptions { TimeProvider = clock });
        var store = new RecordingStore();
        await using (var first = sim.CreateConnector(services: s => s.AddSingleton<TimeProvider>(clock).AddSingleton<IConnectorTokenStore>(store), authMode: HubSpotAuthMode.OAuth))
        {
            await first.Connector.GetAsync("1");
        }

        var saved = store.Saved["hubspot"];
        Assert.Equal(sim.CurrentRefreshToken, saved.RefreshToken);
        Assert.Equal(clock.GetUtcNow().AddMinutes(30), saved.AccessTokenExpiresAt);
        clock.Advance(TimeSpan.FromMinutes(26)); // the stored access token is within the refresh margin: the restart refreshes
        await using var restarted = sim.CreateConnector(services: s => s.AddSingleton<TimeProvider>(clock).AddSingleton<IConnectorTokenStore>(store), authMode: HubSpotAuthMode.OAuth);
        await restarted.Connector.GetAsync("1");

        Assert.Equal(2, sim.TokenRequests);
        Assert.Equal(sim.CurrentRefreshToken, store.Saved["hubspot"].RefreshToken);
        Assert.NotEqual(saved.RefreshToken, store.Saved["hubspot"].RefreshToken);
    }

    [Fact]
    public async Task A_restart_starts_from_the_stored_access_token_while_it_lives()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 10, 1, 9, 0, 0, TimeSpan.Zero));
        await using var sim = new HubSpotSimulator(new HubSpotSimulatorOptions { TimeProvider = clock });
        var store = new RecordingStore();
        await using (var first = sim.CreateConnector(services: s => s.AddSingleton<TimeProvider>(clock).AddSingleton<IConnectorTokenStore>(store), authMode: HubSpotAuthMode.OAuth))
        {
            await first.Connector.GetAsync("1");
        }

        clock.Advance(TimeSpan.FromMinutes(10));
        await using var restarted = sim.CreateConnector(services: s => s.AddSingleton<TimeProvider>(clock).AddSingleton<IConnectorTokenStore>(store), authMode: HubSpotAuthMode.OAuth);
        await restarted.Connector.GetAsync("2");
        Assert.Equal(1, sim.TokenRequests);
        clock.Advance(TimeSpan.FromMinutes(16)); // 4 minutes left: refreshed ahead of expiry with the stored refresh token
        await restarted.Connector.GetAsync("3");

        Assert.Equal(2, sim.TokenRequests);
        Assert.DoesNotContain(sim.Journal.Entries, e => e.StatusCode == 401);
        Assert.Equal(sim.CurrentRefreshToken, store.Saved["hubspot"].RefreshToken);
    }

    [Fact]
    public async Task The_token_store_is_the_one_Zendesk_uses_and_keys_each_connector_by_its_name()
    {
        await using var sim = new HubSpotSimulator();
        var store = new InMemoryConnectorTokenStore();
        await using var hubspot = sim.CreateConnector(services: s => s.AddSingleton<IConnectorTokenStore>(store), authMode: HubSpotAuthMode.OAuth, name: "marketing");
        await hubspot.Connector.GetAsync("1");

        Assert.Same(store, hubspot.Services.GetRequiredService<IConnectorTokenStore>());
        Assert.Equal(sim.CurrentRefreshToken, (await store.GetAsync("marketing"))?.RefreshToken);
        Assert.Null(await store.GetAsync("hubspot"));
    }

    [Fact]
    public async Task Without_a_durable_store_a_restart_presents_the_dead_token_and_is_told_to_re_authorize()
    {
        await using var sim = new HubSpotSimulator();
        await using (var first = sim.CreateConnector(authMode: HubSpotAuthMode.OAuth))
        {
            await first.Connector.GetAsync("1");
        }

        await using var restarted = sim.CreateConnector(authMode: HubSpotAuthMode.OAuth);
        var error = await Assert.ThrowsAsync<ConcordException>(() => restarted.Connector.GetAsync("1"));

        Assert.Equal(ErrorCategory.Authentication, error.Category);
        Assert.Equal("invalid_grant", error.VendorErrorCode);
        Assert.Contains("re-authorize", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_token_endpoint_follows_the_api_version()
    {
        await using var sim = new HubSpotSimulator();
        await using var dated = sim.CreateConnector(authMode: HubSpotAuthMode.OAuth, name: "dated");
        await dated.Connector.GetAsync("1");
        sim.RevokeRefreshTokens();
        await using var legacy = sim.CreateConnector(o => { o.ApiVersion = "v3"; o.RefreshToken = "unknown"; }, authMode: HubSpotAuthMode.OAuth, name: "legacy");
        await Assert.ThrowsAsync<ConcordException>(() => legacy.Connector.GetAsync("1"));

        Assert.Single(sim.Journal.Calls("POST", "/oauth/2026-09/token"));
        Assert.Single(sim.Journal.Calls("POST", "/oauth/v1/token"));
    }

    [Theory]
    [InlineData(HubSpotAuthMode.StaticToken)]
    [InlineData(HubSpotAuthMode.OAuth)]
    public async Task No_token_or_secret_reaches_a_log_or_an_exception(HubSpotAuthMode mode)
    {
        await using var sim = new HubSpotSimulator();
        await using var hubspot = sim.CreateConnector(services: s => s.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddFakeLogging()), authMode: mode);
        await hubspot.Connector.UpsertAsync(Customers.Request(Customers.Company("log-1", contacts: 1)));
        sim.ExpireAccessTokens();
        await hubspot.Connector.GetAsync("1");
        sim.FailNextApiCalls(2, 401, "INVALID_AUTHENTICATION", "Authentication credentials not found.");
        var error = await Assert.ThrowsAsync<ConcordException>(() => hubspot.Connector.GetAsync("1"));

        var logs = hubspot.Services.GetFakeLogCollector().GetSnapshot();
        Assert.NotEmpty(logs);
        var text = string.Join("\n", logs.Select(l => l.Message + " " + string.Join(" ", l.StructuredState?.Select(p => p.Value) ?? []) + " " + l.Exception))
            + error + error.VendorMessage;
        Assert.DoesNotContain(sim.Options.StaticToken, text, StringComparison.Ordinal);
        Assert.DoesNotContain(sim.Options.ClientSecret, text, StringComparison.Ordinal);
        Assert.DoesNotContain(sim.Options.RefreshToken, text, StringComparison.Ordinal);
        Assert.DoesNotContain("sim-access-", text, StringComparison.Ordinal);
        Assert.DoesNotContain("sim-refresh-", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Bearer ", text, StringComparison.Ordinal);
    }

    private sealed class RecordingStore : IConnectorTokenStore
    {
        public ConcurrentDictionary<string, ConnectorTokens> Saved { get; } = new();

        public ValueTask<ConnectorTokens?> GetAsync(string connectorName, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Saved.TryGetValue(connectorName, out var tokens) ? tokens : null);

        public ValueTask SaveAsync(string connectorName, ConnectorTokens tokens, CancellationToken cancellationToken = default)
        {
            Saved[connectorName] = tokens;
            return ValueTask.CompletedTask;
        }
    }
}
