using Concord.Connectors.Odoo;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Concord.Testing.Odoo;

/// <summary>Points an Odoo connector at an <see cref="OdooSimulator"/>: options for a host, or a ready connector for a test.</summary>
public static class OdooSimulatorConnectorExtensions
{
    /// <summary>
    /// Sets <paramref name="options"/> to talk to <paramref name="simulator"/>: its address (loopback http allowed), database,
    /// login and key, and short retry delays so that fault tests run in milliseconds.
    /// </summary>
    /// <param name="simulator">The simulator.</param>
    /// <param name="options">The options to set.</param>
    public static void Configure(this OdooSimulator simulator, OdooConnectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(simulator);
        ArgumentNullException.ThrowIfNull(options);
        options.BaseAddress = simulator.BaseAddress;
        options.AllowInsecureHttp = true;
        options.Database = simulator.Options.Database;
        options.Login = simulator.Options.Login;
        options.ApiKey = simulator.Options.ApiKey;
        options.Resilience.BaseDelay = TimeSpan.FromMilliseconds(5);
        options.Resilience.MaxDelay = TimeSpan.FromSeconds(2);
        options.Resilience.UseJitter = false;
        options.Resilience.PermitLimit = 100_000;
        options.Resilience.QueueLimit = 100_000;
        options.Resilience.MinimumThroughput = 1000;
    }

    /// <summary>
    /// Builds a container with one Odoo connector pointed at <paramref name="simulator"/> and returns it, for tests and
    /// samples. Options are validated as a host would at start.
    /// </summary>
    /// <param name="simulator">The simulator.</param>
    /// <param name="configure">Changes the options after the simulator's settings (optional).</param>
    /// <param name="services">Adds or replaces services, such as a logger or a <see cref="TimeProvider"/> (optional).</param>
    /// <param name="instance">The instance name (the connector's registration key and <c>Name</c>), or null for the default <c>odoo</c>.</param>
    /// <returns>The connector and its container; dispose it after use.</returns>
    public static TestConnector<IOdooConnector> CreateConnector(
        this OdooSimulator simulator,
        Action<OdooConnectorOptions>? configure = null,
        Action<IServiceCollection>? services = null,
        string? instance = null)
    {
        ArgumentNullException.ThrowIfNull(simulator);
        var collection = new ServiceCollection();
        void Setup(OdooConnectorOptions options)
        {
            simulator.Configure(options);
            configure?.Invoke(options);
        }

        if (instance is null)
        {
            collection.AddOdooConnector(Setup);
        }
        else
        {
            collection.AddOdooConnector(instance, Setup);
        }

        services?.Invoke(collection);
        var name = instance ?? OdooConnectorOptions.DefaultName;
        var provider = collection.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        try
        {
            _ = provider.GetRequiredService<IOptionsMonitor<OdooConnectorOptions>>().Get(name);
            return new TestConnector<IOdooConnector>(provider, name);
        }
        catch
        {
            provider.Dispose();
            throw;
        }
    }
}
