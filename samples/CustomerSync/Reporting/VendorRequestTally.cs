using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Concord.Canonical.Diagnostics;

namespace Concord.Samples.CustomerSync.Reporting;

/// <summary>
/// Counts the vendor HTTP requests each connector sends, from the <c>concord.vendor.requests</c> counter of the
/// <c>Concord</c> meter: the same figure an OpenTelemetry exporter would show, and what a run costs of a vendor's limits.
/// </summary>
internal sealed class VendorRequestTally : IDisposable
{
    private readonly ConcurrentDictionary<string, long> _bySystem = new(StringComparer.Ordinal);
    private readonly MeterListener _listener = new();

    public VendorRequestTally()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == ConcordTelemetry.Name && instrument.Name == "concord.vendor.requests")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var system = "?";
            foreach (var tag in tags)
            {
                if (tag.Key == ConcordTelemetry.SystemTag)
                {
                    system = tag.Value as string ?? system;
                }
            }

            _bySystem.AddOrUpdate(system, value, (_, count) => count + value);
        });
        _listener.Start();
    }

    /// <summary>The requests counted since the last snapshot, by connector name.</summary>
    public IReadOnlyDictionary<string, long> TakeSnapshot()
    {
        var snapshot = new SortedDictionary<string, long>(_bySystem, StringComparer.Ordinal);
        _bySystem.Clear();
        return snapshot;
    }

    public void Dispose() => _listener.Dispose();
}
