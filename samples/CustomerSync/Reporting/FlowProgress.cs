using System.Diagnostics.Metrics;
using Concord.Canonical.Diagnostics;

namespace Concord.Samples.CustomerSync.Reporting;

/// <summary>Counts records as flows handle them, from the <c>concord.flow.records</c> counter of the <c>Concord</c> meter: the same numbers an OpenTelemetry exporter would see.</summary>
internal sealed class FlowProgress : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _handled;

    public FlowProgress()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == ConcordTelemetry.Name && instrument.Name == "concord.flow.records")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _handled, value));
        _listener.Start();
    }

    public long Handled => Interlocked.Read(ref _handled);

    public void Dispose() => _listener.Dispose();
}
