using Concord.Canonical.DependencyInjection;
using Concord.Storage.Sqlite;
using Concord.Sync.Flows;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Concord.Benchmarks.Engine;

/// <summary>A container with one flow from a <see cref="GeneratedSourceConnector"/> to a <see cref="NullTargetConnector"/> on SQLite state.</summary>
internal sealed class EngineHost : IAsyncDisposable
{
    public const string FlowName = "bench";

    private readonly ServiceProvider _provider;

    public EngineHost(string databasePath, int records, SqliteSynchronousMode synchronous, int pageSize = 500, bool validateAgainstSchema = true)
    {
        Source = new GeneratedSourceConnector("generated", records);
        Target = new NullTargetConnector("null");
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddConcord(concord => concord
            .UseSqlite(options =>
            {
                options.DatabasePath = databasePath;
                options.Synchronous = synchronous;
            })
            .AddConnector(new ConnectorRegistration(Source.Name, "generated"), (_, _) => Source)
            .AddConnector(new ConnectorRegistration(Target.Name, "null"), (_, _) => Target)
            .AddFlow(FlowName, flow => flow.From(Source.Name).To(Target.Name).PollEvery(null).Configure(o =>
            {
                o.PageSize = pageSize;
                o.ValidateAgainstSchema = validateAgainstSchema;
            })));
        _provider = services.BuildServiceProvider();
        Flow = _provider.GetRequiredService<IFlowRunner>().GetFlow(FlowName);
    }

    public GeneratedSourceConnector Source { get; }

    public NullTargetConnector Target { get; }

    public IFlow Flow { get; }

    public ValueTask DisposeAsync() => _provider.DisposeAsync();

    /// <summary>A fresh folder for a database file, deleted with its files when disposed.</summary>
    public sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("concord-bench-").FullName;

        public string Database => System.IO.Path.Combine(Path, "state.db");

        public long DatabaseBytes => Directory.EnumerateFiles(Path).Sum(f => new FileInfo(f).Length);

        public void Dispose()
        {
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
