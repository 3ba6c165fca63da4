using Concord.Canonical;
using Concord.Sync.Ownership;

namespace Concord.Sync.Flows;

/// <summary>
/// Declares a flow fluently: <c>f.From("salesforce").To("odoo").Ownership(o =&gt; o.Field(CustomerField.TaxIds).OwnedBy("odoo")).WhenTargetUnavailable(TargetPolicy.Defer)</c>.
/// </summary>
public sealed partial class FlowBuilder
{
    private readonly List<Action<FlowOptions>> _steps = [];

    internal FlowBuilder(string name) => Name = name;

    /// <summary>The flow name.</summary>
    public string Name { get; }

    /// <summary>Reads changes from the change feed of connector <paramref name="connector"/>.</summary>
    /// <param name="connector">The source connector name.</param>
    /// <returns>This builder.</returns>
    public FlowBuilder From(string connector)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connector);
        return Add(o => (o.Source, o.SourceKind) = (connector, FlowSourceKind.ChangeFeed));
    }

    /// <summary>Takes records the host submits through <see cref="IFlow.SubmitAsync"/>; their id in <paramref name="system"/> identifies them.</summary>
    /// <param name="system">The name of the system the records come from (it need not be a registered connector).</param>
    /// <returns>This builder.</returns>
    public FlowBuilder FromHost(string system)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(system);
        return Add(o => (o.Source, o.SourceKind, o.PollInterval) = (system, FlowSourceKind.Host, null));
    }

    /// <summary>Adds targets, written in the order they are added.</summary>
    /// <param name="connectors">The target connector names.</param>
    /// <returns>This builder.</returns>
    public FlowBuilder To(params string[] connectors)
    {
        ArgumentNullException.ThrowIfNull(connectors);
        foreach (var connector in connectors)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(connector, nameof(connectors));
        }

        return Add(o =>
        {
            foreach (var connector in connectors)
            {
                o.Targets.Add(connector);
            }
        });
    }

    /// <summary>Declares field ownership and the survivorship rule.</summary>
    /// <param name="configure">Declares owners: <c>o =&gt; o.Field(CustomerField.TaxIds).OwnedBy("odoo")</c>.</param>
    /// <returns>This builder.</returns>
    public FlowBuilder Ownership(Action<OwnershipPolicyBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var builder = new OwnershipPolicyBuilder();
        configure(builder);
        var policy = builder.Build();
        return Add(o => o.Ownership = policy);
    }

    /// <summary>Sets what happens when a target is unavailable.</summary>
    /// <param name="policy">Defer or stop.</param>
    /// <returns>This builder.</returns>
    public FlowBuilder WhenTargetUnavailable(TargetPolicy policy) => Add(o => o.WhenTargetUnavailable = policy);

    /// <summary>Sets how often the hosted service runs the flow (null: never on its own).</summary>
    /// <param name="interval">The interval.</param>
    /// <returns>This builder.</returns>
    public FlowBuilder PollEvery(TimeSpan? interval) => Add(o => o.PollInterval = interval);

    /// <summary>Sets any other option.</summary>
    /// <param name="configure">Changes the options.</param>
    /// <returns>This builder.</returns>
    public FlowBuilder Configure(Action<FlowOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return Add(configure);
    }

    internal void Apply(FlowOptions options)
    {
        foreach (var step in _steps)
        {
            step(options);
        }
    }

    private FlowBuilder Add(Action<FlowOptions> step)
    {
        _steps.Add(step);
        return this;
    }
}
