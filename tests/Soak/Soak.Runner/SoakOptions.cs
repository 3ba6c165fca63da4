using System.Globalization;

namespace Concord.Soak.Runner;

/// <summary>What a soak run does: how many customers, the seed of everything random, the faults, edits, kills and bounds.</summary>
internal sealed record SoakOptions
{
    /// <summary>Salesforce accounts (one contact each).</summary>
    public int Customers { get; init; } = 100_000;

    /// <summary>The seed of the data, the edits, the shop records, the kill points and the fault draws.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>How many times the worker is SIGKILLed (and restarted on the same state file).</summary>
    public int Kills { get; init; } = 6;

    /// <summary>The share of simulator requests that get a fault (5xx, 429 with Retry-After, lost response, latency).</summary>
    public double FaultShare { get; init; } = 0.30;

    /// <summary>The share of valid accounts that are edited during the run (renames, reverts, contact changes).</summary>
    public double EditShare { get; init; } = 0.10;

    /// <summary>The share of customers the second flow (a host-submitted shop feed to the same Odoo) brings: half of them Salesforce's companies, half its own.</summary>
    public double ShopShare { get; init; } = 0.05;

    /// <summary>The bound of the whole run; past it the run stops and fails.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(60);

    /// <summary>Where the state file, the events and the worker settings go; a new temporary folder when null.</summary>
    public string? Folder { get; init; }

    /// <summary>Whether to keep the folder after the run.</summary>
    public bool Keep { get; init; }

    /// <summary>How many examples each failed check prints.</summary>
    public int Examples { get; init; } = 5;

    public const string Usage = """
        Usage: soak [--customers N] [--seed S] [--kills K] [--faults SHARE] [--edits SHARE] [--shop SHARE]
                    [--timeout MINUTES] [--folder PATH] [--keep] [--examples N]
          --customers  Salesforce accounts with one contact each (default 100000)
          --seed       seed of the data, edits, shop records, kill points and fault draws (default 1)
          --kills      SIGKILLs of the worker process during the run (default 6)
          --faults     share of simulator requests with a fault (default 0.30)
          --edits      share of accounts edited during the run (default 0.10)
          --shop       share of customers the second flow brings (default 0.05)
          --timeout    bound of the whole run in minutes (default 60)
          --folder     where the state file and event log go (default: a new temporary folder)
          --keep       keep that folder afterwards (it is always kept when a check fails)
          --examples   examples printed per failed check (default 5)
        """;

    /// <summary>Reads the command line; throws <see cref="ArgumentException"/> with the usage on a bad argument.</summary>
    public static SoakOptions Parse(IReadOnlyList<string> args)
    {
        var options = new SoakOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name == "--keep")
            {
                options = options with { Keep = true };
                continue;
            }

            if (i + 1 >= args.Count)
            {
                throw new ArgumentException($"{name} needs a value.\n{Usage}");
            }

            var value = args[++i];
            options = name switch
            {
                "--customers" => options with { Customers = Positive(name, int.Parse(value, CultureInfo.InvariantCulture)) },
                "--seed" => options with { Seed = int.Parse(value, CultureInfo.InvariantCulture) },
                "--kills" => options with { Kills = Math.Max(0, int.Parse(value, CultureInfo.InvariantCulture)) },
                "--faults" => options with { FaultShare = Share(name, value) },
                "--edits" => options with { EditShare = Share(name, value) },
                "--shop" => options with { ShopShare = Share(name, value) },
                "--timeout" => options with { Timeout = TimeSpan.FromMinutes(Positive(name, double.Parse(value, CultureInfo.InvariantCulture))) },
                "--folder" => options with { Folder = value },
                "--examples" => options with { Examples = Math.Max(0, int.Parse(value, CultureInfo.InvariantCulture)) },
                _ => throw new ArgumentException($"Unknown option {name}.\n{Usage}"),
            };
        }

        return options;
    }

    private static T Positive<T>(string name, T value)
        where T : System.Numerics.INumber<T> =>
        value > T.Zero ? value : throw new ArgumentException($"{name} must be positive.\n{Usage}");

    private static double Share(string name, string text)
    {
        var share = double.Parse(text, CultureInfo.InvariantCulture);
        return share is >= 0 and <= 1 ? share : throw new ArgumentException($"{name} must be between 0 and 1.\n{Usage}");
    }
}
