using System.Diagnostics;
using System.Diagnostics.Metrics;
using Concord.Canonical.Diagnostics;
using Concord.Canonical.Errors;
using Concord.Sync.Audit;
using Concord.Sync.DeadLetters;
using Concord.Sync.Flows;
using Concord.Sync.Tests.Engine.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Xunit;

namespace Concord.Sync.Tests.Engine;

/// <summary>Outages pause a flow for the target; they do not dead-letter its backlog (issue 11, §5).</summary>
[Collection(Concord.Sync.Tests.Diagnostics.ActivityListenerCollection.Name)]
public sealed class TargetPauseTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);

    /// <summary>Longer than any probe back-off, so that every run in a loop probes the target.</summary>
    private static readonly TimeSpan WellAfterTheNextProbe = TimeSpan.FromHours(1);

    [Theory]
    [InlineData(ErrorCategory.Authentication)]
    [InlineData(ErrorCategory.Authorization)]
    [InlineData(ErrorCategory.Configuration)]
    [InlineData(ErrorCategory.RateLimited)]
    [InlineData(ErrorCategory.Transient)]
    public async Task A_system_level_failure_pauses_the_target_instead_of_dead_lettering_its_backlog(ErrorCategory category)
    {
        var (harness, crm, erp) = Create("paused-" + category);
        using var _ = harness;
        for (var i = 0; i < 5; i++)
        {
            crm.Emit(Customers.Company(i), T0.AddMinutes(i), id: $"r{i}");
        }

        erp.SystemFailure = category;
        var down = new List<FlowRunSummary>();
        for (var run = 0; run < 7; run++)
        {
            down.Add(await harness.Flow().RunOnceAsync());
            harness.Time.Advance(WellAfterTheNextProbe);
        }

        Assert.All(down, s => Assert.Equal((true, category, 0, 0), (s.Stopped, s.StopCategory, s.DeadLettered, s.Deferred)));
        Assert.Empty(await harness.DeadLettersAsync());
        Assert.Null(await harness.Cursors.GetAsync(harness.Flow().Name, "crm"));
        Assert.Equal(0, erp.RecordsWritten);

        erp.SystemFailure = null;
        var up = await harness.Flow().RunOnceAsync();

        Assert.Equal((5, 5, false), (up.Read, up.Created, up.Stopped));
        Assert.Equal("5", (await harness.Cursors.GetAsync(harness.Flow().Name, "crm"))!.Cursor.Value);
        Assert.Empty(await harness.DeadLettersAsync());
    }

    [Fact]
    public async Task A_paused_target_is_not_called_and_the_feed_not_read_until_its_probe_is_due()
    {
        var (harness, crm, erp) = Create("probe-due");
        using var _ = harness;
        crm.Emit(Customers.Company(1), T0);
        erp.SystemFailure = ErrorCategory.Authentication;

        await harness.Flow().RunOnceAsync();
        var (calls, reads) = (erp.Calls, crm.ReadCalls);
        var early = await harness.Flow().RunOnceAsync();
        harness.Time.Advance(TimeSpan.FromSeconds(10));
        var stillEarly = await harness.Flow().RunOnceAsync();
        var quiet = (erp.Calls, crm.ReadCalls);
        harness.Time.Advance(harness.Flow().Options.ProbeInterval);
        var probe = await harness.Flow().RunOnceAsync();

        Assert.True(calls > 0);
        Assert.Equal((calls, reads), quiet);
        Assert.All([early, stillEarly], s => Assert.Equal((true, ErrorCategory.Authentication, 0), (s.Stopped, s.StopCategory, s.Read)));
        Assert.Equal((true, ErrorCategory.Authentication), (probe.Stopped, probe.StopCategory));
        Assert.Contains("erp", early.StopReason, StringComparison.Ordinal);
        Assert.True(erp.Calls > calls, "the run after the probe interval tries the target again");
    }

    [Fact]
    public async Task The_wait_between_failed_probes_grows()
    {
        var (harness, crm, erp) = Create("backoff");
        using var _ = harness;
        crm.Emit(Customers.Company(1), T0);
        erp.SystemFailure = ErrorCategory.Authentication;
        var interval = harness.Flow().Options.ProbeInterval;

        await harness.Flow().RunOnceAsync();           // pauses
        harness.Time.Advance(interval);
        await harness.Flow().RunOnceAsync();           // first probe fails: the next wait is longer
        var afterFirstProbe = erp.Calls;
        harness.Time.Advance(interval);
        await harness.Flow().RunOnceAsync();           // not due yet
        var notYet = erp.Calls;
        harness.Time.Advance(interval);
        await harness.Flow().RunOnceAsync();           // due: two intervals after the failed probe

        Assert.Equal(afterFirstProbe, notYet);
        Assert.True(erp.Calls > notYet);
    }

    [Fact]
    public async Task A_pause_and_a_resume_are_logged_once_each_and_no_record_is_logged_as_deferred()
    {
        var (harness, crm, erp) = Create("logged", services: s => s.AddFakeLogging());
        using var _ = harness;
        for (var i = 0; i < 3; i++)
        {
            crm.Emit(Customers.Company(i), T0.AddMinutes(i));
        }

        erp.SystemFailure = ErrorCategory.Authentication;
        for (var run = 0; run < 5; run++)
        {
            await harness.Flow().RunOnceAsync();
            harness.Time.Advance(WellAfterTheNextProbe);
        }

        erp.SystemFailure = null;
        await harness.Flow().RunOnceAsync();
        await harness.Flow().RunOnceAsync();

        var logs = harness.Services.GetFakeLogCollector().GetSnapshot();
        var paused = Assert.Single(logs, l => l.Id.Name == "TargetPaused");
        var resumed = Assert.Single(logs, l => l.Id.Name == "TargetResumed");
        Assert.Equal((LogLevel.Warning, LogLevel.Information), (paused.Level, resumed.Level));
        Assert.Contains("erp", paused.Message, StringComparison.Ordinal);
        Assert.Contains("Authentication", paused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(logs, l => l.Id.Name is "RecordDeferred" or "RecordDeadLettered");
    }

    [Fact]
    public async Task The_health_check_reports_a_paused_target_until_it_resumes()
    {
        var (harness, crm, erp) = Create("health", services: s => s.AddLogging());
        using var _ = harness;
        crm.Emit(Customers.Company(1), T0);
        var health = harness.Services.GetRequiredService<HealthCheckService>();
        var before = await health.CheckHealthAsync();

        erp.SystemFailure = ErrorCategory.Authentication;
        await harness.Flow().RunOnceAsync();
        var down = await health.CheckHealthAsync();
        erp.SystemFailure = null;
        harness.Time.Advance(WellAfterTheNextProbe);
        await harness.Flow().RunOnceAsync();
        var after = await health.CheckHealthAsync();

        Assert.Equal(HealthStatus.Healthy, before.Status);
        var entry = down.Entries["concord"];
        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Contains("erp", entry.Description, StringComparison.Ordinal);
        Assert.Equal("Authentication", entry.Data["health/erp"]);
        Assert.Equal(HealthStatus.Healthy, after.Status);
    }

    [Fact]
    public async Task A_paused_target_is_measured_by_an_observable_gauge()
    {
        var (harness, crm, erp) = Create("gauged");
        using var _ = harness;
        crm.Emit(Customers.Company(1), T0);
        var readings = new List<(int Value, string? Target)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == ConcordTelemetry.Name && instrument.Name == "concord.flow.target.paused")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<int>((_, value, tags, _) =>
        {
            var tagList = tags.ToArray();
            if (tagList.Any(t => t.Key == ConcordTelemetry.FlowTag && (string?)t.Value == "gauged"))
            {
                readings.Add((value, tagList.Single(t => t.Key == ConcordTelemetry.SystemTag).Value as string));
            }
        });
        listener.Start();

        erp.SystemFailure = ErrorCategory.Authentication;
        await harness.Flow().RunOnceAsync();
        listener.RecordObservableInstruments();
        var whilePaused = readings.ToList();
        readings.Clear();
        erp.SystemFailure = null;
        harness.Time.Advance(WellAfterTheNextProbe);
        await harness.Flow().RunOnceAsync();
        listener.RecordObservableInstruments();

        Assert.Equal([(1, "erp")], whilePaused);
        Assert.Equal([(0, "erp")], readings);
    }

    [Fact]
    public async Task The_run_span_of_a_paused_flow_has_status_Error()
    {
        var (harness, crm, erp) = Create("span-paused");
        using var _ = harness;
        var spans = new List<Activity>();
        using var listener = Listen(spans);
        crm.Emit(Customers.Company(1), T0);
        erp.SystemFailure = ErrorCategory.Authentication;

        var summary = await harness.Flow().RunOnceAsync();

        Activity run;
        lock (spans)
        {
            run = spans.Single(a => a.OperationName == "concord.flow.run" && (string?)a.GetTagItem(ConcordTelemetry.FlowTag) == "span-paused");
        }

        Assert.True(summary.Stopped);
        Assert.Equal(ActivityStatusCode.Error, run.Status);
        Assert.Equal("Authentication", run.GetTagItem(ConcordTelemetry.ErrorCategoryTag));
    }

    [Fact]
    public async Task A_paused_second_target_defers_records_without_using_up_attempts_and_the_first_stays_current()
    {
        var crm = new FakeCustomerConnector("crm");
        var erp = new FakeCustomerConnector("erp");
        var wms = new FakeCustomerConnector("wms");
        using var harness = new EngineHarness(c => c.AddFlow("flow", f => f.From("crm").To("erp", "wms").Configure(o => o.MaxDeliveryAttempts = 2)), null, crm, erp, wms);
        for (var i = 0; i < 3; i++)
        {
            crm.Emit(Customers.Company(i), T0.AddMinutes(i));
        }

        wms.SystemFailure = ErrorCategory.Authorization;
        for (var run = 0; run < 4; run++)
        {
            await harness.Flow().RunOnceAsync();
            harness.Time.Advance(WellAfterTheNextProbe);
        }

        var waiting = await harness.DeadLettersAsync();
        wms.SystemFailure = null;
        var up = await harness.Flow().RunOnceAsync();

        Assert.Equal(3, erp.Records.Count);
        Assert.Equal(3, waiting.Count);
        Assert.All(waiting, d => Assert.Equal((DeadLetterStatus.Deferred, 0, "wms", ErrorCategory.Authorization), (d.Status, d.Attempts, d.TargetSystem, d.Category)));
        Assert.Equal(3, up.Created);
        Assert.Equal(3, wms.Records.Count);
        Assert.All(await harness.DeadLettersAsync(), d => Assert.Equal(DeadLetterStatus.Resolved, d.Status));
    }

    [Fact]
    public async Task A_record_submitted_while_the_target_is_paused_is_kept_without_using_an_attempt_and_delivered_after_the_resume()
    {
        var erp = new FakeCustomerConnector("erp");
        using var harness = new EngineHarness(c => c.AddFlow("flow", f => f.FromHost("crm").To("erp").Configure(o => o.MaxDeliveryAttempts = 1)), null, erp);
        var customer = Customers.Company(1) with { Provenance = new Concord.Canonical.Provenance { ExternalRefs = [new Concord.Canonical.ExternalRef("crm", "r1")] } };
        erp.SystemFailure = ErrorCategory.Authentication;

        var first = await harness.Flow().SubmitAsync(customer);
        harness.Time.Advance(WellAfterTheNextProbe);
        var second = await harness.Flow().SubmitAsync(customer);
        var waiting = Assert.Single(await harness.DeadLettersAsync());
        erp.SystemFailure = null;
        harness.Time.Advance(WellAfterTheNextProbe);
        var retry = await harness.Flow().RunOnceAsync();

        Assert.All([first, second], r => Assert.Equal((AuditOutcome.Deferred, ErrorCategory.Authentication), (r.Outcome, r.ErrorCategory)));
        Assert.Equal((DeadLetterStatus.Deferred, 0), (waiting.Status, waiting.Attempts));
        Assert.Equal(1, retry.Created);
        Assert.Single(erp.Records);
    }

    [Fact]
    public async Task A_record_level_failure_still_uses_up_attempts()
    {
        var (harness, crm, erp) = Create("record-level", configure: f => f.Configure(o => o.MaxDeliveryAttempts = 2));
        using var _ = harness;
        crm.Emit(Customers.Company(1), T0);
        crm.Emit(Customers.Company(2), T0.AddMinutes(1));
        erp.FailWrites(c => c.Name == "Company 1", ErrorCategory.Transient);

        var first = await harness.Flow().RunOnceAsync();
        var second = await harness.Flow().RunOnceAsync();

        Assert.Equal((1, 1, 0), (first.Created, first.Deferred, first.DeadLettered));
        Assert.Equal((0, 1), (second.Deferred, second.DeadLettered));
    }

    [Fact]
    public async Task A_source_that_cannot_be_read_stops_the_run_with_its_category_and_an_Error_span_and_RunOnceAsync_returns()
    {
        var (harness, crm, erp) = Create("source-down");
        using var _ = harness;
        var spans = new List<Activity>();
        using var listener = Listen(spans);
        for (var i = 0; i < 3; i++)
        {
            crm.Emit(Customers.Company(i), T0.AddMinutes(i));
        }

        crm.FeedFailsAfter = 2;
        var summary = await harness.Flow().RunOnceAsync();

        Activity run;
        lock (spans)
        {
            run = spans.Single(a => a.OperationName == "concord.flow.run" && (string?)a.GetTagItem(ConcordTelemetry.FlowTag) == "source-down");
        }

        Assert.Equal((true, ErrorCategory.Transient, 2), (summary.Stopped, summary.StopCategory, summary.Created));
        Assert.Contains("crm", summary.StopReason, StringComparison.Ordinal);
        Assert.Equal(ActivityStatusCode.Error, run.Status);
        Assert.Equal(2, erp.Records.Count);
    }

    private static (EngineHarness Harness, FakeCustomerConnector Crm, FakeCustomerConnector Erp) Create(string flow, Action<FlowBuilder>? configure = null, Action<IServiceCollection>? services = null)
    {
        var crm = new FakeCustomerConnector("crm");
        var erp = new FakeCustomerConnector("erp");
        var harness = new EngineHarness(
            c => c.AddFlow(flow, f =>
            {
                f.From("crm").To("erp");
                configure?.Invoke(f);
            }),
            services,
            crm,
            erp)
        { DefaultFlow = flow };
        return (harness, crm, erp);
    }

    private static ActivityListener Listen(List<Activity> spans)
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == ConcordTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                lock (spans)
                {
                    spans.Add(a);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }
}
