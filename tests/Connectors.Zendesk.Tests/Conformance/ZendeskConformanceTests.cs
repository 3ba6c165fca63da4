using System.Collections.Immutable;
using Concord.Canonical;
using Concord.Canonical.Connectors;
using Concord.Connectors.Conformance;
using Concord.Testing;
using Concord.Testing.Zendesk;
using Microsoft.Extensions.Time.Testing;

namespace Concord.Connectors.Zendesk.Tests.Conformance;

/// <summary>The shared connector contract, run against the Zendesk connector and simulator.</summary>
/// <remarks>
/// The simulator keeps Zendesk's one-minute rule (a change comes out of the incremental exports once it is a minute old,
/// and a younger <c>start_time</c> is refused) on a <see cref="FakeTimeProvider"/>: the facts that read the feed after
/// writing advance it past the minute (<see cref="LetChangesSettleAsync"/>) instead of turning the rule off.
/// </remarks>
public sealed class ZendeskConformanceTests : CustomerConnectorConformanceTests
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private ZendeskSimulator? _simulator;
    private TestConnector<IZendeskConnector>? _connector;

    protected override Task<ICustomerConnector> CreateConnectorAsync()
    {
        // Jobs complete at once: their queued and working times would run on the same, still clock.
        _simulator = new ZendeskSimulator(new ZendeskSimulatorOptions { TimeProvider = _clock, BulkUserImportEnabled = true, JobQueuedTime = TimeSpan.Zero, JobWorkingTime = TimeSpan.Zero });
        _connector = _simulator.CreateConnector(o => o.CustomFieldMappings["industry"] = "industry");
        return Task.FromResult<ICustomerConnector>(_connector.Connector);
    }

    // Zendesk returns a change once it is a minute old: the simulator's clock moves past that minute.
    protected override Task LetChangesSettleAsync()
    {
        _clock.Advance(TimeSpan.FromSeconds(61));
        return Task.CompletedTask;
    }

    protected override IReadOnlyList<SentRequest> SentRequests() =>
        [.. _simulator!.Journal.Entries.Select(e => new SentRequest(e.Method, e.Path, e.Headers, e.Body))];

    protected override async Task DisposeConnectorAsync()
    {
        if (_connector is not null)
        {
            await _connector.DisposeAsync();
        }

        if (_simulator is not null)
        {
            await _simulator.DisposeAsync();
        }
    }

    // The custom attribute the connector maps (CustomFieldMappings: industry → the organization field 'industry').
    protected override ImmutableSortedDictionary<string, string> RichAttributes { get; } =
        ImmutableSortedDictionary<string, string>.Empty.Add("industry", "Manufacturing");

    // Zendesk refuses a domain name that is not one: this record fails in its job, the others are written.
    protected override CanonicalCustomer RejectedCustomer(string canonicalId) => ValidCustomer(canonicalId) with { Domain = "not a domain" };
}
