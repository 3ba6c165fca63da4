using Concord.Canonical;
using Concord.Canonical.Errors;
using Concord.Sync.Identity;
using Xunit;

namespace Concord.Sync.Tests.Identity;

public sealed class InMemoryIdentityMapTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    private static IdentityLink Link(string canonicalId, string system, string id, string? fingerprint = null) =>
        new() { CanonicalId = canonicalId, System = system, ExternalId = id, Fingerprint = fingerprint, UpdatedAt = Now };

    [Fact]
    public async Task A_reference_linked_to_another_customer_is_a_conflict_and_nothing_of_the_batch_is_written()
    {
        var map = new InMemoryIdentityMap();
        await map.LinkAsync([Link("c1", "erp", "42")]);

        var error = await Assert.ThrowsAsync<ConcordException>(() => map.LinkAsync([Link("c2", "crm", "a"), Link("c2", "erp", "42")]));

        Assert.Equal(ErrorCategory.Conflict, error.Category);
        Assert.Empty(await map.ResolveAsync([new ExternalRef("crm", "a")]));
    }

    [Fact]
    public async Task A_link_without_fingerprint_keeps_the_stored_one_and_a_relink_moves_the_reference()
    {
        var map = new InMemoryIdentityMap();
        await map.LinkAsync([Link("c1", "erp", "42", "sha256:a")]);
        await map.LinkAsync([Link("c1", "erp", "42")]);
        await map.LinkAsync([Link("c1", "crm", "x"), Link("c1", "crm", "y")]);

        var entry = (await map.GetAsync(["c1"]))["c1"];
        var resolved = await map.ResolveAsync([new ExternalRef("crm", "x"), new ExternalRef("crm", "y"), new ExternalRef("erp", "42")]);

        Assert.Equal("sha256:a", entry.LinkTo("erp")!.Fingerprint);
        Assert.Equal("y", entry.LinkTo("crm")!.ExternalId);
        Assert.Equal(2, resolved.Count);
        Assert.False(resolved.ContainsKey(new ExternalRef("crm", "x")));
    }

    [Fact]
    public async Task Listing_by_system_returns_only_entries_linked_there_in_id_order()
    {
        var map = new InMemoryIdentityMap();
        await map.LinkAsync([Link("c2", "erp", "2"), Link("c1", "erp", "1"), Link("c3", "crm", "3")]);

        var listed = new List<string>();
        await foreach (var entry in map.ListAsync("erp"))
        {
            listed.Add(entry.CanonicalId);
        }

        Assert.Equal(["c1", "c2"], listed);
    }
}
