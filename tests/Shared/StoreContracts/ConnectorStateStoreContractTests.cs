using System.Globalization;
using Concord.Canonical.Connectors;
using Xunit;

namespace Concord.StoreContracts.Tests;

/// <summary>
/// What every <see cref="IConnectorStateStore"/> keeps: a key never saved is absent, a save replaces, entries are apart per
/// connector, thousands of keys go in one call, concurrent saves from several instances all land, and (for a durable store)
/// the entries outlive a restart. Run against each store by a subclass; every <see cref="Open"/> is another instance on the
/// same state, as another host process would hold.
/// </summary>
public abstract class ConnectorStateStoreContractTests : IAsyncDisposable
{
    /// <summary>More keys than one SQLite statement could bind as separate parameters before SQLite 3.32 (999).</summary>
    protected const int ManyKeys = 2_500;

    /// <summary>Opens another instance on this test's state (the first call creates the state).</summary>
    protected abstract IConnectorStateStore Open();

    /// <summary>
    /// Closes every instance opened so far (the host stops) and opens a new one on the same state (the host starts again). The
    /// in-memory store keeps its entries only while the same instance lives, so its restart hands back that instance.
    /// </summary>
    protected abstract ValueTask<IConnectorStateStore> RestartAsync();

    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task A_key_never_saved_is_absent()
    {
        var store = Open();
        await store.SaveAsync("zendesk", new Dictionary<string, string> { ["user-org:1"] = "10@2026-11-23T12:00:00Z" });

        var found = await store.GetAsync("zendesk", ["user-org:1", "user-org:2"]);

        Assert.Equal(new Dictionary<string, string> { ["user-org:1"] = "10@2026-11-23T12:00:00Z" }, found);
        Assert.Empty(await store.GetAsync("zendesk", ["user-org:3"]));
        Assert.Empty(await store.GetAsync("zendesk", []));
    }

    [Fact]
    public async Task Saving_a_key_again_replaces_its_value_and_leaves_the_others()
    {
        var store = Open();
        await store.SaveAsync("zendesk", new Dictionary<string, string> { ["user-org:1"] = "10", ["user-org:2"] = "20" });

        await store.SaveAsync("zendesk", new Dictionary<string, string> { ["user-org:1"] = "11" });

        Assert.Equal(new Dictionary<string, string> { ["user-org:1"] = "11", ["user-org:2"] = "20" }, await store.GetAsync("zendesk", ["user-org:1", "user-org:2"]));
    }

    [Fact]
    public async Task Entries_are_kept_per_connector()
    {
        var store = Open();
        await store.SaveAsync("zendesk", new Dictionary<string, string> { ["k"] = "eu" });
        await store.SaveAsync("zendesk-us", new Dictionary<string, string> { ["k"] = "us" });

        Assert.Equal("eu", (await store.GetAsync("zendesk", ["k"]))["k"]);
        Assert.Equal("us", (await store.GetAsync("zendesk-us", ["k"]))["k"]);
        Assert.Empty(await store.GetAsync("salesforce", ["k"]));
    }

    [Fact]
    public async Task Keys_and_values_come_back_exactly_as_saved()
    {
        var store = Open();
        var entries = new Dictionary<string, string>
        {
            ["contact-account:003'; DROP TABLE x; --"] = "001\"quoted\"@2026",
            ["user-org:Zoë ☃ %_"] = "",
            ["user-org:[\"a\"]"] = new string('x', 10_000),
            ["USER-ORG:1"] = "upper",
            ["user-org:1"] = "lower",
        };
        await store.SaveAsync("zendesk", entries);

        Assert.Equal(entries, await Open().GetAsync("zendesk", [.. entries.Keys, "user-org:%"]));
    }

    [Fact]
    public async Task Thousands_of_keys_are_saved_and_read_in_one_call()
    {
        var store = Open();
        var entries = Enumerable.Range(0, ManyKeys).ToDictionary(i => Key(i), i => Value(i));
        await store.SaveAsync("salesforce", entries);
        var asked = Enumerable.Range(0, ManyKeys + 500).Select(Key).Reverse().ToList(); // 500 never saved among them

        var found = await Open().GetAsync("salesforce", asked);

        Assert.Equal(ManyKeys, found.Count);
        Assert.All(entries, e => Assert.Equal(e.Value, found[e.Key]));
    }

    [Fact]
    public async Task Concurrent_saves_from_several_instances_all_land()
    {
        var instances = Enumerable.Range(0, 4).Select(_ => Open()).ToList();
        var saves = instances.SelectMany((store, n) => Enumerable.Range(0, 5).Select(round => Task.Run(async () =>
        {
            var entries = Enumerable.Range(0, 50).ToDictionary(i => $"own:{n}:{round}:{i}", i => Value(i));
            entries["shared"] = $"{n}:{round}";
            await store.SaveAsync("zendesk", entries);
        })));

        await Task.WhenAll(saves);

        var found = await Open().GetAsync("zendesk", [.. Enumerable.Range(0, 4).SelectMany(n => Enumerable.Range(0, 5).SelectMany(round => Enumerable.Range(0, 50).Select(i => $"own:{n}:{round}:{i}"))), "shared"]);
        Assert.Equal((4 * 5 * 50) + 1, found.Count);
        Assert.Matches("^[0-3]:[0-4]$", found["shared"]); // the value one of the saves wrote
    }

    [Fact]
    public async Task Entries_outlive_a_restart()
    {
        var store = Open();
        await store.SaveAsync("zendesk", new Dictionary<string, string> { ["user-org:1"] = "10@2026-11-23T12:00:00Z" });
        await store.SaveAsync("salesforce", new Dictionary<string, string> { ["contact-account:003A"] = "001A@2026-11-23T12:00:00Z" });

        var restarted = await RestartAsync();

        Assert.Equal("10@2026-11-23T12:00:00Z", (await restarted.GetAsync("zendesk", ["user-org:1"]))["user-org:1"]);
        Assert.Equal("001A@2026-11-23T12:00:00Z", (await restarted.GetAsync("salesforce", ["contact-account:003A"]))["contact-account:003A"]);
    }

    [Fact]
    public async Task A_blank_connector_name_is_refused()
    {
        var store = Open();

        await Assert.ThrowsAsync<ArgumentException>(async () => await store.GetAsync(" ", ["k"]));
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.SaveAsync("", new Dictionary<string, string> { ["k"] = "v" }));
    }

    private static string Key(int i) => "contact-account:003" + i.ToString("D12", CultureInfo.InvariantCulture);

    private static string Value(int i) => "001" + i.ToString("D12", CultureInfo.InvariantCulture) + "@2026-11-23T12:00:00.0000000Z";
}
