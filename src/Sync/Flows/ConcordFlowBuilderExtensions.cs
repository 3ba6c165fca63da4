using Concord.Canonical.DependencyInjection;
using Concord.Sync.Flows;
using Concord.Sync.Flows.Internal;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Declares flows: a source, targets in order, field ownership and what to do when a target is down.</summary>
public static class ConcordFlowBuilderExtensions
{
    /// <summary>
    /// Declares the flow <paramref name="name"/>. Its options are validated when the host starts (or when
    /// <see cref="IFlowRunner"/> is first resolved): an unknown connector name fails with a message naming the flow and the connector.
    /// Change-feed flows with a poll interval run in the background on that interval; run any flow by hand with
    /// <c>GetRequiredService&lt;IFlowRunner&gt;().GetFlow(name).RunOnceAsync()</c>.
    /// </summary>
    /// <param name="builder">The Concord builder.</param>
    /// <param name="name">The flow name (unique).</param>
    /// <param name="configure">Declares the flow: <c>f =&gt; f.From("salesforce").To("odoo")</c>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="InvalidOperationException">A flow with that name is already declared.</exception>
    public static IConcordBuilder AddFlow(this IConcordBuilder builder, string name, Action<FlowBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);
        var services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(FlowRegistration) && d.ImplementationInstance is FlowRegistration existing && existing.Name == name))
        {
            throw new InvalidOperationException($"A flow named '{name}' is already declared.");
        }

        builder.AddSync();
        var flow = new FlowBuilder(name);
        configure(flow);
        services.AddSingleton(new FlowRegistration(name));
        services.AddOptions<FlowOptions>(name).Configure(flow.Apply).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FlowOptions>, FlowOptionsValidator>());
        services.TryAddSingleton<IFlowRunner, FlowRunner>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, FlowHostedService>());
        return builder;
    }
}
