using Concord.Canonical.DependencyInjection;
using Concord.Sync.Audit;
using Concord.Sync.Cursors;
using Concord.Sync.DeadLetters;
using Concord.Sync.Flows;
using Concord.Sync.Idempotency;
using Concord.Sync.Identity;
using Concord.Sync.Outbox;
using Concord.Sync.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Concord.Sync.Tests.Engine.Fakes;

/// <summary>A service provider with Concord's in-memory state, fake connectors and one or more flows.</summary>
internal sealed class EngineHarness : IDisposable
{
    private readonly ServiceProvider _provider;

    public EngineHarness(Action<IConcordBuilder> configure, Action<IServiceCollection>? services = null, params FakeCustomerConnector[] connectors)
    {
        var collection = new ServiceCollection();
        collection.AddSingleton<TimeProvider>(Time);
        collection.AddSingleton<IOutboxPublisher>(Publisher);
        services?.Invoke(collection);
        var builder = collection.AddConcord().AddSync();
        foreach (var connector in connectors)
        {
            builder.AddConnector(new ConnectorRegistration(connector.Name, "fake"), (_, _) => connector);
        }

        configure(builder);
        _provider = collection.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));

    public RecordingPublisher Publisher { get; } = new();

    public IServiceProvider Services => _provider;

    public IFlowRunner Runner => _provider.GetRequiredService<IFlowRunner>();

    /// <summary>The flow <see cref="Flow"/> returns when called without a name.</summary>
    public string DefaultFlow { get; init; } = "flow";

    public IFlow Flow(string? name = null) => Runner.GetFlow(name ?? DefaultFlow);

    public IIdentityMap IdentityMap => _provider.GetRequiredService<IIdentityMap>();

    public IDeadLetterStore DeadLetters => _provider.GetRequiredService<IDeadLetterStore>();

    public ICursorStore Cursors => _provider.GetRequiredService<ICursorStore>();

    public IAuditLog Audit => _provider.GetRequiredService<IAuditLog>();

    public IOutbox Outbox => _provider.GetRequiredService<IOutbox>();

    public IOutboxDispatcher Dispatcher => _provider.GetRequiredService<IOutboxDispatcher>();

    public IIdempotencyStore Idempotency => _provider.GetRequiredService<IIdempotencyStore>();

    public IWriteLedger WriteLedger => _provider.GetRequiredService<IWriteLedger>();

    public IFeedLeaseStore FeedLeases => _provider.GetRequiredService<IFeedLeaseStore>();

    /// <summary>Registrations that make another harness run on this one's state, as a second process on one state store would.</summary>
    public Action<IServiceCollection> SharedState => services =>
    {
        services.AddSingleton(IdentityMap);
        services.AddSingleton(DeadLetters);
        services.AddSingleton(Cursors);
        services.AddSingleton(Audit);
        services.AddSingleton(Outbox);
        services.AddSingleton(Idempotency);
        services.AddSingleton(WriteLedger);
        services.AddSingleton(FeedLeases);
    };

    public async Task<List<DeadLetter>> DeadLettersAsync(DeadLetterStatus? status = null)
    {
        var list = new List<DeadLetter>();
        await foreach (var entry in DeadLetters.ListAsync(new DeadLetterQuery { Status = status }))
        {
            list.Add(entry);
        }

        return list;
    }

    public async Task<List<AuditEntry>> AuditAsync(AuditQuery? query = null)
    {
        var list = new List<AuditEntry>();
        await foreach (var entry in Audit.QueryAsync(query ?? new AuditQuery()))
        {
            list.Add(entry);
        }

        return list;
    }

    public void Dispose() => _provider.Dispose();
}
