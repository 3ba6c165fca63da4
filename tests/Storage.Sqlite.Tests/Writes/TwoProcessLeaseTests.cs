using System.Diagnostics;
using Concord.Storage.Sqlite.Tests.TestSupport;
using Concord.Storage.Sqlite.Worker;
using Concord.Sync.Storage;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Concord.Storage.Sqlite.Tests.Writes;

/// <summary>
/// Two OS processes take write leases on one SQLite file for different customers that share match keys (the test
/// process and a child running Concord.Storage.Sqlite.Worker): a key is never locked by both, so two processes never
/// search for and create the same company at once.
/// </summary>
public sealed class TwoProcessLeaseTests(ITestOutputHelper output) : IDisposable
{
    private const int KeyCount = 1000;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly TempDatabaseFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Two_processes_locking_the_same_match_keys_for_different_customers_never_both_acquire_one()
    {
        var parentLog = Path.Combine(_folder.Folder, "parent-leases.txt");
        var childLog = Path.Combine(_folder.Folder, "child-leases.txt");
        var services = new ServiceCollection();
        services.AddConcord().UseSqlite(_folder.DatabasePath);
        await using var provider = services.BuildServiceProvider();
        var ledger = provider.GetRequiredService<IWriteLedger>();

        using var child = StartWorker(_folder.DatabasePath, childLog);
        try
        {
            var childErrors = Task.Factory.StartNew(child.StandardError.ReadToEnd, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            var childReady = Task.Factory.StartNew(child.StandardOutput.ReadLine, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            _ = await ledger.GetAsync("warm-up", "odoo");
            var ready = await childReady.WaitAsync(Timeout);
            Assert.True(ready == "ready", $"The worker did not get ready: '{ready}'.");
            await child.StandardInput.WriteLineAsync("go");
            await child.StandardInput.FlushAsync();

            await LeaseWorker.RunAsync(ledger, KeyCount, owner: "parent", reverse: false, parentLog).WaitAsync(Timeout);
            using (var exit = new CancellationTokenSource(Timeout))
            {
                await child.WaitForExitAsync(exit.Token);
            }

            Assert.True(child.ExitCode == 0, $"The worker exited with {child.ExitCode}: {await childErrors}");
            var parent = await File.ReadAllLinesAsync(parentLog);
            var fromChild = await File.ReadAllLinesAsync(childLog);
            output.WriteLine($"Keys locked by the test process: {parent.Length}; by the child process: {fromChild.Length}.");
            var all = parent.Concat(fromChild).ToList();
            Assert.Equal(KeyCount, all.Count);
            Assert.Equal(KeyCount, all.Distinct(StringComparer.Ordinal).Count());
        }
        finally
        {
            if (!child.HasExited)
            {
                child.Kill(entireProcessTree: true);
            }
        }
    }

    private static Process StartWorker(string database, string acquisitionsFile)
    {
        var worker = Path.Combine(AppContext.BaseDirectory, "Concord.Storage.Sqlite.Worker.dll");
        Assert.True(File.Exists(worker), $"The worker was not built next to the tests: {worker}");
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        var start = new ProcessStartInfo(!string.IsNullOrEmpty(host) && File.Exists(host) ? host : "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { worker, "leases", database, $"{KeyCount}", acquisitionsFile })
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("The worker process did not start.");
    }
}
