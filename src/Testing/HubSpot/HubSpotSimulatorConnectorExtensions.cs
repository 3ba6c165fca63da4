using Concord.Connectors.HubSpot;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Concord.Testing.HubSpot;

/// <summary>Points a HubSpot connector at a <see cref="HubSpotSimulator"/>: options for a host, or a ready connector for a test.</summary>
public static class HubSpotSimulatorConnectorExtensions
{
    /// <summary>
    /// Sets <paramref name="options"/> to talk to <paramref name="simulator"/> with <paramref name="authMode"/>: its address,
    /// its credentials, its rate limit, loopback allowed, short retry delays and no wait after a 423.
    /// </summary>
    /// <param name="simulator">The simulator.</param>
    /// <param name="options">The options to set.</param>
    /// <param name="authMode">The static token or OAuth.</param>
    public static void Configure(this HubSpotSimulator simulator, HubSpotConnectorOptions options, HubSpotAuthMode authMode = HubSpotAuthMode.StaticToken)
    {
        ArgumentNullException.ThrowIfNull(simulator);
        ArgumentNullException.ThrowIfNull(options);
        var sim = simulator.Options;
        options.BaseAddress = simulator.BaseAddress;
        options.AllowInsecureHttp = true;
        options.AuthMode = authMode;
        options.AccessToken = authMode == HubSpotAuthMode.StaticToken ? sim.StaticToken : null;
        options.ClientId = sim.ClientId;
        options.ClientSecret = sim.ClientSecret;
        options.RefreshToken = sim.RefreshToken;
        options.TenSecondlyLimit = sim.TenSecondlyLimit;
        options.SearchRequestsPerSecond = Math.Clamp(sim.SearchRequestsPerSecond, 1, 5);
        options.PortalTimeZone = sim.PortalTimeZone.Id;
        options.LockedRetryDelay = TimeSpan.FromMilliseconds(50);
        options.Resilience.BaseDelay = TimeSpan.FromMilliseconds(10);
        options.Resilience.MaxDelay = TimeSpan.FromSeconds(3);
        options.Resilience.UseJitter = false;
        options.Resilience.PermitLimit = 10_000;
        options.Resilience.QueueLimit = 10_000;
    }

    /// <summary>
    /// Builds a container with one HubSpot connector pointed at <paramref name="simulator"/> and returns it, for tests and
    /// samples. Options are validated as a host would at start.
    /// </summary>
    /// <param name="simulator">The simulator.</param>
    /// <param name="configure">Changes the options after the simulator's settings (optional).</param>
    /// <param name="services">Adds or replaces services, such as a <c>FakeLogger</c>, a <see cref="TimeProvider"/> or an <see cref="Concord.Canonical.Connectors.IConnectorTokenStore"/> (optional).</param>
    /// <param name="authMode">The static token or OAuth.</param>
    /// <param name="name">The connector name.</param>
    /// <returns>The connector and its container; dispose it after use.</returns>
    public static TestConnector<IHubSpotConnector> CreateConnector(
        this HubSpotSimulator simulator,
        Action<HubSpotConnectorOptions>? configure = null,
        Action<IServiceCollection>? services = null,
        HubSpotAuthMode authMode = HubSpotAuthMode.StaticToken,
        string name = HubSpotConnectorOptions.DefaultName)
    {
        ArgumentNullException.ThrowIfNull(simulator);
        var collection = new ServiceCollection();
        services?.Invoke(collection);
        collection.AddHubSpotConnector(name, options =>
        {
            simulator.Configure(options, authMode);
            configure?.Invoke(options);
        });
        var provider = collection.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        try
        {
            // What ValidateOnStart does in a host: fail now, with the option named, rather than at the first call.
            _ = provider.GetRequiredService<IOptionsMonitor<HubSpotConnectorOptions>>().Get(name);
            return new TestConnector<IHubSpotConnector>(provider, name);
        }
        catch
        {
            provider.Dispose();
            throw;
        }
    }
}
