using System.Globalization;

namespace Concord.Soak.Runner;

/// <summary>How an edited account changes during the run.</summary>
internal enum EditKind
{
    /// <summary>Renamed A → B while the load runs; back to A once B was written (a revert Concord must write).</summary>
    RevertAfterWritten,

    /// <summary>Renamed A → B and back to A within a second or two after the load (Concord may see B or not).</summary>
    QuickRevert,

    /// <summary>Renamed A → B while the load runs, then B → C after it.</summary>
    TwoRenames,

    /// <summary>The contact's last name changes while the load runs and is reverted after it.</summary>
    ContactRevert,
}

/// <summary>One account's edits: when (a share of the load, a share of the edit window) and how.</summary>
/// <param name="Account">The account's index.</param>
/// <param name="Kind">What changes.</param>
/// <param name="LoadPoint">For edits made during the load: the share of the load after which the first edit is made.</param>
/// <param name="EditPoint">The share of the edit window at which the second edit (or, for a quick revert, the first) is made.</param>
/// <param name="QuickDelay">For a quick revert: how long B lasts.</param>
internal sealed record EditScript(int Account, EditKind Kind, double LoadPoint, double EditPoint, TimeSpan QuickDelay);

/// <summary>A record of the second flow's source, a shop that submits its customers to the same Odoo.</summary>
/// <param name="ShopId">Its id in the shop.</param>
/// <param name="Name">Its name (Salesforce owns names: it only seeds a company the shop creates).</param>
/// <param name="Website">Its website: a Salesforce account's for a shared customer, its own otherwise.</param>
/// <param name="Email">Its email (the shop owns emails).</param>
/// <param name="Account">The Salesforce account it shares the company with, or null.</param>
/// <param name="Position">The share of the load at which the shop submits it (near the feed's position for a shared one).</param>
internal sealed record ShopRecord(string ShopId, string Name, string Website, string Email, int? Account, double Position);

/// <summary>When the worker is SIGKILLed: in phase 1 at a share of the load, in phase 2 at a share of the edit window; or at the next write whose answer is lost after that point.</summary>
/// <param name="Phase">1 (load) or 2 (edits).</param>
/// <param name="At">The share of the phase.</param>
/// <param name="OnLostWrite">Whether the kill waits, from that point, for an Odoo write whose answer is lost (the vendor applied it, the worker has no answer).</param>
internal sealed record KillPoint(int Phase, double At, bool OnLostWrite);

/// <summary>Everything a seed decides: the accounts, the invalid ones, the edits, the shop's records and the kill points. The worker rebuilds the shop records from the same seed.</summary>
internal sealed class SoakData
{
    /// <summary>One account in a thousand has a country the canonical schema refuses: it must be dead-lettered, and only it.</summary>
    private const int InvalidEvery = 1000;
    private const int InvalidAt = 537;

    private SoakData(int customers, IReadOnlyList<EditScript> edits, IReadOnlyList<ShopRecord> shop, IReadOnlyList<KillPoint> kills)
    {
        Customers = customers;
        Edits = edits;
        Shop = shop;
        Kills = kills;
    }

    public int Customers { get; }

    public IReadOnlyList<EditScript> Edits { get; }

    /// <summary>In submission order.</summary>
    public IReadOnlyList<ShopRecord> Shop { get; }

    /// <summary>Phase 1 first, each phase in order.</summary>
    public IReadOnlyList<KillPoint> Kills { get; }

    public static bool IsValid(int account) => account % InvalidEvery != InvalidAt;

    public static string Name(int account) => string.Create(CultureInfo.InvariantCulture, $"Soak {account:D6} GmbH");

    public static string Renamed(int account) => string.Create(CultureInfo.InvariantCulture, $"Soak {account:D6} Renamed GmbH");

    public static string RenamedTwice(int account) => string.Create(CultureInfo.InvariantCulture, $"Soak {account:D6} Second GmbH");

    public static string Website(int account) => string.Create(CultureInfo.InvariantCulture, $"https://www.soak-{account:D6}.example");

    public static string Phone(int account) => string.Create(CultureInfo.InvariantCulture, $"+49 30 {1_000_000 + account}");

    public static string ContactFirstName => "Bea";

    public static string ContactLastName(int account) => string.Create(CultureInfo.InvariantCulture, $"Buyer {account:D6}");

    public static string ContactMovedLastName(int account) => string.Create(CultureInfo.InvariantCulture, $"Buyer {account:D6} Moved");

    public static string ContactEmail(int account) => string.Create(CultureInfo.InvariantCulture, $"bea@soak-{account:D6}.example");

    public static SoakData Create(SoakOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var customers = options.Customers;
        var random = new Random(options.Seed);
        var valid = Enumerable.Range(0, customers).Where(IsValid).ToArray();
        random.Shuffle(valid);

        // Edits: a share of the valid accounts, each with one script.
        var editCount = (int)Math.Round(valid.Length * options.EditShare);
        var edits = new List<EditScript>(editCount);
        for (var e = 0; e < editCount; e++)
        {
            var kind = (EditKind)(e % 4);
            edits.Add(new EditScript(valid[e], kind, 0.02 + (random.NextDouble() * 0.93), random.NextDouble(), TimeSpan.FromMilliseconds(200 + random.Next(1_300))));
        }

        // The shop: half its records share a Salesforce company (by website), half are its own.
        var shopCount = (int)Math.Round(customers * options.ShopShare);
        var shared = valid.Skip(editCount / 2).Take(shopCount / 2).ToArray();
        var shop = new List<ShopRecord>(shopCount);
        for (var j = 0; j < shopCount; j++)
        {
            var shopId = string.Create(CultureInfo.InvariantCulture, $"shop-{j:D6}");
            if (j < shared.Length)
            {
                var account = shared[j];
                shop.Add(new ShopRecord(
                    shopId,
                    string.Create(CultureInfo.InvariantCulture, $"Shop buyer {j:D6}"),
                    Website(account),
                    string.Create(CultureInfo.InvariantCulture, $"orders@soak-{account:D6}.example"),
                    account,
                    (double)account / customers));
            }
            else
            {
                shop.Add(new ShopRecord(
                    shopId,
                    string.Create(CultureInfo.InvariantCulture, $"Shop only {j:D6} Ltd"),
                    string.Create(CultureInfo.InvariantCulture, $"https://www.shoponly-{j:D6}.example"),
                    string.Create(CultureInfo.InvariantCulture, $"orders@shoponly-{j:D6}.example"),
                    null,
                    random.NextDouble()));
            }
        }

        shop.Sort((a, b) => a.Position.CompareTo(b.Position));

        // Kills: about 60 % during the load, the rest in the edit window; one in each phase waits for a lost write.
        var kills = new List<KillPoint>(options.Kills);
        var inLoad = (int)Math.Ceiling(options.Kills * 0.6);
        for (var k = 0; k < options.Kills; k++)
        {
            var phase = k < inLoad ? 1 : 2;
            var first = phase == 1 ? k == 0 : k == inLoad;
            kills.Add(new KillPoint(phase, phase == 1 ? 0.03 + (random.NextDouble() * 0.9) : random.NextDouble() * 0.9, OnLostWrite: first && options.Kills > 1));
        }

        kills.Sort((a, b) => a.Phase != b.Phase ? a.Phase.CompareTo(b.Phase) : a.At.CompareTo(b.At));
        return new SoakData(customers, edits, shop, kills);
    }
}
