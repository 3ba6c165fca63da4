using Concord.Connectors.Salesforce;
using Microsoft.Extensions.DependencyInjection;

namespace Concord.Testing.Salesforce;

/// <summary>A Salesforce connector wired to a <see cref="SalesforceSimulator"/>, with the container that owns it.</summary>
public sealed class SalesforceTestConnector : IDisposable, IAsyncDisposable
{
    private readonly ServiceProvider _services;

    internal SalesforceTestConnector(ServiceProvider services, string name)
    {
        _services = services;
        Name = name;
        Connector = services.GetRequiredKeyedService<ISalesforceConnector>(name);
    }

    /// <summary>The connector name.</summary>
    public string Name { get; }

    /// <summary>The connector.</summary>
    public ISalesforceConnector Connector { get; }

    /// <summary>The container the connector was resolved from.</summary>
    public IServiceProvider Services => _services;

    /// <inheritdoc />
    public void Dispose() => _services.Dispose();

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
