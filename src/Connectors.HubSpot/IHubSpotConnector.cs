using Concord.Canonical.Connectors;

namespace Concord.Connectors.HubSpot;

/// <summary>
/// The HubSpot connector: the common <see cref="ICustomerConnector"/> surface plus what is particular to HubSpot, its
/// rate limits. Resolve it with <c>GetRequiredKeyedService&lt;IHubSpotConnector&gt;(name)</c>.
/// </summary>
public interface IHubSpotConnector : ICustomerConnector
{
    /// <summary>The portal's rate-limit state as the last answers reported it.</summary>
    HubSpotRateLimitStatus RateLimits { get; }

    /// <summary>
    /// Marks the calls made on this async flow, until the returned scope is disposed, as urgent: they go through even when
    /// the daily guard holds non-urgent work (HubSpot's own limit still applies).
    /// </summary>
    /// <returns>The scope; dispose it to end it.</returns>
    IDisposable BeginUrgentScope();
}
