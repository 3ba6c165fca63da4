using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using Concord.Canonical;
using Concord.Canonical.Diagnostics;
using Concord.Sync.Flows;
using Concord.Sync.Outbox;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Concord.Soak.Runner;

/// <summary>
/// The child process (<c>soak worker &lt;settings.json&gt;</c>): runs both flows and the outbox dispatcher on the state
/// file until told to stop, and reports on stdout — <c>progress F S</c> (records the feed and the shop flow handled in
/// this process), <c>idle T</c> (a feed pass started at unix-ms T wrote, deferred and read nothing, the shop has nothing
/// waiting, the outbox is empty) and <c>stopped</c>. Reads commands on stdin: <c>shop N</c> (the shop has issued its first
/// N records: submit those this process has not) and <c>stop</c>. The runner SIGKILLs it whenever it likes.
/// </summary>
internal static class SoakWorker
{
    private static readonly DateTimeOffset ShopEpoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static async Task<int> RunAsync(string settingsPath)
    {
        var settings = JsonSerializer.Deserialize<Dictionary<string, string>>(await File.ReadAllTextAsync(settingsPath))
            ?? throw new InvalidOperationException("No settings.");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings.Select(p => KeyValuePair.Create(p.Key, (string?)p.Value))).Build();
        var options = SoakOptions.Parse(configuration["Soak:Options"]!.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var shopRecords = SoakData.Create(options).Shop;

        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddSimpleConsole(console => console.SingleLine = true).SetMinimumLevel(LogLevel.Error));
        using var events = new EventLog(configuration[SoakFlows.EventsPathKey]!);
        services.AddSingleton<IOutboxPublisher>(events);
        SoakFlows.Add(services, configuration);
        FeedRecorder.Wrap(services, "salesforce", configuration[SoakFlows.FeedPathKey]!);
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });

        var runner = provider.GetRequiredService<IFlowRunner>();
        var feed = runner.GetFlow(SoakFlows.FeedFlow);
        var shop = runner.GetFlow(SoakFlows.ShopFlow);
        var dispatcher = provider.GetRequiredService<IOutboxDispatcher>();
        var outbox = provider.GetRequiredService<IOutbox>();

        using var progress = new FlowProgress();
        using var stopping = new CancellationTokenSource();
        var issued = Channel.CreateUnbounded<int>();
        var shopState = new ShopState();
        Report("ready");

        var commands = Task.Factory.StartNew(
            () =>
            {
                while (Console.In.ReadLine() is { } line)
                {
                    if (line.StartsWith("shop ", StringComparison.Ordinal))
                    {
                        shopState.Issued(int.Parse(line.AsSpan(5), CultureInfo.InvariantCulture));
                        issued.Writer.TryWrite(0);
                    }
                    else if (line == "stop")
                    {
                        break;
                    }
                }

                stopping.Cancel();
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

        var reporter = Task.Run(async () =>
        {
            var last = (-1L, -1L);
            while (!stopping.IsCancellationRequested)
            {
                var now = (progress.Handled(SoakFlows.FeedFlow), progress.Handled(SoakFlows.ShopFlow));
                if (now != last)
                {
                    Report(string.Create(CultureInfo.InvariantCulture, $"progress {now.Item1} {now.Item2}"));
                    last = now;
                }

                await Delay(TimeSpan.FromMilliseconds(200), stopping.Token);
            }
        });

        var dispatching = Task.Run(async () =>
        {
            while (!stopping.IsCancellationRequested)
            {
                if (await dispatcher.DispatchAsync() == 0)
                {
                    await Delay(TimeSpan.FromMilliseconds(100), stopping.Token);
                }
            }
        });

        var shopping = Task.Run(async () =>
        {
            while (!stopping.IsCancellationRequested)
            {
                if (shopState.Next() is { } range)
                {
                    var customers = shopRecords.Skip(range.From).Take(range.To - range.From).Select((r, i) => ToCustomer(r, range.From + i)).ToList();
                    var summary = await shop.SubmitManyAsync(customers);
                    Diagnose("shop submit", summary);
                    shopState.Submitted(range.To, summary.Deferred > 0 || summary.Stopped);
                    continue;
                }

                if (shopState.Waiting)
                {
                    await Delay(TimeSpan.FromMilliseconds(500), stopping.Token);
                    var retry = await shop.RunOnceAsync();
                    Diagnose("shop retry", retry);
                    shopState.Retried(retry.Deferred > 0 || retry.Stopped);
                    continue;
                }

                using var wake = CancellationTokenSource.CreateLinkedTokenSource(stopping.Token);
                wake.CancelAfter(TimeSpan.FromMilliseconds(500));
                try
                {
                    await issued.Reader.ReadAsync(wake.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
        });

        var feeding = Task.Run(async () =>
        {
            while (!stopping.IsCancellationRequested)
            {
                var started = DateTimeOffset.UtcNow;
                var summary = await feed.RunOnceAsync();
                Diagnose("feed", summary);
                // A pass that found the feed's lease held elsewhere (a killed worker's, until it expires) read nothing but is not quiet.
                var quiet = summary.Read == 0 && summary.Deferred == 0 && !summary.Stopped && !summary.FeedHeldElsewhere && summary.Created + summary.Updated + summary.DeadLettered == 0;
                if (quiet && shopState.Idle && await outbox.CountPendingAsync() == 0)
                {
                    Report(string.Create(CultureInfo.InvariantCulture, $"idle {started.ToUnixTimeMilliseconds()}"));
                }

                if (quiet || summary.Deferred > 0 || summary.Stopped || summary.FeedHeldElsewhere)
                {
                    await Delay(TimeSpan.FromMilliseconds(500), stopping.Token);
                }
            }
        });

        await Task.WhenAll(feeding, shopping, dispatching, reporter);
        while (await dispatcher.DispatchAsync() > 0)
        {
        }

        Report("stopped");
        await commands.WaitAsync(TimeSpan.FromSeconds(1)).ContinueWith(_ => { }, TaskScheduler.Default);
        return 0;
    }

    private static CanonicalCustomer ToCustomer(ShopRecord record, int index) => new()
    {
        Kind = CustomerKind.Company,
        Name = record.Name,
        Website = record.Website,
        Emails = [new EmailAddress { Address = record.Email }],
        Provenance = new Provenance
        {
            ExternalRefs = [new ExternalRef(SoakFlows.ShopSystem, record.ShopId)],
            SourceModifiedAt = ShopEpoch.AddSeconds(index),
        },
    };

    private static void Report(string line)
    {
        lock (Console.Out)
        {
            Console.Out.WriteLine(line);
            Console.Out.Flush();
        }
    }

    private static void Diagnose(string what, FlowRunSummary summary)
    {
        if (summary.Read + summary.Created + summary.Updated + summary.Deferred + summary.DeadLettered > 0 || summary.Stopped)
        {
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{DateTimeOffset.UtcNow:HH:mm:ss.fff} {what}: {summary}"));
        }
    }

    private static async Task Delay(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Which of the issued shop records this process has submitted, and whether some wait for a retry.</summary>
    private sealed class ShopState
    {
        private readonly Lock _gate = new();
        private int _issued;
        private int _submitted;
        private bool _submitting;
        private bool _waiting;

        public bool Waiting
        {
            get
            {
                lock (_gate)
                {
                    return _waiting;
                }
            }
        }

        public bool Idle
        {
            get
            {
                lock (_gate)
                {
                    return !_submitting && !_waiting && _submitted >= _issued;
                }
            }
        }

        public void Issued(int count)
        {
            lock (_gate)
            {
                _issued = Math.Max(_issued, count);
            }
        }

        public (int From, int To)? Next()
        {
            lock (_gate)
            {
                if (_submitted >= _issued)
                {
                    return null;
                }

                _submitting = true;
                return (_submitted, Math.Min(_issued, _submitted + 200));
            }
        }

        public void Submitted(int to, bool waiting)
        {
            lock (_gate)
            {
                _submitted = to;
                _submitting = false;
                _waiting |= waiting;
            }
        }

        public void Retried(bool waiting)
        {
            lock (_gate)
            {
                _waiting = waiting;
            }
        }
    }

    /// <summary>Counts the records each flow handled in this process, from the <c>concord.flow.records</c> counter.</summary>
    private sealed class FlowProgress : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _feed;
        private long _shop;

        public FlowProgress()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == ConcordTelemetry.Name && instrument.Name == "concord.flow.records")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == ConcordTelemetry.FlowTag)
                    {
                        if (tag.Value as string == SoakFlows.FeedFlow)
                        {
                            Interlocked.Add(ref _feed, value);
                        }
                        else if (tag.Value as string == SoakFlows.ShopFlow)
                        {
                            Interlocked.Add(ref _shop, value);
                        }

                        return;
                    }
                }
            });
            _listener.Start();
        }

        public long Handled(string flow) => Interlocked.Read(ref flow == SoakFlows.FeedFlow ? ref _feed : ref _shop);

        public void Dispose() => _listener.Dispose();
    }
}
