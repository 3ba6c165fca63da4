using System.Diagnostics;
using Concord.Storage.Sqlite.Tests.TestSupport;
using Concord.Storage.Sqlite.Worker;
using Concord.Sync.Idempotency;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Concord.Storage.Sqlite.Tests.Idempotency;

/// <summary>Two OS processes claim the same keys on one SQLite file: the test process and a child running Concord.Storage.Sqlite.Worker.</summary>
public sealed class TwoProcessClaimTests(ITestOutputHelper output) : IDisposable
{
    private const int KeyCount = 1000;
    private const int LoopsPerProcess = 2;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly TempDatabaseFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Two_processes_claiming_the_same_keys_on_one_file_never_acquire_a_key_twice()
    {
        var parentLog = Path.Combine(_folder.Folder, "parent-acquired.txt");
        var childLog = Path.Combine(_folder.Folder, "child-acquired.txt");
        var services = new ServiceCollection();
        services.AddConcord().UseSqlite(_folder.DatabasePath);
        await using var provider = services.BuildServiceProvider();
        var store = provider.GetRequiredService<IIdempotencyStore>();

        var clock = Stopwatch.StartNew();
        using var child = StartWorker(_folder.DatabasePath, childLog);
        try
        {
            // Pipe reads block a thread on Unix; give them threads of their own rather than starve the pool the claims run on.
            var childErrors = Task.Factory.StartNew(child.StandardError.ReadToEnd, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            var childReady = Task.Factory.StartNew(child.StandardOutput.ReadLine, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

            // Both processes create and migrate the file now, at about the same time; then both start claiming on "go".
            _ = await store.GetAsync(ClaimWorker.Key(0));
            var ready = await childReady.WaitAsync(Timeout);
            if (ready != "ready")
            {
                Assert.Fail($"The worker did not get ready: '{ready}'. {await ReadSoonAsync(childErrors)}");
            }

            var readyAt = clock.Elapsed;
            await child.StandardInput.WriteLineAsync("go");
            await child.StandardInput.FlushAsync();

            await ClaimWorker.RunAsync(store, KeyCount, LoopsPerProcess, owner: "parent", reverse: false, parentLog).WaitAsync(Timeout);
            var parentDoneAt = clock.Elapsed;
            using (var exit = new CancellationTokenSource(Timeout))
            {
                await child.WaitForExitAsync(exit.Token);
            }

            Assert.True(child.ExitCode == 0, $"The worker exited with {child.ExitCode}: {await childErrors}");
            var parentAcquired = await File.ReadAllLinesAsync(parentLog);
            var childAcquired = await File.ReadAllLinesAsync(childLog);
            output.WriteLine($"Acquired by the test process: {parentAcquired.Length}; by the child process: {childAcquired.Length}.");
            output.WriteLine($"Child ready after {readyAt.TotalSeconds:0.00} s; test process done after {parentDoneAt.TotalSeconds:0.00} s; child exited after {clock.Elapsed.TotalSeconds:0.00} s.");

            var all = parentAcquired.Concat(childAcquired).ToList();
            Assert.Equal(KeyCount, all.Count);
            Assert.Equal(KeyCount, all.Distinct(StringComparer.Ordinal).Count());
            var byParent = parentAcquired.ToHashSet(StringComparer.Ordinal);
            for (var i = 0; i < KeyCount; i++)
            {
                var key = ClaimWorker.Key(i);
                var record = await store.GetAsync(key);
                Assert.NotNull(record);
                Assert.Equal(IdempotencyState.Completed, record.State);
                Assert.Equal(1, record.Attempts);
                var owner = byParent.Contains(key.Value) ? "parent" : "child";
                Assert.Equal($"{owner}:{key.Value}", record.Result!.ExternalId);
            }
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
        // The worker project is referenced by this test project, so its dll, deps.json and runtimeconfig.json are copied
        // next to the tests in every configuration and artifacts layout.
        var worker = Path.Combine(AppContext.BaseDirectory, "Concord.Storage.Sqlite.Worker.dll");
        Assert.True(File.Exists(worker), $"The worker was not built next to the tests: {worker}");

        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { worker, database, $"{KeyCount}", $"{LoopsPerProcess}", acquisitionsFile })
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("The worker process did not start.");
    }

    private static string DotnetHost()
    {
        // dotnet test sets DOTNET_HOST_PATH; otherwise the test host itself may be the muxer.
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host))
        {
            return host;
        }

        var self = Environment.ProcessPath;
        return self is not null && Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase) ? self : "dotnet";
    }

    private static async Task<string> ReadSoonAsync(Task<string> errors)
    {
        try
        {
            return await errors.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException)
        {
            return "(no error output yet)";
        }
    }
}
