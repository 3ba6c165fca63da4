using Concord.EndToEnd.Tests.Support;
using Concord.EndToEnd.Worker;
using Concord.Sync.Flows;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Concord.EndToEnd.Tests;

/// <summary>
/// A 1,000-record Salesforce to Odoo run against the simulators is stopped at a random point, by cancellation or by
/// SIGKILL of a child process, then restarted on the same SQLite file. After completion every valid account exists in
/// Odoo exactly once, none is missing, the dead letters are exactly the invalid seeds, and every customer's
/// <c>customer.created</c> event was delivered at least once. The same holds with 20 % transient faults (half of them
/// lost responses of requests that were applied).
/// </summary>
public sealed class CrashSafetyTests(ITestOutputHelper output)
{
    private static readonly TimeSpan WorkerTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Run_cancelled_at_a_random_point_then_restarted_on_the_same_file_delivers_every_record_once()
    {
        await using var world = new EndToEndWorld("e2e-cancel");
        var stopAfter = RandomPoint();

        using (var cancellation = new CancellationTokenSource())
        await using (var first = world.BuildHost())
        using (new EndToEndFlow.Progress(world.FlowName, handled =>
        {
            if (handled >= stopAfter)
            {
                cancellation.Cancel();
            }
        }))
        {
            var summary = await RunUntilCancelledAsync(first, cancellation.Token);
            output.WriteLine($"cancelled after {stopAfter} records: {summary}");
        }

        await using (var second = world.BuildHost())
        {
            var passes = await EndToEndFlow.RunUntilSettledAsync(Flow(second), s => Log(s));
            output.WriteLine($"settled in {passes} passes after the restart");
        }

        await world.AssertCompleteAsync();
    }

    [Fact]
    public async Task Worker_killed_at_a_random_point_then_restarted_on_the_same_file_delivers_every_record_once()
    {
        await using var world = new EndToEndWorld("e2e-kill");
        await KillThenCompleteAsync(world, kills: 2);
        await world.AssertCompleteAsync();
    }

    [Fact]
    public async Task With_20_percent_transient_faults_and_lost_responses_a_killed_worker_still_delivers_every_record_once()
    {
        await using var world = new EndToEndWorld("e2e-faults");
        world.EnableFaults();
        await KillThenCompleteAsync(world, kills: 1);
        world.DisableFaults();
        await world.AssertCompleteAsync();
        Assert.True(world.Odoo.Journal.Entries.Any(e => e.Faulted), "The fault plan injected no fault.");
    }

    private async Task KillThenCompleteAsync(EndToEndWorld world, int kills)
    {
        var settings = world.Settings();
        for (var attempt = 0; attempt < kills; attempt++)
        {
            var killAfter = RandomPoint() / (attempt + 1);
            using var worker = WorkerProcess.Start(settings, killAfter, output.WriteLine);
            var settled = await worker.WaitAsync(WorkerTimeout);
            output.WriteLine(settled ? $"worker {attempt + 1} finished before the kill point ({killAfter})" : $"worker {attempt + 1} killed after {worker.Handled} records");
        }

        using var last = WorkerProcess.Start(settings, killAfter: 0, output.WriteLine);
        Assert.True(await last.WaitAsync(WorkerTimeout), "The last worker did not settle the flow.");
    }

    private static async Task<FlowRunSummary?> RunUntilCancelledAsync(IServiceProvider host, CancellationToken cancellationToken)
    {
        try
        {
            return await Flow(host).RunOnceAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    private static IFlow Flow(IServiceProvider host) => host.GetRequiredService<IFlowRunner>().Flows.Single();

    private Task Log(FlowRunSummary summary)
    {
        output.WriteLine(summary.ToString());
        return Task.CompletedTask;
    }

    private int RandomPoint()
    {
        var point = Random.Shared.Next(50, EndToEndWorld.Records - 50);
        output.WriteLine($"random stop point: {point} records");
        return point;
    }
}
