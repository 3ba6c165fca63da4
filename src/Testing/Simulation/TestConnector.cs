using Concord.Canonical.Connectors;
using Microsoft.Extensions.DependencyInjection;

namespace Concord.Testing;

/// <summary>
/// A connector wired to a simulator, with the container that owns it; disposing it disposes the container
/// (HTTP handlers, token caches). Simulators hand these out from their <c>CreateConnector</c> extensions.
/// </summary>
/// <typeparam name="TConnector">The connector's interface (<c>IOdooConnector</c>, <c>ISalesforceConnector</c>).</typeparam>
public sealed class TestConnector<TConnector> : IDisposable, IAsyncDisposable
    where TConnector : ICustomerConnector
{
    private readonly ServiceProvider _services;

    /// <summary>Resolves the connector registered under <paramref name="name"/> from <paramref name="services"/>, which it then owns.</summary>
    /// <param name="services">The container the connector was registered in.</param>
    /// <param name="name">The connector's registration name.</param>
    public TestConnector(ServiceProvider services, string name)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _services = services;
        Name = name;
        Connector = services.GetRequiredKeyedService<TConnector>(name);
    }

    /// <summary>The connector name.</summary>
    public string Name { get; }

    /// <summary>The connector.</summary>
    public TConnector Connector { get; }

    /// <summary>The container the connector was resolved from.</summary>
    public IServiceProvider Services => _services;

    /// <inheritdoc />
    public void Dispose() => _services.Dispose();

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
