using System.Globalization;

namespace Concord.Soak.Runner;

/// <summary>The outcome of a soak run: each check with its failures, the run's facts, and how long it took.</summary>
internal sealed class SoakReport(SoakOptions options, IReadOnlyList<SoakCheck> checks, IReadOnlyList<(string Name, string Value)> facts, TimeSpan elapsed, string folder)
{
    public SoakOptions Options { get; } = options;

    public IReadOnlyList<SoakCheck> Checks { get; } = checks;

    public IReadOnlyList<(string Name, string Value)> Facts { get; } = facts;

    public TimeSpan Elapsed { get; } = elapsed;

    public string Folder { get; } = folder;

    public bool Passed => Checks.All(c => c.Failures == 0);

    public void Print(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine();
        foreach (var (name, value) in Facts)
        {
            output.WriteLine($"  {name,-24}{value}");
        }

        output.WriteLine();
        foreach (var check in Checks)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {check.Name,-24}{check.Failures,8:N0}   {(check.Failures == 0 ? "ok" : "FAIL: " + check.Meaning)}"));
            if (check.Note is { } note)
            {
                output.WriteLine($"  {string.Empty,-24}           ({note})");
            }

            foreach (var example in check.Examples)
            {
                output.WriteLine($"  {string.Empty,-24}           e.g. {example}");
            }
        }

        output.WriteLine();
        output.WriteLine(Passed
            ? string.Create(CultureInfo.InvariantCulture, $"PASS: {Options.Customers:N0} customers, seed {Options.Seed}, {SoakRun.Seconds(Elapsed)}")
            : string.Create(CultureInfo.InvariantCulture, $"FAIL: {Checks.Count(c => c.Failures > 0)} checks failed (customers {Options.Customers:N0}, seed {Options.Seed}); state, events and worker log kept in {Folder}"));
    }
}
