using Concord.Connectors.Zendesk;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Concord.Testing.Zendesk;

/// <summary>Points a Zendesk connector at a <see cref="ZendeskSimulator"/>: options for a host, or a ready connector for a test.</summary>
public static class ZendeskSimulatorConnectorExtensions
{
    /// <summary>
    /// Sets <paramref name="options"/> to talk to <paramref name="simulator"/> with <paramref name="authMode"/>: its address
    /// (http:// to loopback allowed), its OAuth client and refresh token or its API token, its plan budget, missing fields
    /// created on demand, job polls every 10 ms to 200 ms (the simulator's jobs take milliseconds), and short retry delays.
    /// </summary>
    /// <param name="simulator">The simulator.</param>
    /// <param name="options">The options to set.</param>
    /// <param name="authMode">How the connector authenticates.</param>
    public static void Configure(this ZendeskSimulator simulator, ZendeskConnectorOptions options, ZendeskAuthMode authMode = ZendeskAuthMode.OAuth)
    {
        ArgumentNullException.ThrowIfNull(simulator);
        ArgumentNullException.ThrowIfNull(options);
        var sim = simulator.Options;
        options.BaseAddress = simulator.BaseAddress;
        options.AllowInsecureHttp = true;
        options.AuthMode = authMode;
        options.ClientId = sim.ClientId;
        options.ClientSecret = sim.ClientSecret;
        options.RefreshToken = authMode == ZendeskAuthMode.OAuth ? simulator.CurrentRefreshToken : null;
        options.Scopes = sim.Scopes;
        options.Email = sim.AgentEmail;
        options.ApiToken = authMode == ZendeskAuthMode.ApiToken ? sim.ApiToken : null;
        options.Plan = sim.RequestsPerMinute switch
        {
            >= 2500 => ZendeskPlan.EnterprisePlus,
            >= 700 => ZendeskPlan.Enterprise,
            >= 400 => ZendeskPlan.Professional,
            _ => ZendeskPlan.Team,
        };
        options.IncrementalRequestsPerMinute = sim.IncrementalRequestsPerMinute;
        options.CreateMissingFields = true;
        options.JobPollInitialDelay = TimeSpan.FromMilliseconds(10);
        options.JobPollMaxDelay = TimeSpan.FromMilliseconds(200);
        options.Resilience.BaseDelay = TimeSpan.FromMilliseconds(10);
        options.Resilience.MaxDelay = TimeSpan.FromSeconds(3);
        options.Resilience.UseJitter = false;
    }

    /// <summary>
    /// Builds a container with one Zendesk connector pointed at <paramref name="simulator"/> and returns it, for tests and
    /// samples. Options are validated as a host would at start.
    /// </summary>
    /// <param name="simulator">The simulator.</param>
    /// <param name="configure">Changes the options after the simulator's settings (optional).</param>
    /// <param name="services">Adds or replaces services, such as a <c>FakeLogger</c>, a <see cref="TimeProvider"/> or an <c>IConnectorTokenStore</c> (optional).</param>
    /// <param name="authMode">How the connector authenticates.</param>
    /// <param name="name">The connector name.</param>
    /// <returns>The connector and its container; dispose it after use.</returns>
    public static TestConnector<IZendeskConnector> CreateConnector(
        this ZendeskSimulator simulator,
        Action<ZendeskConnectorOptions>? configure = null,
        Action<IServiceCollection>? services = null,
        ZendeskAuthMode authMode = ZendeskAuthMode.OAuth,
        string name = ZendeskConnectorOptions.DefaultName)
    {
        ArgumentNullException.ThrowIfNull(simulator);
        var collection = new ServiceCollection();
        collection.AddZendeskConnector(name, options =>
        {
            simulator.Configure(options, authMode);
            configure?.Invoke(options);
        });
        services?.Invoke(collection);
        var provider = collection.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        try
        {
            // What ValidateOnStart does in a host: fail now, with the option named, rather than at the first call.
            _ = provider.GetRequiredService<IOptionsMonitor<ZendeskConnectorOptions>>().Get(name);
            return new TestConnector<IZendeskConnector>(provider, name);
        }
        catch
        {
            provider.Dispose();
            throw;
        }
    }
}
