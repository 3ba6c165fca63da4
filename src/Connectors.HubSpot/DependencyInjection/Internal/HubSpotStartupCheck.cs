using Concord.Canonical.Errors;
using Concord.Connectors.HubSpot.Diagnostics;
using Concord.Connectors.HubSpot.Internal;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Concord.Connectors.HubSpot.DependencyInjection.Internal;

/// <summary>
/// Checks one connector instance when the host starts: its unique properties exist and require unique values (created
/// when <see cref="HubSpotConnectorOptions.CreateUniqueProperties"/> and the scope allow). A problem only the portal's
/// administrator can fix — a missing property the app may not create, a property without unique values, a refused token
/// or scope — stops the host with that <see cref="ConcordException"/> (<see cref="ErrorCategory.Configuration"/>,
/// naming the property, the option and the scope). A passing outage (HubSpot unreachable, throttled, slower than
/// <see cref="Wait"/>) does not: it is logged, and the first write checks again.
/// </summary>
internal sealed class HubSpotStartupCheck(IHubSpotConnector connector, string connectorName, TimeProvider time, ILogger logger) : IHostedService
{
    /// <summary>How long the host's start waits for the check before it goes on (the check continues; the first write awaits it).</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (connector is not HubSpotConnector hubspot)
        {
            return;
        }

        try
        {
            await hubspot.EnsureReadyAsync(cancellationToken).WaitAsync(Wait, time, cancellationToken).ConfigureAwait(false);
            Log.StartupCheckPassed(logger, connectorName);
        }
        catch (ConcordException ex) when (ex.Category is not (ErrorCategory.Configuration or ErrorCategory.Authentication or ErrorCategory.Authorization))
        {
            Log.StartupCheckDeferred(logger, connectorName, ex.Category.ToString());
        }
        catch (TimeoutException)
        {
            Log.StartupCheckDeferred(logger, connectorName, "no answer within " + Wait.TotalSeconds + " s");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
