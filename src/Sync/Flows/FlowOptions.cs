using Concord.Sync.Ownership;

namespace Concord.Sync.Flows;

/// <summary>The declaration of one flow (named options, keyed by the flow name); build it with <see cref="FlowBuilder"/>.</summary>
public sealed class FlowOptions
{
    /// <summary>The source: a connector name for <see cref="FlowSourceKind.ChangeFeed"/>, or the system name submitted records carry for <see cref="FlowSourceKind.Host"/>.</summary>
    public string? Source { get; set; }

    /// <summary>Where records come from.</summary>
    /// <value>The default value is <see cref="FlowSourceKind.ChangeFeed"/>.</value>
    public FlowSourceKind SourceKind { get; set; } = FlowSourceKind.ChangeFeed;

    /// <summary>The target connector names, written in this order.</summary>
    public IList<string> Targets { get; } = [];

    /// <summary>Field ownership and survivorship.</summary>
    /// <value>The default value is <see cref="OwnershipPolicy.Default"/>: no owners, most recent wins.</value>
    public OwnershipPolicy Ownership { get; set; } = OwnershipPolicy.Default;

    /// <summary>What to do when a target is unavailable.</summary>
    /// <value>The default value is <see cref="TargetPolicy.Defer"/>.</value>
    public TargetPolicy WhenTargetUnavailable { get; set; } = TargetPolicy.Defer;

    /// <summary>
    /// How long a flow leaves a target alone after a system-level failure (wrong credentials, missing rights, a setting
    /// the vendor refuses, an open circuit, a spent quota, an outage that outlasted the retries) before the next call
    /// tries it again; at least one second. While a target is paused, no record uses up a delivery attempt for it: a
    /// change-feed flow whose first target is paused reads nothing (the cursor waits), and records already written to
    /// an earlier target wait as deferred entries. The wait doubles after each failed probe, up to 16 times this
    /// interval, and is never shorter than the vendor's <c>Retry-After</c>.
    /// </summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the hosted service runs a change-feed flow; null leaves the flow to explicit <see cref="IFlow.RunOnceAsync"/> calls.</summary>
    /// <value>The default value is one minute.</value>
    public TimeSpan? PollInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How many changes are handled (resolved, written and committed) together; between 1 and 5,000.</summary>
    /// <value>The default value is 500.</value>
    public int PageSize { get; set; } = 500;

    /// <summary>How many times a record deferred for a technical failure is tried before it is dead-lettered; between 1 and 100.</summary>
    /// <value>The default value is 5.</value>
    public int MaxDeliveryAttempts { get; set; } = 5;

    /// <summary>Whether each record is checked against the <c>customer.v1</c> JSON Schema (after normalisation); an invalid record is dead-lettered with the path-level errors.</summary>
    /// <value>The default value is true.</value>
    public bool ValidateAgainstSchema { get; set; } = true;

    /// <summary>The actor recorded in the audit log when the source does not name one.</summary>
    /// <value>The default value is <c>concord</c>.</value>
    public string Actor { get; set; } = "concord";

    /// <summary>
    /// How long the lease on a change feed holds (one reader per feed across the host instances that share the state);
    /// renewed every third of it while the feed is read and at the start of each run, so keep <see cref="PollInterval"/>
    /// shorter to keep one reader sticky. An instance that dies holding it is replaced after this time, from the committed
    /// cursor; between 1 second and 1 hour.
    /// </summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan FeedLease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an idempotency claim holds while a write is under way.</summary>
    /// <value>The default value is five minutes.</value>
    public TimeSpan WriteLease { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Whether the flow reacts to webhooks (<see cref="FlowBuilder.OnWebhooks"/>): pending inbox entries of
    /// <see cref="WebhookSender"/> are hints, whose records the flow re-reads through its source connector and handles
    /// every <see cref="WebhookInterval"/>; polling every <see cref="PollInterval"/> stays the safety net.
    /// </summary>
    /// <value>The default value is false.</value>
    public bool ReactsToWebhooks { get; set; }

    /// <summary>The webhook sender whose inbox entries the flow takes as hints; null: the sender named like the source connector.</summary>
    /// <value>The default value is null.</value>
    public string? WebhookSender { get; set; }

    /// <summary>How often the hosted service looks for pending webhook hints of a flow that reacts to webhooks; between 100 ms and <see cref="PollInterval"/>.</summary>
    /// <value>The default value is one second.</value>
    public TimeSpan WebhookInterval { get; set; } = TimeSpan.FromSeconds(1);
}
