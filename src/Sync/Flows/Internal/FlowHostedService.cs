using Concord.Canonical.Errors;
using Concord.Canonical.Privacy;
using Concord.Sync.Diagnostics;
using Concord.Sync.Outbox;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Concord.Sync.Flows.Internal;

/// <summary>Runs every change-feed flow that has a poll interval, on that interval (and the webhook hints of a flow that reacts to webhooks every <see cref="FlowOptions.WebhookInterval"/>), and drains the outbox between runs.</summary>
internal sealed class FlowHostedService(
    IFlowRunner runner,
    IOutboxDispatcher dispatcher,
    IOptions<OutboxDispatcherOptions> outboxOptions,
    TimeProvider time,
    ILogger<FlowHostedService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var loops = runner.Flows
            .Where(f => f.Options.SourceKind == FlowSourceKind.ChangeFeed && f.Options.PollInterval is not null)
            .Select(f => PollAsync(f, f.Options.PollInterval!.Value, stoppingToken))
            .Concat(runner.Flows.Where(f => f.Options.ReactsToWebhooks).Select(f => ReactAsync(f, f.Options.WebhookInterval, stoppingToken)))
            .Append(DispatchAsync(stoppingToken));
        await Task.WhenAll(loops).ConfigureAwait(false);
    }

    /// <summary>Handles a webhook flow's pending hints every <paramref name="interval"/>, between its (slower) polls.</summary>
    private Task ReactAsync(IFlow flow, TimeSpan interval, CancellationToken stoppingToken) =>
        LoopAsync(flow, interval, flow.RunWebhooksAsync, stoppingToken);

    private Task PollAsync(IFlow flow, TimeSpan interval, CancellationToken stoppingToken) =>
        LoopAsync(flow, interval, flow.RunOnceAsync, stoppingToken);

    private async Task LoopAsync(IFlow flow, TimeSpan interval, Func<CancellationToken, Task<FlowRunSummary>> run, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            do
            {
                try
                {
                    await run(stoppingToken).ConfigureAwait(false);
                    await dispatcher.DispatchAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (ConcordException exception)
                {
                    // Already logged by the run; the next tick tries again.
                    _ = exception;
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    Log.RunFailed(logger, flow.Name, ErrorCategory.ContractViolation, exception.GetType().Name);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task DispatchAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(outboxOptions.Value.DispatchInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await dispatcher.DispatchAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (ConcordException exception)
                {
                    Log.RunFailed(logger, "outbox", exception.Category, PersonalDataMasker.Mask(exception.Message));
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
