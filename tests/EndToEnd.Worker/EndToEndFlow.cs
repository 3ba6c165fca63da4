using System.Diagnostics.Metrics;
using Concord.Canonical;
using Concord.Canonical.Diagnostics;
using Concord.Sync.Flows;
using Concord.Sync.Outbox;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Concord.EndToEnd.Worker;

/// <summary>The flow both the test process and the worker process run: Salesforce accounts to Odoo on one SQLite file (or one PostgreSQL schema), connectors from configuration.</summary>
public static class EndToEndFlow
{
    /// <summary>The configuration key of the SQLite file.</summary>
    public const string StatePathKey = "EndToEnd:StatePath";

    /// <summary>The configuration key of a PostgreSQL connection string: when set, the state is there (schema <see cref="PostgreSqlSchemaKey"/>), not in the SQLite file.</summary>
    public const string PostgreSqlKey = "EndToEnd:PostgreSql";

    /// <summary>The configuration key of the PostgreSQL schema.</summary>
    public const string PostgreSqlSchemaKey = "EndToEnd:PostgreSqlSchema";

    /// <summary>The configuration key of a RabbitMQ broker's AMQP URI: when set, events are published there (exchange <see cref="RabbitMqExchangeKey"/>) through Concord.Messaging.RabbitMq.</summary>
    public const string RabbitMqKey = "EndToEnd:RabbitMq";

    /// <summary>The configuration key of the RabbitMQ exchange.</summary>
    public const string RabbitMqExchangeKey = "EndToEnd:RabbitMqExchange";

    /// <summary>The configuration key of the flow name (unique per test, so in-process meters can tell flows apart).</summary>
    public const string FlowNameKey = "EndToEnd:FlowName";

    /// <summary>How long a write's idempotency claim holds: short, so that a restarted worker takes over a killed one's claims quickly.</summary>
    public static readonly TimeSpan WriteLease = TimeSpan.FromSeconds(2);

    /// <summary>How many passes <see cref="RunUntilSettledAsync"/> makes at most (an instance waiting for another's feed lease passes every second,
    /// for as long as the holder reads: 20 minutes; the tests bound the time themselves).</summary>
    public const int MaxPasses = 1_200;

    /// <summary>How long a dispatcher's claim on outbox events holds: short, so that events a killed worker had claimed are delivered soon.</summary>
    public static readonly TimeSpan OutboxLease = TimeSpan.FromSeconds(5);

    /// <summary>How long the feed lease holds: short, so that a restarted worker takes over a killed one's feed quickly.</summary>
    public static readonly TimeSpan FeedLease = TimeSpan.FromSeconds(2);

