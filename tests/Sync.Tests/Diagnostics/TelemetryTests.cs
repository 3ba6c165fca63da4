using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using Concord.Canonical.Diagnostics;
using Concord.Sync.Tests.Engine.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Concord.Sync.Tests.Diagnostics;

[Collection(Concord.Sync.Tests.Diagnostics.ActivityListenerCollection.Name)]
public sealed class TelemetryTests
{
    [Fact]
    public async Task A_run_emits_run_batch_and_vendor_call_spans_tagged_with_flow_target_and_correlation_id()
    {
        var crm = new FakeCustomerConnector("crm");
        var erp = new FakeCustomerConnector("erp");
        using var harness = new EngineHarness(c => c.AddFlow("traced", f => f.From("crm").To("erp")), null, crm, erp);
        var spans = new List<Activity>();
        using var listener = new ActivityListener
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
        crm.Emit(Customers.Company(1), harness.Time.GetUtcNow());

        var summary = await harness.Flow("traced").RunOnceAsync();

        List<Activity> mine;
        lock (spans)
        {
            mine = spans.Where(a => (string?)a.GetTagItem(ConcordTelemetry.CorrelationIdTag) == summary.CorrelationId).ToList();
        }

        var run = Assert.Single(mine, a => a.OperationName == "concord.flow.run");
        var batch = Assert.Single(mine, a => a.OperationName == "concord.flow.batch");
        var write = Assert.Single(mine, a => a.OperationName == "concord.connector.upsert-many");
        Assert.Equal("traced", run.GetTagItem(ConcordTelemetry.FlowTag));
        Assert.Equal(run.SpanId, batch.ParentSpanId);
        Assert.Equal(batch.SpanId, write.ParentSpanId);
        Assert.Equal(("erp", "ok", ActivityKind.Client), (write.GetTagItem(ConcordTelemetry.SystemTag), write.GetTagItem(ConcordTelemetry.OutcomeTag), write.Kind));
    }

