using Concord.Connectors.Salesforce;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Concord.Testing.Salesforce;

/// <summary>Points a Salesforce connector at a <see cref="SalesforceSimulator"/>: options for a host, or a ready connector for a test.</summary>
public static class SalesforceSimulatorConnectorExtensions
{
    /// <summary>
    /// Sets <paramref name="options"/> to talk to <paramref name="simulator"/> with <paramref name="authMode"/>: its My Domain
    /// as the base address (http:// to loopback allowed), its credentials, its external-id fields, and short retry delays.
    /// </summary>
    /// <param name="simulator">The simulator.</param>
    /// <param name="options">The options to set.</param>
    /// <param name="authMode">The OAuth flow.</param>
    public static void Configure(this SalesforceSimulator simulator, SalesforceConnectorOptions options, SalesforceAuthMode authMode = SalesforceAuthMode.ClientCredentials)
    {
        ArgumentNullException.ThrowIfNull(simulator);
        ArgumentNullException.ThrowIfNull(options);
        var sim = simulator.Options;
        options.BaseAddress = simulator.MyDomainUrl;
        options.AllowInsecureHttp = true;
        options.AuthMode = authMode;
        options.ClientId = sim.ConsumerKey;
        options.ClientSecret = authMode == SalesforceAuthMode.JwtBearer ? null : sim.ConsumerSecret;
        options.Username = sim.Username;
        options.JwtAudience = sim.JwtAudience;
        options.PrivateKeyPem = authMode == SalesforceAuthMode.JwtBearer ? simulator.JwtPrivateKeyPem : null;
        options.RefreshToken = authMode == SalesforceAuthMode.RefreshToken ? sim.RefreshToken : null;
        options.AccountExternalIdField = sim.AccountExternalIdField;
        options.ContactExternalIdField = sim.ContactExternalIdField;
        options.Resilience.BaseDelay = TimeSpan.FromMilliseconds(10);
        options.Resilience.MaxDelay = TimeSpan.FromSeconds(3);
        options.Resilience.UseJitter = false;
        options.Resilience.PermitLimit = 1000;
        options.Resilience.QueueLimit = 10_000;
    }

    /// <summary>
    /// Builds a container with one Salesforce connector pointed at <paramref name="simulator"/> and returns it, for tests
    /// and samples. Options are validated as a host would at start.
    /// </summary>
    /// <param name="simulator">The simulator.</param>
    /// <param name="configure">Changes the options after the simulator's settings (optional).</param>
    /// <param name="services">Adds or replaces services, such as a <c>FakeLogger</c> or a <see cref="TimeProvider"/> (optional).</param>
    /// <param name="authMode">The OAuth flow.</param>
    /// <param name="name">The connector name.</param>
    /// <returns>The connector and its container; dispose it after use.</returns>
    public static TestConnector<ISalesforceConnector> CreateConnector(
        this SalesforceSimulator simulator,
        Action<SalesforceConnectorOptions>? configure = null,
        Action<IServiceCollection>? services = null,
        SalesforceAuthMode authMode = SalesforceAuthMode.ClientCredentials,
        string name = SalesforceConnectorOptions.DefaultName)
    {
        ArgumentNullException.ThrowIfNull(simulator);
        var collection = new ServiceCollection();
        collection.AddSalesforceConnector(name, options =>
        {
            simulator.Configure(options, authMode);
            configure?.Invoke(options);
        });
        services?.Invoke(collection);
        var provider = collection.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        try
        {
            // What ValidateOnStart does in a host: fail now, with the option named, rather than at the first call.
            _ = provider.GetRequiredService<IOptionsMonitor<SalesforceConnectorOptions>>().Get(name);
            return new TestConnector<ISalesforceConnector>(provider, name);
        }
        catch
        {
            provider.Dispose();
            throw;
        }
    }
}
