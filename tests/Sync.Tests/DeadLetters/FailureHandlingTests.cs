using Concord.Canonical;
using Concord.Canonical.Errors;
using Concord.Canonical.Normalization;
using Concord.Canonical.Serialization;
using Concord.Sync.Audit;
using Concord.Sync.DeadLetters;
using Concord.Sync.Flows;
using Concord.Sync.Tests.Engine.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Concord.Sync.Tests.DeadLetters;

public sealed class FailureHandlingTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);

    private static (EngineHarness Harness, FakeCustomerConnector Crm, FakeCustomerConnector Erp) Create(Action<FlowBuilder>? configure = null)
    {
        var crm = new FakeCustomerConnector("crm");
        var erp = new FakeCustomerConnector("erp");
        var harness = new EngineHarness(c => c.AddFlow("flow", f =>
        {
            f.From("crm").To("erp");
            configure?.Invoke(f);
        }), null, crm, erp);
        return (harness, crm, erp);
    }

    [Fact]
    public async Task An_invalid_record_is_dead_lettered_with_its_payload_and_never_retried()
    {
        var (harness, crm, erp) = Create();
        using var _ = harness;
        crm.Emit(Customers.Company(1, country: "XX"), T0, id: "bad");
        crm.Emit(Customers.Company(2), T0, id: "good");

        var first = await harness.Flow().RunOnceAsync();
        var second = await harness.Flow().RunOnceAsync();

        Assert.Equal((1, 1), (first.DeadLettered, first.Created));
        Assert.Equal(0, second.Read);
        var deadLetter = Assert.Single(await harness.DeadLettersAsync());
        Assert.Equal((ErrorCategory.Validation, DeadLetterStatus.DeadLettered, "bad", 1), (deadLetter.Category, deadLetter.Status, deadLetter.SourceExternalId, deadLetter.Attempts));
        Assert.Contains("$.addresses[0].country", deadLetter.Reason, StringComparison.Ordinal);
        Assert.Equal("Company 1", CanonicalJson.Deserialize(deadLetter.Payload).Name);
        Assert.Single(erp.Records);
    }

    [Theory]
    [InlineData(ErrorCategory.Validation)]
    [InlineData(ErrorCategory.Conflict)]
    [InlineData(ErrorCategory.Authorization)]
    public async Task A_record_level_vendor_failure_dead_letters_that_record_and_the_rest_goes_through(ErrorCategory category)
    {
        var (harness, crm, erp) = Create();
        using var _ = harness;
        for (var i = 0; i < 5; i++)
        {
            crm.Emit(Customers.Company(i), T0.AddMinutes(i), id: $"r{i}");
        }

        erp.FailWrites(c => c.Name == "Company 2", category);

        var summary = await harness.Flow().RunOnceAsync();
        var next = await harness.Flow().RunOnceAsync();

        Assert.Equal((4, 1), (summary.Created, summary.DeadLettered));
        Assert.Equal(4, erp.Records.Count);
        var deadLetter = Assert.Single(await harness.DeadLettersAsync());
        Assert.Equal((category, "r2", "erp"), (deadLetter.Category, deadLetter.SourceExternalId, deadLetter.TargetSystem));
        Assert.Equal(0, next.Read); // not retried blindly
    }

    [Fact]
    public async Task A_transient_record_failure_is_deferred_retried_next_run_and_dead_lettered_after_the_last_attempt()
    {
        var (harness, crm, erp) = Create(f => f.Configure(o => o.MaxDeliveryAttempts = 3));
        using var _ = harness;
        crm.Emit(Customers.Company(1), T0, id: "r1");
        erp.FailWrites(c => c.Name == "Company 1", ErrorCategory.Transient);

        var runs = new List<FlowRunSummary>();
        for (var i = 0; i < 4; i++)
        {
            runs.Add(await harness.Flow().RunOnceAsync());
        }

        Assert.Equal([1, 1, 0, 0], runs.Select(r => r.Deferred));
        Assert.Equal([0, 0, 1, 0], runs.Select(r => r.DeadLettered));
        Assert.Equal([1, 1, 1, 0], runs.Select(r => r.Read));
        var deadLetter = Assert.Single(await harness.DeadLettersAsync());
        Assert.Equal((DeadLetterStatus.DeadLettered, 3, ErrorCategory.Transient), (deadLetter.Status, deadLetter.Attempts, deadLetter.Category));
        Assert.Empty(erp.Records);
    }

    [Fact]
    public async Task A_deferred_record_is_delivered_on_the_next_run_once_the_failure_clears()
    {
        var (harness, crm, erp) = Create();
        using var _ = harness;
        crm.Emit(Customers.Company(1), T0, id: "r1");
        erp.FailWrites(c => c.Name == "Company 1", ErrorCategory.RateLimited, times: 1);

        var first = await harness.Flow().RunOnceAsync();
        var second = await harness.Flow().RunOnceAsync();

        Assert.Equal((1, 0), (first.Deferred, first.Created));
        Assert.Equal((0, 1), (second.Deferred, second.Created));
        Assert.Single(erp.Records);
        Assert.Equal(DeadLetterStatus.Resolved, Assert.Single(await harness.DeadLettersAsync()).Status);
    }

    [Fact]
    public async Task An_open_circuit_under_Defer_pauses_the_target_and_keeps_the_backlog_in_the_source_until_a_probe_succeeds()
    {
        var (harness, crm, erp) = Create(f => f.WhenTargetUnavailable(TargetPolicy.Defer).Configure(o => o.PageSize = 2));
        using var _ = harness;
        for (var i = 0; i < 5; i++)
        {
            crm.Emit(Customers.Company(i), T0.AddMinutes(i));
        }

        erp.CircuitOpen = true;
        var down = await harness.Flow().RunOnceAsync();
        erp.CircuitOpen = false;
        var beforeTheProbe = await harness.Flow().RunOnceAsync();
        harness.Time.Advance(harness.Flow().Options.ProbeInterval);
        var up = await harness.Flow().RunOnceAsync();

        Assert.Equal((2, 0, true, ErrorCategory.Transient), (down.Read, down.Deferred, down.Stopped, down.StopCategory));
        Assert.Equal((0, true), (beforeTheProbe.Read, beforeTheProbe.Stopped));
        Assert.Empty(await harness.DeadLettersAsync());
        Assert.Equal((5, 5, false), (up.Read, up.Created, up.Stopped));
        Assert.Equal("5", (await harness.Cursors.GetAsync("flow", "crm"))!.Cursor.Value);
        Assert.Equal(5, erp.Records.Count);
    }

    [Fact]
    public async Task An_open_circuit_under_Stop_stops_the_run_and_keeps_the_cursor_before_the_first_record_not_delivered()
    {
        var (harness, crm, erp) = Create(f => f.WhenTargetUnavailable(TargetPolicy.Stop).Configure(o => o.PageSize = 2));
        using var _ = harness;
        for (var i = 0; i < 5; i++)
        {
            crm.Emit(Customers.Company(i), T0.AddMinutes(i));
        }

        await harness.Flow().RunOnceAsync();
        Assert.Equal("5", (await harness.Cursors.GetAsync("flow", "crm"))!.Cursor.Value);
        crm.Emit(Customers.Company(5), T0.AddHours(1));
        crm.Emit(Customers.Company(6), T0.AddHours(1));

        erp.CircuitOpen = true;
        var down = await harness.Flow().RunOnceAsync();
        var cursorWhileDown = (await harness.Cursors.GetAsync("flow", "crm"))!.Cursor.Value;
        erp.CircuitOpen = false;
        harness.Time.Advance(harness.Flow().Options.ProbeInterval);
        var up = await harness.Flow().RunOnceAsync();

        Assert.True(down.Stopped);
        Assert.Contains("erp", down.StopReason, StringComparison.Ordinal);
        Assert.Equal(0, down.Deferred);
        Assert.Equal("5", cursorWhileDown);
        Assert.Empty(await harness.DeadLettersAsync());
        Assert.Equal((2, 2), (up.Read, up.Created));
        Assert.Equal(7, erp.Records.Count);
    }

    [Fact]
    public async Task A_write_another_worker_holds_is_deferred_without_using_up_attempts_until_its_lease_ends()
    {
        var (harness, crm, erp) = Create(f => f.Configure(o => o.MaxDeliveryAttempts = 2));
        using var _ = harness;
        var customer = Customers.Company(1);
        crm.Emit(customer, T0, id: "r1");
        var canonicalId = Concord.Sync.Engine.StableIds.CanonicalIdFor(new ExternalRef("crm", "r1"));
        var other = await harness.WriteLedger.AcquireAsync([new Concord.Sync.Storage.WriteLeaseRequest { CanonicalId = canonicalId, Target = "erp" }], TimeSpan.FromHours(1));
        Assert.Equal(Concord.Sync.Storage.WriteLeaseStatus.Acquired, Assert.Single(other).Status);

        var held = new List<FlowRunSummary>();
        for (var i = 0; i < 3; i++)
        {
            held.Add(await harness.Flow().RunOnceAsync());
        }

        harness.Time.Advance(TimeSpan.FromHours(2));
        var free = await harness.Flow().RunOnceAsync();

        Assert.All(held, r => Assert.Equal((1, 0), (r.Deferred, r.DeadLettered)));
        Assert.Equal(1, free.Created);
        Assert.Single(erp.Records);
        var entry = Assert.Single(await harness.DeadLettersAsync());
        Assert.Equal((DeadLetterStatus.Resolved, 0), (entry.Status, entry.Attempts));
    }

    [Fact]
    public async Task A_target_that_reports_itself_down_pauses_the_flow_without_any_call_and_resumes_when_it_reports_itself_up()
    {
        var crm = new FakeCustomerConnector("crm");
        var erp = new HealthReportingConnector(new FakeCustomerConnector("erp")) { IsAvailable = false };
        using var withHealth = new EngineHarness(
            c => Concord.Canonical.DependencyInjection.ConcordConnectorBuilderExtensions.AddConnector(c, new Concord.Canonical.DependencyInjection.ConnectorRegistration("erp", "fake"), (_, _) => erp)
                .AddFlow("flow", f => f.From("crm").To("erp").WhenTargetUnavailable(TargetPolicy.Defer)),
            null,
            crm);
        crm.Emit(Customers.Company(1), T0);

        var down = await withHealth.Flow().RunOnceAsync();
        erp.IsAvailable = true;
        var up = await withHealth.Flow().RunOnceAsync();

        Assert.Equal((0, true), (down.Deferred, down.Stopped));
        Assert.Empty(await withHealth.DeadLettersAsync());
        Assert.Equal(1, up.Created);
        Assert.Equal(1, erp.Inner.UpsertManyCalls);
        Assert.Equal(0, erp.CallsWhileDown);
    }

    [Fact]
    public async Task Replaying_a_dead_letter_twice_writes_the_record_once()
    {
        var (harness, crm, erp) = Create();
        using var _ = harness;
        crm.Emit(Customers.Company(1), T0, id: "r1");
        erp.FailWrites(c => c.Name == "Company 1", ErrorCategory.Validation, times: 1);
        await harness.Flow().RunOnceAsync();
        var deadLetter = Assert.Single(await harness.DeadLettersAsync(DeadLetterStatus.DeadLettered));

        var first = await harness.Flow().ReplayAsync(deadLetter.Id);
        var second = await harness.Flow().ReplayAsync(deadLetter.Id);

        Assert.Equal(AuditOutcome.Created, first.Outcome);
        Assert.Equal(AuditOutcome.Unchanged, second.Outcome);
        Assert.Single(erp.Records);
        Assert.Equal(1, erp.RecordsWritten);
        Assert.Equal(DeadLetterStatus.Resolved, (await harness.DeadLetters.GetAsync(deadLetter.Id))!.Status);
    }

    [Fact]
    public async Task Replay_all_delivers_every_open_dead_letter_and_a_second_replay_all_writes_nothing()
    {
        var (harness, crm, erp) = Create();
        using var _ = harness;
        for (var i = 0; i < 4; i++)
        {
            crm.Emit(Customers.Company(i), T0.AddMinutes(i));
        }

        erp.FailWrites(c => c.Name is "Company 1" or "Company 3", ErrorCategory.Authorization, times: 2);
        await harness.Flow().RunOnceAsync();

        var replay = await harness.Flow().ReplayAllAsync();
        var again = await harness.Flow().ReplayAllAsync();

        Assert.Equal((2, 2), (replay.Read, replay.Created));
        Assert.Equal(0, again.Read);
        Assert.Equal(4, erp.Records.Count);
        Assert.Equal(4, erp.RecordsWritten);
    }

    [Fact]
    public async Task Replaying_an_unknown_dead_letter_says_which()
    {
        var (harness, _, _) = Create();
        using var _ = harness;

        var error = await Assert.ThrowsAsync<KeyNotFoundException>(() => harness.Flow().ReplayAsync("nope"));

        Assert.Contains("nope", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_source_that_fails_mid_feed_stops_the_run_after_committing_what_was_read()
    {
        var (harness, crm, erp) = Create(f => f.Configure(o => o.PageSize = 2));
        using var _ = harness;
        for (var i = 0; i < 5; i++)
        {
            crm.Emit(Customers.Company(i), T0.AddMinutes(i));
        }

        crm.FeedFailsAfter = 3;
        var broken = await harness.Flow().RunOnceAsync();
        crm.FeedFailsAfter = null;
        var resumed = await harness.Flow().RunOnceAsync();

        Assert.True(broken.Stopped);
        Assert.Equal(3, broken.Created);
        Assert.Equal(2, resumed.Created);
        Assert.Equal(5, erp.Records.Count);
    }

    private sealed class HealthReportingConnector(FakeCustomerConnector inner) : Concord.Canonical.Connectors.ICustomerConnector, Concord.Canonical.Connectors.ITargetHealth
    {
        public FakeCustomerConnector Inner => inner;

        public bool IsAvailable { get; set; }

        public string? UnavailableReason => IsAvailable ? null : "circuit open";

        public int CallsWhileDown { get; private set; }

        public string Name => inner.Name;

        public Concord.Canonical.Connectors.ConnectorCapabilities Capabilities => inner.Capabilities;

        public Task<CanonicalCustomer?> GetAsync(string externalId, CancellationToken cancellationToken = default) => Count(inner.GetAsync(externalId, cancellationToken));

        public Task<IReadOnlyList<CanonicalCustomer>> FindAsync(Concord.Canonical.Connectors.MatchKeys keys, CancellationToken cancellationToken = default) => Count(inner.FindAsync(keys, cancellationToken));

        public Task<Concord.Canonical.Connectors.UpsertResult> UpsertAsync(Concord.Canonical.Connectors.UpsertRequest request, CancellationToken cancellationToken = default) => Count(inner.UpsertAsync(request, cancellationToken));

        public Task<IReadOnlyList<Concord.Canonical.Connectors.UpsertResult>> UpsertManyAsync(IReadOnlyList<Concord.Canonical.Connectors.UpsertRequest> requests, CancellationToken cancellationToken = default) => Count(inner.UpsertManyAsync(requests, cancellationToken));

        public IAsyncEnumerable<Concord.Canonical.Connectors.CustomerChange> ReadChangesAsync(Concord.Canonical.Connectors.ChangeCursor? from, CancellationToken cancellationToken = default) => inner.ReadChangesAsync(from, cancellationToken);

        private T Count<T>(T call)
        {
            if (!IsAvailable)
            {
                CallsWhileDown++;
            }

            return call;
        }
    }
}
