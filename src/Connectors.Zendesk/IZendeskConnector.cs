using Concord.Canonical.Connectors;

namespace Concord.Connectors.Zendesk;

/// <summary>
/// The Zendesk connector: the common <see cref="ICustomerConnector"/> surface (organizations with their end users) plus
/// what is particular to Zendesk, its request budget. Resolve it with <c>GetRequiredKeyedService&lt;IZendeskConnector&gt;(name)</c>.
/// </summary>
public interface IZendeskConnector : ICustomerConnector
{
    /// <summary>The requests a minute the connector allows itself now: the plan's budget, or the account's <c>X-Rate-Limit</c> once seen, less the headroom.</summary>
    int RequestsPerMinute { get; }
}