    [Fact]
    public async Task Records_by_outcome_dead_letters_and_cursor_lag_are_measured()
    {
        var crm = new FakeCustomerConnector("crm");
        var erp = new FakeCustomerConnector("erp");
        using var harness = new EngineHarness(c => c.AddFlow("measured", f => f.From("crm").To("erp")), null, crm, erp);
        var measurements = new List<(string Instrument, double Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == ConcordTelemetry.Name)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((i, v, t, _) => Add(i, v, t));
        listener.SetMeasurementEventCallback<double>((i, v, t, _) => Add(i, v, t));
        listener.Start();
        crm.Emit(Customers.Company(1), harness.Time.GetUtcNow().AddMinutes(-10));
        crm.Emit(Customers.Company(2, country: "XX"), harness.Time.GetUtcNow().AddMinutes(-5));

        await harness.Flow("measured").RunOnceAsync();

        List<(string Instrument, double Value, Dictionary<string, object?> Tags)> mine;
        lock (measurements)
        {
            mine = measurements.Where(m => Equals(m.Tags.GetValueOrDefault(ConcordTelemetry.FlowTag), "measured")).ToList();
        }

        Assert.Contains(mine, m => m is { Instrument: "concord.flow.records", Value: 1 } && Equals(m.Tags[ConcordTelemetry.OutcomeTag], "created") && Equals(m.Tags[ConcordTelemetry.SystemTag], "erp"));
        Assert.Contains(mine, m => m is { Instrument: "concord.flow.records" } && Equals(m.Tags[ConcordTelemetry.OutcomeTag], "dead-lettered"));
        Assert.Contains(mine, m => m is { Instrument: "concord.flow.dead_letters" } && Equals(m.Tags[ConcordTelemetry.ErrorCategoryTag], "Validation"));
        Assert.Single(mine, m => m.Instrument == "concord.flow.run.duration");

        void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var copy = new Dictionary<string, object?>();
            foreach (var tag in tags)
            {
                copy[tag.Key] = tag.Value;
            }

            lock (measurements)
            {
                measurements.Add((instrument.Name, value, copy));
            }
        }
    }

    [Fact]
    public async Task Cursor_lag_is_an_observable_gauge_that_keeps_growing_while_a_flow_is_stalled()
    {
        var crm = new FakeCustomerConnector("crm");
        var erp = new FakeCustomerConnector("erp");
        using var harness = new EngineHarness(c => c.AddFlow("lagging", f => f.From("crm").To("erp")), null, crm, erp);
        var lag = new List<double>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == ConcordTelemetry.Name && instrument.Name == "concord.flow.cursor.lag")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == ConcordTelemetry.FlowTag && Equals(tag.Value, "lagging"))
                {
                    lag.Add(value);
                }
            }
        });
        listener.Start();
        crm.Emit(Customers.Company(1), harness.Time.GetUtcNow().AddMinutes(-5));

        await harness.Flow("lagging").RunOnceAsync();
        listener.RecordObservableInstruments();
        var caughtUp = lag.ToList();
        lag.Clear();
        crm.Emit(Customers.Company(2), harness.Time.GetUtcNow());
        crm.FeedFailsAfter = 0;
        harness.Time.Advance(TimeSpan.FromMinutes(10));
        await harness.Flow("lagging").RunOnceAsync(); // the source cannot be read: the flow stalls
        harness.Time.Advance(TimeSpan.FromMinutes(10));
        listener.RecordObservableInstruments();

        Assert.Equal([0d], caughtUp);
        Assert.Equal([1200d], lag);
    }

    [Fact]
    public void Duration_histograms_advise_explicit_bucket_boundaries_beyond_the_default_five_seconds()
    {
        var advised = new Dictionary<string, IReadOnlyList<double>?>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Name == ConcordTelemetry.Name && instrument is Histogram<double> histogram)
                {
                    lock (advised)
                    {
                        advised[instrument.Name] = histogram.Advice?.HistogramBucketBoundaries;
                    }
                }
            },
        };
        listener.Start();
        RuntimeHelpers.RunClassConstructor(Type.GetType("Concord.Canonical.Diagnostics.ConcordMetrics, Concord.Canonical", throwOnError: true)!.TypeHandle);
        RuntimeHelpers.RunClassConstructor(Type.GetType("Concord.Sync.Diagnostics.SyncTelemetry, Concord.Sync", throwOnError: true)!.TypeHandle);

        foreach (var name in new[] { "concord.flow.run.duration", "concord.vendor.request.duration" })
        {
            var boundaries = Assert.IsAssignableFrom<IReadOnlyList<double>>(advised.GetValueOrDefault(name));
            Assert.True(boundaries.Count >= 8, name);
            Assert.Contains(boundaries, b => b > 5);
            Assert.True(boundaries[0] <= 0.1, name);
        }
    }

    [Fact]
    public async Task The_correlation_id_of_a_traced_run_is_its_trace_id()
    {
        var crm = new FakeCustomerConnector("crm");
        var erp = new FakeCustomerConnector("erp");
        using var harness = new EngineHarness(c => c.AddFlow("correlated", f => f.From("crm").To("erp")), null, crm, erp);
        var spans = new List<Activity>();
        using var listener = new ActivityListener
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
        crm.Emit(Customers.Company(1), harness.Time.GetUtcNow());

        var summary = await harness.Flow("correlated").RunOnceAsync();

        Activity run;
        lock (spans)
        {
            run = spans.Single(a => a.OperationName == "concord.flow.run" && Equals(a.GetTagItem(ConcordTelemetry.FlowTag), "correlated"));
        }

        Assert.Equal(run.TraceId.ToHexString(), summary.CorrelationId);
        Assert.Equal(summary.CorrelationId, run.GetTagItem(ConcordTelemetry.CorrelationIdTag));
    }

    [Fact]
    public async Task Log_lines_carry_the_correlation_id_of_the_run()
    {
        var crm = new FakeCustomerConnector("crm");
        var erp = new FakeCustomerConnector("erp");
        using var harness = new EngineHarness(
            c => c.AddFlow("logged", f => f.From("crm").To("erp")),
            s => s.AddFakeLogging(),
            crm,
            erp);
        crm.Emit(Customers.Company(1, country: "XX"), harness.Time.GetUtcNow());

        var summary = await harness.Flow("logged").RunOnceAsync();

        var records = harness.Services.GetRequiredService<Microsoft.Extensions.Logging.Testing.FakeLogCollector>().GetSnapshot()
            .Where(r => r.Category == "Concord.Flows").ToList();
        Assert.Contains(records, r => r.Id.Id == 6004);
        Assert.All(records, r => Assert.Equal(summary.CorrelationId, r.GetStructuredStateValue("CorrelationId")));
    }
}
