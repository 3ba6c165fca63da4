using Concord.Sync.Audit;
using Concord.Sync.Cursors;
using Concord.Sync.DeadLetters;
using Concord.Sync.Identity;
using Concord.Sync.Outbox;
using Concord.Sync.Storage;
using Microsoft.Extensions.Time.Testing;

namespace Concord.StoreContracts.Tests;

/// <summary>The engine's stores on one store instance (a database handle, with its own pool and, for SQLite, its own write gate).</summary>
public sealed record EngineStateHandle(
    IIdentityMap IdentityMap,
    ICursorStore Cursors,
    IDeadLetterStore DeadLetters,
    IOutbox Outbox,
    IAuditLog Audit,
    IWriteLedger WriteLedger,
    IStateCommitter Committer);

/// <summary>
/// The engine's durable stores on new, empty state, for the shared contract suites; <see cref="Reopen"/> gives a second,
/// independent handle on the same state (another process, as far as the store can tell). Each store package derives it.
/// </summary>
public abstract class EngineStateFixture : IDisposable
{
    private EngineStateHandle? _primary;

    protected EngineStateFixture(TimeProvider? timeProvider)
    {
        Clock = timeProvider ?? new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
    }

    public TimeProvider Clock { get; }

    public FakeTimeProvider FakeClock => (FakeTimeProvider)Clock;

    private EngineStateHandle Primary => _primary ??= Open();

    public IIdentityMap IdentityMap(EngineStateHandle? handle = null) => (handle ?? Primary).IdentityMap;

    public ICursorStore Cursors(EngineStateHandle? handle = null) => (handle ?? Primary).Cursors;

    public IDeadLetterStore DeadLetters(EngineStateHandle? handle = null) => (handle ?? Primary).DeadLetters;

    public IOutbox Outbox(EngineStateHandle? handle = null) => (handle ?? Primary).Outbox;

    public IAuditLog Audit(EngineStateHandle? handle = null) => (handle ?? Primary).Audit;

    public IWriteLedger WriteLedger(EngineStateHandle? handle = null) => (handle ?? Primary).WriteLedger;

    public IStateCommitter Committer(EngineStateHandle? handle = null) => (handle ?? Primary).Committer;

    public EngineStateHandle Reopen() => Open();

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Opens a new handle on this fixture's state, on <see cref="Clock"/>.</summary>
    protected abstract EngineStateHandle Open();

    protected virtual void Dispose(bool disposing)
    {
    }
}
