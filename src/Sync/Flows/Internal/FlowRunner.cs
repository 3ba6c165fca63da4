using Concord.Canonical;
using Concord.Canonical.Connectors;
using Concord.Canonical.Schema;
using Concord.Sync.Cursors;
using Concord.Sync.DeadLetters;
using Concord.Sync.Diagnostics;
using Concord.Sync.Engine;
using Concord.Sync.Identity;
using Concord.Sync.Inbox;
using Concord.Sync.Reconciliation.Internal;
using Concord.Sync.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Concord.Sync.Flows.Internal;

/// <summary>Builds every declared flow once, validating its options (which names the flow and the connector on failure).</summary>
internal sealed class FlowRunner : IFlowRunner, IDisposable, IAsyncDisposable
{
    private readonly List<Flow> _flows = [];

    public FlowRunner(
        IServiceProvider services,
        IEnumerable<FlowRegistration> registrations,
        IOptionsMonitor<FlowOptions> optionsMonitor,
        IIdentityMap identityMap,
        IWriteLedger ledger,
        IDeadLetterStore deadLetters,
        ICursorStore cursors,
        IStateCommitter committer,
        IFeedLeaseStore feedLeases,
        TimeProvider time,
        ILoggerFactory loggerFactory,
        SyncMonitor monitor,
        IWebhookInbox inbox)
    {
        var schema = services.GetService<ICustomerSchemaValidator>();
        var logger = loggerFactory.CreateLogger("Concord.Flows");
        var holder = FeedLeaseHolder.ForThisProcess();
        foreach (var registration in registrations)
        {
            var options = optionsMonitor.Get(registration.Name);
            var targets = options.Targets.Select(t => KeyValuePair.Create(t, services.GetRequiredKeyedService<ICustomerConnector>(t))).ToList();
            var source = options.SourceKind == FlowSourceKind.ChangeFeed ? services.GetRequiredKeyedService<ICustomerConnector>(options.Source!) : null;
            var engine = new FlowEngine(registration.Name, options, targets, identityMap, ledger, deadLetters, committer, time, logger, schema, source?.Capabilities.CarriedFields) { Monitor = monitor };
            monitor.Register(registration.Name, options.Targets);
            var reconciler = new FlowReconciler(registration.Name, options, targets, identityMap, engine, time, logger);
            _flows.Add(new Flow(registration.Name, options, source, engine, reconciler, cursors, deadLetters, feedLeases, holder, time, logger) { Inbox = inbox, IdentityMap = identityMap, Ledger = ledger });
        }
    }

    public IReadOnlyList<IFlow> Flows => _flows;

    public IFlow GetFlow(string name) =>
        _flows.Find(f => string.Equals(f.Name, name, StringComparison.Ordinal))
        ?? throw new KeyNotFoundException($"No flow is named '{name}' (declared: {(_flows.Count == 0 ? "none" : string.Join(", ", _flows.Select(f => f.Name)))}).");

    /// <summary>Gives back the feed leases this instance holds (so another instance takes the feeds at once), then disposes the flows.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var flow in _flows)
        {
            await flow.ReleaseFeedLeaseAsync().ConfigureAwait(false);
        }

        Dispose();
    }

    public void Dispose()
    {
        foreach (var flow in _flows)
        {
            flow.Dispose();
        }
    }
}
