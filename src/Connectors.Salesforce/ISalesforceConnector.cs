using Concord.Canonical.Connectors;

namespace Concord.Connectors.Salesforce;

/// <summary>
/// The Salesforce connector: the common <see cref="ICustomerConnector"/> surface plus what is particular to Salesforce,
/// its daily API budget. Resolve it with <c>GetRequiredKeyedService&lt;ISalesforceConnector&gt;(name)</c>.
/// </summary>
public interface ISalesforceConnector : ICustomerConnector
{
    /// <summary>The org's API usage from the last response, or null before the first call.</summary>
    SalesforceApiUsage? ApiUsage { get; }

    /// <summary>
    /// Marks the calls made on this async flow, until the returned scope is disposed, as urgent: they go through even
    /// when usage is past <see cref="SalesforceConnectorOptions.DailyBudgetShare"/> (Salesforce's own limit still applies).
    /// </summary>
    /// <returns>The scope; dispose it to end it.</returns>
    IDisposable BeginUrgentScope();
}