    /// <summary>Registers Concord, both connectors (sections <c>Concord:Salesforce</c> and <c>Concord:Odoo</c>), SQLite or PostgreSQL state, the flow,
    /// and the RabbitMQ publisher when <see cref="RabbitMqKey"/> is set.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration.</param>
    /// <param name="customize">Changes to the flow's declaration (a test's own ownership policy), applied last; null for none.</param>
    /// <returns>The flow name.</returns>
    public static string Add(IServiceCollection services, IConfiguration configuration, Action<FlowBuilder>? customize = null)
    {
        var flowName = configuration[FlowNameKey] ?? "e2e";
        var statePath = configuration[StatePathKey] ?? throw new InvalidOperationException($"{StatePathKey} is not set.");
        var postgreSql = configuration[PostgreSqlKey];
        var rabbitMq = configuration[RabbitMqKey];
        if (!string.IsNullOrEmpty(rabbitMq))
        {
            services.AddConcord().AddRabbitMqPublisher(o =>
            {
                o.Uri = rabbitMq;
                o.Exchange = configuration[RabbitMqExchangeKey] ?? throw new InvalidOperationException($"{RabbitMqExchangeKey} is not set.");
                o.ClientName = "concord-e2e";
            });
        }

        services.AddConcord(concord => (string.IsNullOrEmpty(postgreSql)
                ? concord.UseSqlite(statePath)
                : concord.UsePostgreSql(o => { o.ConnectionString = postgreSql; o.Schema = configuration[PostgreSqlSchemaKey] ?? "concord"; }))
            .AddSalesforceConnector(configuration.GetSection("Concord:Salesforce"))
            .AddOdooConnector(configuration.GetSection("Concord:Odoo"))
            .AddFlow(flowName, flow => flow
                .From("salesforce")
                .To("odoo")
                .Ownership(owners => owners
                    .System("salesforce", CustomerField.Name, CustomerField.Contacts)
                    .System("odoo", CustomerField.TaxIds, CustomerField.BillingAddress, CustomerField.MainAddress)
                    .SeedOwnedFieldsOnCreate(true))
                .WhenTargetUnavailable(TargetPolicy.Defer)
                .PollEvery(null)
                .Configure(options =>
                {
                    options.PageSize = 100;
                    options.MaxDeliveryAttempts = 100;
                    options.WriteLease = WriteLease;
                    options.FeedLease = FeedLease; // a killed worker's feed lease passes to the next one quickly
                    options.ProbeInterval = WriteLease / 2; // an injected outage pauses the target only until the next pass
                })
                .Apply(customize)));

        // A worker killed while it dispatches leaves its claimed events leased: short, so the next worker (or the test's
        // final dispatch) delivers them soon instead of after the default minute.
        services.Configure<OutboxDispatcherOptions>(o => o.Lease = OutboxLease);
        return flowName;
    }

    private static FlowBuilder Apply(this FlowBuilder flow, Action<FlowBuilder>? customize)
    {
        customize?.Invoke(flow);
        return flow;
    }

    /// <summary>Runs <paramref name="flow"/> until a pass writes and defers nothing (bounded), waiting out claim leases between passes that deferred
    /// and a killed worker's feed lease.</summary>
    /// <param name="flow">The flow.</param>
    /// <param name="afterRun">Called with each pass's summary (for instance to drain the outbox).</param>
    /// <param name="cancellationToken">Cancels the runs.</param>
    /// <returns>The number of passes.</returns>
    public static async Task<int> RunUntilSettledAsync(IFlow flow, Func<FlowRunSummary, Task>? afterRun = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(flow);
        for (var pass = 1; pass <= MaxPasses; pass++)
        {
            var summary = await flow.RunOnceAsync(cancellationToken);
            if (afterRun is not null)
            {
                await afterRun(summary);
            }

            if (summary.Deferred == 0 && !summary.Stopped && !summary.FeedHeldElsewhere && summary.Created + summary.Updated + summary.DeadLettered == 0)
            {
                return pass;
            }

            if (summary.Deferred > 0 || summary.Stopped)
            {
                await Task.Delay(WriteLease / 2, cancellationToken);
            }
            else if (summary.FeedHeldElsewhere)
            {
                await Task.Delay(FeedLease / 2, cancellationToken); // a killed worker's lease runs out
            }
        }

        throw new InvalidOperationException($"The flow did not settle in {MaxPasses} passes.");
    }

    /// <summary>Counts the records a flow has handled in this process, from the <c>concord.flow.records</c> counter.</summary>
    public sealed class Progress : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _handled;

        /// <summary>Starts counting records of <paramref name="flowName"/>.</summary>
        /// <param name="flowName">The flow.</param>
        /// <param name="onRecord">Called with the running count after each record.</param>
        public Progress(string flowName, Action<long>? onRecord = null)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == ConcordTelemetry.Name && instrument.Name == "concord.flow.records")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == ConcordTelemetry.FlowTag && tag.Value as string == flowName)
                    {
                        onRecord?.Invoke(Interlocked.Add(ref _handled, value));
                        return;
                    }
                }
            });
            _listener.Start();
        }

        /// <summary>Records handled so far.</summary>
        public long Handled => Interlocked.Read(ref _handled);

        /// <inheritdoc />
        public void Dispose() => _listener.Dispose();
    }
}
