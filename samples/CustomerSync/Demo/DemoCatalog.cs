using System.Globalization;

namespace Concord.Samples.CustomerSync.Demo;

/// <summary>What a demo account is for: most are plain; a few are duplicates, invalid, or already known to Odoo.</summary>
internal enum DemoRole
{
    Plain,
    Duplicate,
    Invalid,
    ExistsInOdoo,
}

/// <summary>One Salesforce account of the demo and its contacts.</summary>
internal sealed record DemoAccount(int Index, DemoRole Role, string Name, string Website, string Phone, DemoAddress Billing, IReadOnlyList<DemoContact> Contacts, int? DuplicateOf);

internal sealed record DemoAddress(string Street, string City, string PostalCode, string Country);

internal sealed record DemoContact(string FirstName, string LastName, string Email, string Title);

/// <summary>The customer Odoo already has for an <see cref="DemoRole.ExistsInOdoo"/> account: Odoo owns its tax id and billing address.</summary>
internal sealed record DemoOdooCustomer(int AccountIndex, string Name, string Website, string Vat, DemoAddress Billing);

/// <summary>
/// The demo's data, deterministic: <c>count</c> Salesforce accounts with 1 to 3 contacts each; among them 20 duplicates
/// (same website as an earlier account), 10 with a country no ISO code matches (schema-invalid), and 15 whose company
/// already exists in Odoo with its own tax id and billing address.
/// </summary>
internal sealed class DemoCatalog
{
    public const int DuplicateCount = 20;
    public const int InvalidCount = 10;
    public const int ExistingInOdooCount = 15;

    private static readonly string[] Words = ["Aurora", "Bergmann", "Cobalt", "Delta", "Elbe", "Fjord", "Granite", "Harbor", "Iris", "Juniper", "Kestrel", "Lumen", "Meridian", "Nordic", "Orchid", "Pioneer", "Quarry", "Rhine", "Summit", "Tundra"];
    private static readonly string[] Trades = ["Freight", "Foods", "Textiles", "Robotics", "Pharma", "Timber", "Optics", "Energy", "Ceramics", "Software"];
    private static readonly (string Country, string Suffix, string Phone, string[] Cities)[] Countries =
    [
        ("DE", "GmbH", "+49 30 ", ["Berlin", "Hamburg", "Munich", "Cologne"]),
        ("FR", "SAS", "+33 1 ", ["Paris", "Lyon", "Nantes", "Lille"]),
        ("BE", "SA", "+32 2 ", ["Brussels", "Antwerp", "Ghent", "Liege"]),
        ("NL", "BV", "+31 20 ", ["Amsterdam", "Rotterdam", "Utrecht", "Eindhoven"]),
        ("ES", "SL", "+34 91 ", ["Madrid", "Barcelona", "Valencia", "Seville"]),
    ];

    private static readonly string[] FirstNames = ["Ada", "Bruno", "Chloe", "Daan", "Elena", "Felix", "Greta", "Hugo", "Ines", "Jonas", "Klara", "Luca", "Marta", "Noah", "Olga", "Pablo"];
    private static readonly string[] LastNames = ["Schmidt", "Dubois", "Peeters", "de Vries", "Garcia", "Weber", "Martin", "Janssens", "Bakker", "Lopez", "Fischer", "Bernard"];
    private static readonly string[] Titles = ["CFO", "Head of Purchasing", "Accounts Payable", "Operations Manager", "CEO"];

