namespace Concord.Canonical.DependencyInjection;

/// <summary>A connector registered under a name; one is registered per <c>AddXxxConnector</c> call.</summary>
/// <param name="Name">The registration name (unique across connectors): the key of the <see cref="Concord.Canonical.Connectors.ICustomerConnector"/> keyed service.</param>
/// <param name="System">The vendor family (<c>odoo</c>, <c>salesforce</c>, ...).</param>
public sealed record ConnectorRegistration(string Name, string System)
{
    /// <summary>The name of the <see cref="HttpClient"/> this connector uses from <see cref="IHttpClientFactory"/>.</summary>
    public string HttpClientName => $"Concord.{System}.{Name}";
}
