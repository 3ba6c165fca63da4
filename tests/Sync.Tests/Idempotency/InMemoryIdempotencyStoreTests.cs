using Concord.Canonical.Idempotency;
using Concord.Sync.Idempotency;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Concord.Sync.Tests.Idempotency;

/// <summary>
/// What is particular to the in-memory store. The rules every store keeps are pinned by the contract suite in
/// Storage.Sqlite.Tests (IdempotencyStoreContractTests), which runs against this store and the SQLite one.
/// </summary>
public sealed class InMemoryIdempotencyStoreTests
{
    private static readonly IdempotencyKey Key = IdempotencyKey.Derive("accounts", "odoo", "cust-42", "fp-1");

    [Fact]
    public async Task AddSync_registers_one_in_memory_store_whose_leases_run_on_the_container_clock()
    {
        var time = new FakeTimeProvider();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddConcord().AddSync();
        services.AddConcord().AddSync();
        using var provider = services.BuildServiceProvider();

        var store = Assert.IsType<InMemoryIdempotencyStore>(Assert.Single(provider.GetServices<IIdempotencyStore>()));
        var first = await store.TryClaimAsync(Key, "fp-1", TimeSpan.FromSeconds(30));
        time.Advance(TimeSpan.FromSeconds(30));
        var second = await provider.GetRequiredService<IIdempotencyStore>().TryClaimAsync(Key, "fp-1", TimeSpan.FromSeconds(30));

        Assert.Equal(IdempotencyClaimStatus.Acquired, second.Status);
        Assert.NotEqual(first.Token, second.Token);
    }

    [Fact]
    public async Task Cancelled_calls_change_nothing()
    {
        var store = new InMemoryIdempotencyStore(new FakeTimeProvider());
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.TryClaimAsync(Key, "fp-1", TimeSpan.FromSeconds(30), cancelled.Token));

        Assert.Null(await store.GetAsync(Key));
    }

    [Fact]
    public async Task Claims_of_many_keys_from_many_threads_are_each_acquired_once()
    {
        var store = new InMemoryIdempotencyStore(new FakeTimeProvider());
        var keys = Enumerable.Range(0, 200).Select(i => IdempotencyKey.From($"k{i}")).ToArray();

        var claims = await Task.WhenAll(Enumerable.Range(0, 4).SelectMany(_ => keys).Select(k => Task.Run(() => store.TryClaimAsync(k, "fp", TimeSpan.FromMinutes(1)))));

        Assert.Equal(keys.Length, claims.Count(c => c.Status == IdempotencyClaimStatus.Acquired));
        Assert.Equal(keys.Length * 3, claims.Count(c => c.Status == IdempotencyClaimStatus.HeldByAnother));
    }
}