    public DemoCatalog(int count, int seed = 2026)
    {
        if (count < 100)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "The demo needs at least 100 accounts to place its duplicates, invalid records and Odoo customers.");
        }

        var random = new Random(seed);
        var roles = new DemoRole[count];
        Place(roles, random, DemoRole.Invalid, InvalidCount);
        Place(roles, random, DemoRole.ExistsInOdoo, ExistingInOdooCount);
        Place(roles, random, DemoRole.Duplicate, DuplicateCount, minimumIndex: 10);

        var accounts = new List<DemoAccount>(count);
        for (var i = 0; i < count; i++)
        {
            int? duplicateOf = null;
            if (roles[i] == DemoRole.Duplicate)
            {
                duplicateOf = Enumerable.Range(0, i).Reverse().First(j => roles[j] == DemoRole.Plain);
            }

            accounts.Add(Account(i, roles[i], random, duplicateOf is { } original ? accounts[original] : null));
        }

        Accounts = accounts;
        OdooCustomers = [.. accounts.Where(a => a.Role == DemoRole.ExistsInOdoo).Select(a => OdooTwin(a, random))];
    }

    public IReadOnlyList<DemoAccount> Accounts { get; }

    public IReadOnlyList<DemoOdooCustomer> OdooCustomers { get; }

    /// <summary>The accounts to edit between the runs: plain ones and, so that ownership shows, every other Odoo customer.</summary>
    public IReadOnlyList<DemoAccount> PickEdits(int count)
    {
        var owned = Accounts.Where(a => a.Role == DemoRole.ExistsInOdoo).Where((_, i) => i % 2 == 0).ToList();
        var plain = Accounts.Where(a => a.Role == DemoRole.Plain).Where((_, i) => i % 7 == 3).Take(Math.Max(0, count - owned.Count));
        return [.. owned.Concat(plain).Take(count)];
    }

    private static void Place(DemoRole[] roles, Random random, DemoRole role, int count, int minimumIndex = 0)
    {
        for (var placed = 0; placed < count;)
        {
            var index = random.Next(minimumIndex, roles.Length);
            if (roles[index] == DemoRole.Plain)
            {
                roles[index] = role;
                placed++;
            }
        }
    }

    private static DemoAccount Account(int i, DemoRole role, Random random, DemoAccount? original)
    {
        var country = Countries[i % Countries.Length];
        var word = Words[i % Words.Length];
        var trade = Trades[(i / Words.Length) % Trades.Length];
        var number = i.ToString("D3", CultureInfo.InvariantCulture);
        var name = $"{word} {trade} {number} {country.Suffix}";
        var website = $"https://www.{word.ToLowerInvariant()}-{trade.ToLowerInvariant()}-{number}.example";
        if (original is not null)
        {
            // The same company entered twice by another sales rep: another name spelling, the same website.
            name = original.Name.ToUpperInvariant().Replace(" " + country.Suffix.ToUpperInvariant(), string.Empty, StringComparison.Ordinal) + " (EMEA)";
            website = original.Website.Replace("https://www.", "http://", StringComparison.Ordinal) + "/";
        }

        var billing = new DemoAddress(
            $"{random.Next(1, 200)} {LastNames[random.Next(LastNames.Length)]} Street",
            country.Cities[random.Next(country.Cities.Length)],
            random.Next(10000, 99999).ToString(CultureInfo.InvariantCulture),
            role == DemoRole.Invalid ? "Narnia" : country.Country);
        var domain = new Uri(website).Host.Replace("www.", string.Empty, StringComparison.Ordinal);
        var contacts = Enumerable.Range(0, random.Next(1, 4)).Select(_ =>
        {
            var first = FirstNames[random.Next(FirstNames.Length)];
            var last = LastNames[random.Next(LastNames.Length)];
            return new DemoContact(first, last, $"{first.ToLowerInvariant()}.{last.Replace(" ", string.Empty, StringComparison.Ordinal).ToLowerInvariant()}@{domain}", Titles[random.Next(Titles.Length)]);
        }).ToList();
        var phone = country.Phone + random.Next(1_000_000, 9_999_999).ToString(CultureInfo.InvariantCulture);
        return new DemoAccount(i, role, name, website, phone, billing, contacts, original?.Index);
    }

    private static DemoOdooCustomer OdooTwin(DemoAccount account, Random random)
    {
        var country = account.Billing.Country;
        var vat = country + random.Next(100_000_000, 999_999_999).ToString(CultureInfo.InvariantCulture);
        var billing = new DemoAddress($"{random.Next(1, 99)} Invoice Lane", account.Billing.City, random.Next(10000, 99999).ToString(CultureInfo.InvariantCulture), country);
        return new DemoOdooCustomer(account.Index, account.Name, account.Website, vat, billing);
    }
}
