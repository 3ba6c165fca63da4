using Concord.Connectors.Odoo;
using Microsoft.Extensions.DependencyInjection;

namespace Concord.Testing.Odoo;

/// <summary>An Odoo connector wired to an <see cref="OdooSimulator"/>, with the container that owns it.</summary>
public sealed class OdooTestConnector : IDisposable, IAsyncDisposable
{
    private readonly ServiceProvider _services;

    internal OdooTestConnector(ServiceProvider services, string name)
    {
        _services = services;
        Name = name;
        Connector = services.GetRequiredKeyedService<IOdooConnector>(name);
    }

    /// <summary>The connector name.</summary>
    public string Name { get; }

    /// <summary>The connector.</summary>
    public IOdooConnector Connector { get; }

    /// <summary>The container the connector was resolved from.</summary>
    public IServiceProvider Services => _services;

    /// <inheritdoc />
    public void Dispose() => _services.Dispose();

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
