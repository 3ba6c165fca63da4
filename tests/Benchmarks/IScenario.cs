namespace Concord.Benchmarks;

/// <summary>
/// A whole-system measurement that BenchmarkDotNet cannot express well (calls made, records/s against a simulator
/// with latency, peak working set). Each prints its figures; <c>build/bench.sh</c> runs them all.
/// </summary>
public interface IScenario
{
    /// <summary>The name used on the command line (<c>build/bench.sh odoo-upsert</c>).</summary>
    string Name { get; }

    /// <summary>Runs the scenario and writes its figures to <paramref name="output"/>.</summary>
    /// <param name="smoke">True for a very short run that only checks the scenario works.</param>
    /// <param name="output">Where to write the figures.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    Task RunAsync(bool smoke, TextWriter output, CancellationToken cancellationToken);
}
