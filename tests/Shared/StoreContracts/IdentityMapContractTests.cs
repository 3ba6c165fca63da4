using Concord.Canonical;
using Concord.Canonical.Errors;
using Concord.Sync.Identity;

namespace Concord.StoreContracts.Tests;

/// <summary>The contract of the engine's durable stores, run against each implementation by a subclass.</summary>
public abstract class IdentityMapContractTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private readonly EngineStateFixture _state;

    protected IdentityMapContractTests() => _state = CreateState();

    public void Dispose() => _state.Dispose();

    /// <summary>Creates the stores on new, empty state; <paramref name="clock"/> defaults to a fake clock at 2026-11-23 12:00 UTC.</summary>
    protected abstract EngineStateFixture CreateState(TimeProvider? clock = null);

    [Fact]
    public async Task Linked_references_resolve_to_their_canonical_id_and_unknown_ones_are_absent()
    {
        var map = _state.IdentityMap();
        await map.LinkAsync([Link("c-1", "salesforce", "001A"), Link("c-1", "odoo", "42", "fp-1")]);

        var resolved = await map.ResolveAsync([new ExternalRef("salesforce", "001A"), new ExternalRef("odoo", "42"), new ExternalRef("odoo", "43")]);

        Assert.Equal(2, resolved.Count);
        Assert.Equal("c-1", resolved[new ExternalRef("salesforce", "001A")]);
        Assert.Equal("c-1", resolved[new ExternalRef("odoo", "42")]);
        var entry = (await map.GetAsync(["c-1", "c-unknown"])).Single().Value;
        Assert.Equal(["odoo", "salesforce"], entry.Links.Select(l => l.System));
        Assert.Equal("fp-1", entry.LinkTo("odoo")!.Fingerprint);
        Assert.Equal(At, entry.LinkTo("odoo")!.UpdatedAt);
    }

    [Fact]
    public async Task A_link_without_fingerprint_keeps_the_stored_fingerprint()
    {
        var map = _state.IdentityMap();
        await map.LinkAsync([Link("c-1", "odoo", "42", "fp-1")]);

        await map.LinkAsync([Link("c-1", "odoo", "42")]);

        Assert.Equal("fp-1", (await map.GetAsync(["c-1"]))["c-1"].LinkTo("odoo")!.Fingerprint);
    }

    [Fact]
    public async Task Linking_a_reference_owned_by_another_customer_is_a_conflict_and_writes_nothing_of_the_batch()
    {
        var map = _state.IdentityMap();
        await map.LinkAsync([Link("c-1", "odoo", "42")]);

        var error = await Assert.ThrowsAsync<ConcordException>(() => map.LinkAsync([Link("c-2", "salesforce", "001B"), Link("c-2", "odoo", "42")]));

        Assert.Equal(ErrorCategory.Conflict, error.Category);
        Assert.Empty(await map.ResolveAsync([new ExternalRef("salesforce", "001B")]));
        Assert.Equal("c-1", (await map.ResolveAsync([new ExternalRef("odoo", "42")]))[new ExternalRef("odoo", "42")]);
    }

    [Fact]
    public async Task Relinking_a_customer_to_another_record_frees_the_old_reference()
    {
        var map = _state.IdentityMap();
        await map.LinkAsync([Link("c-1", "odoo", "42")]);

        await map.LinkAsync([Link("c-1", "odoo", "77")]);
        await map.LinkAsync([Link("c-2", "odoo", "42")]);

        var resolved = await map.ResolveAsync([new ExternalRef("odoo", "42"), new ExternalRef("odoo", "77")]);
        Assert.Equal("c-2", resolved[new ExternalRef("odoo", "42")]);
        Assert.Equal("c-1", resolved[new ExternalRef("odoo", "77")]);
    }

    [Fact]
    public async Task Listing_by_system_pages_through_every_entry_in_canonical_id_order()
    {
        var map = _state.IdentityMap();
        var links = Enumerable.Range(0, 1_203).SelectMany(i => new[]
        {
            Link($"c-{i:D5}", "salesforce", $"sf-{i}"),
            i % 3 == 0 ? Link($"c-{i:D5}", "odoo", $"{i}") : null,
        }).OfType<IdentityLink>().ToList();
        await map.LinkAsync(links);

        var withOdoo = await map.ListAsync("odoo").ToListAsync();
        var all = await map.ListAsync().ToListAsync();

        Assert.Equal(401, withOdoo.Count);
        Assert.All(withOdoo, e => Assert.Equal(2, e.Links.Length));
        Assert.Equal(1_203, all.Count);
        Assert.Equal(all.Select(e => e.CanonicalId).Order(StringComparer.Ordinal), all.Select(e => e.CanonicalId));
    }

    [Fact]
    public async Task Two_processes_racing_to_link_one_record_to_different_customers_leave_exactly_one_owner()
    {
        using var state = CreateState(TimeProvider.System);
        var first = state.IdentityMap();
        var second = state.IdentityMap(state.Reopen());

        var attempts = Enumerable.Range(0, 40).Select(i => Task.Run(async () =>
        {
            var map = i % 2 == 0 ? first : second;
            try
            {
                await map.LinkAsync([Link($"c-{i}", "odoo", "shared-42")]);
                return true;
            }
            catch (ConcordException e) when (e.Category == ErrorCategory.Conflict)
            {
                return false;
            }
        }));
        var won = (await Task.WhenAll(attempts)).Count(w => w);

        Assert.Equal(1, won);
        var owner = (await first.ResolveAsync([new ExternalRef("odoo", "shared-42")])).Single().Value;
        Assert.Equal(owner, Assert.Single(await second.ListAsync("odoo").ToListAsync()).CanonicalId);
    }

    private static IdentityLink Link(string canonicalId, string system, string externalId, string? fingerprint = null) =>
        new() { CanonicalId = canonicalId, System = system, ExternalId = externalId, Fingerprint = fingerprint, UpdatedAt = At };
}
