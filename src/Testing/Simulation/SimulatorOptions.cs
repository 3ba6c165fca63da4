namespace Concord.Testing;

/// <summary>How a <see cref="SimulatorBase"/> runs: its clock and the seed of its fault plan.</summary>
public sealed class SimulatorOptions
{
    /// <summary>Gets or sets the clock for journal times and added latency; pass a <c>FakeTimeProvider</c> to control latency from a test.</summary>
    /// <value>The default value is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Gets or sets the seed of the <see cref="FaultPlan"/>'s random draws, so a share of faults hits the same calls on every run.</summary>
    /// <value>The default value is 0.</value>
    public int Seed { get; set; }
}
