using Concord.Canonical.DependencyInjection;
using Concord.Sync.Flows;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Concord.Benchmarks.Engine;

/// <summary>
/// One host instance: its own container (its own state handles, its own connection pool) with the flow of
/// <see cref="EngineHost"/> (generated source, a target that does nothing), on the state <c>useState</c> registers.
/// Several instances on one PostgreSQL schema play several host processes on one database.
/// </summary>
internal sealed class EngineInstance : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    public EngineInstance(Action<IConcordBuilder> useState, int pageSize = 500)
    {
        Source = new GeneratedSourceConnector("generated", int.MaxValue);
        Target = new NullTargetConnector("null");
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddConcord(concord =>
        {
            useState(concord);
            concord
                .AddConnector(new ConnectorRegistration(Source.Name, "generated"), (_, _) => Source)
                .AddConnector(new ConnectorRegistration(Target.Name, "null"), (_, _) => Target)
                .AddFlow(EngineHost.FlowName, flow => flow.From(Source.Name).To(Target.Name).PollEvery(null).Configure(o => o.PageSize = pageSize));
        });
        _provider = services.BuildServiceProvider();
        Flow = _provider.GetRequiredService<IFlowRunner>().GetFlow(EngineHost.FlowName);
    }

    public GeneratedSourceConnector Source { get; }

    public NullTargetConnector Target { get; }

    public IFlow Flow { get; }

    /// <summary>Submits the records <paramref name="first"/>, <paramref name="first"/> + <paramref name="stride"/>, … below <paramref name="end"/>, as a host spreading its records over instances would.</summary>
    public Task<FlowRunSummary> SubmitShareAsync(int first, int stride, int end, CancellationToken cancellationToken) =>
        Flow.SubmitManyAsync(Share(first, stride, end), cancellationToken);

    public ValueTask DisposeAsync() => _provider.DisposeAsync();

    private IEnumerable<Canonical.CanonicalCustomer> Share(int first, int stride, int end)
    {
        for (var i = first; i < end; i += stride)
        {
            yield return Source.Customer(i);
        }
    }
}
