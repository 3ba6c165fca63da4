using System.Runtime.CompilerServices;

namespace Concord.Testing.Webhooks;

/// <summary>
/// The webhook subscriptions of one simulator: when one of its records is created, changed, deleted or merged, the
/// simulator itself sends what the vendor would send to every matching subscription (payload, headers, signature),
/// in the background, through <see cref="SimulatedWebhookSender"/>; a delivery that is not acknowledged is retried on the
/// vendor's schedule, waited on the simulator's <see cref="TimeProvider"/> (advance a <c>FakeTimeProvider</c> to let a
/// retry go). Each simulator's <c>Webhooks</c> property has a <c>Subscribe(targetUrl, secret, eventTypes)</c>.
/// </summary>
public abstract class SimulatedWebhooks
{
    private static readonly HttpClient SharedClient = new() { Timeout = TimeSpan.FromSeconds(30) };

    private readonly Lock _gate = new();
    private readonly List<SimulatedWebhookDelivery> _deliveries = [];
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TimeProvider _time;
    private TaskCompletionSource _idle = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _active;
    private int _subscriptions;

    private const int Waiting = 0;
    private const int Fired = 1;
    private const int Stopped = 2;

    /// <summary>Starts with no subscription.</summary>
    /// <param name="timeProvider">The simulator's clock: signatures' timestamps and the waits between retries.</param>
    /// <param name="retryDelays">The vendor's waits before each retry; the attempts in all are one more.</param>
    private protected SimulatedWebhooks(TimeProvider timeProvider, IReadOnlyList<TimeSpan> retryDelays)
    {
        _time = timeProvider;
        RetryDelays = retryDelays;
        _idle.SetResult();
    }

    /// <summary>
    /// The client deliveries go out with; a shared client when <see langword="null"/>. Set a test server's client here
    /// (<c>app.GetTestClient()</c>): the deliveries are sent to the subscriptions' absolute URLs through it.
    /// </summary>
    public HttpClient? Client { get; set; }

    /// <summary>Sends every acknowledged delivery a second time at once, as at-least-once senders may.</summary>
    public bool DuplicateDeliveries { get; set; }

    /// <summary>
    /// The waits before each retry of a delivery that was not acknowledged (the vendor's schedule by default; see each
    /// simulator's <c>Webhooks</c> type). An empty list sends once.
    /// </summary>
    public IReadOnlyList<TimeSpan> RetryDelays { get; set; }

    /// <summary>Every delivery the simulator started, in order.</summary>
    public IReadOnlyList<SimulatedWebhookDelivery> Deliveries
    {
        get
        {
            lock (_gate)
            {
                return [.. _deliveries];
            }
        }
    }

    /// <summary>
    /// Completes when no delivery is being sent: every one was answered, gave up, or waits for its next retry time on the
    /// simulator's clock.
    /// </summary>
    /// <param name="cancellationToken">Stops the waiting.</param>
    /// <returns>A task that completes when the simulator's senders are idle.</returns>
    public Task WhenIdleAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return _idle.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Whether anything subscribed (a simulator skips building events otherwise).</summary>
    internal bool Any => Volatile.Read(ref _subscriptions) > 0;

    /// <summary>Counts one subscription.</summary>
    private protected void Subscribed() => Interlocked.Increment(ref _subscriptions);

    /// <summary>Stops sending: deliveries waiting for a retry give up (the simulator calls it when disposed).</summary>
    internal void Stop() => _stopped.TrySetResult();

    /// <summary>Starts one delivery in the background with a sender set up for it (client, clock, duplicates, retry waits).</summary>
    /// <param name="targetUrl">Where it goes.</param>
    /// <param name="eventTypes">What it tells.</param>
    /// <param name="body">Its body as first sent.</param>
    /// <param name="send">Sends it with the sender it is given.</param>
    /// <param name="configure">Sets the sender's vendor details, or <see langword="null"/>.</param>
    private protected void Start(Uri targetUrl, IReadOnlyList<string> eventTypes, string body, Func<SimulatedWebhookSender, CancellationToken, Task<SimulatedWebhookResult>> send, Action<SimulatedWebhookSender>? configure = null)
    {
        var delivery = new SimulatedWebhookDelivery(targetUrl, eventTypes, body);
        var delays = RetryDelays;
        var sender = new SimulatedWebhookSender(Client ?? SharedClient, _time)
        {
            DuplicateDeliveries = DuplicateDeliveries,
            HubSpotMaxAttempts = delays.Count + 1,
            ZendeskMaxAttempts = delays.Count + 1,
            StandardMaxAttempts = delays.Count + 1,
            WaitBeforeRetry = (retry, cancellationToken) => WaitBeforeRetryAsync(delays, retry, cancellationToken),
            AttemptCompleted = delivery.Add,
        };
        configure?.Invoke(sender);
        Begin();
        lock (_gate)
        {
            _deliveries.Add(delivery);
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await send(sender, CancellationToken.None).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The simulator stopped while the delivery waited for a retry.
            }
            finally
            {
                delivery.Complete();
                End();
            }
        });
    }

    private async Task WaitBeforeRetryAsync(IReadOnlyList<TimeSpan> delays, int retry, CancellationToken cancellationToken)
    {
        var due = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var state = new StrongBox<int>(Waiting);
        using var timer = _time.CreateTimer(
            _ =>
            {
                // Busy again before the clock's Advance returns, so WhenIdleAsync after an Advance waits for this retry.
                if (Interlocked.CompareExchange(ref state.Value, Fired, Waiting) == Waiting)
                {
                    Begin();
                    due.TrySetResult();
                }
            },
            null,
            delays[Math.Min(retry, delays.Count) - 1],
            Timeout.InfiniteTimeSpan);
        End();
        if (await Task.WhenAny(due.Task, _stopped.Task).WaitAsync(cancellationToken).ConfigureAwait(false) != due.Task
            && Interlocked.CompareExchange(ref state.Value, Stopped, Waiting) == Waiting)
        {
            Begin(); // the delivery's End in Start balances it
            throw new OperationCanceledException("The simulator stopped.");
        }

        await due.Task.ConfigureAwait(false);
    }

    private void Begin()
    {
        lock (_gate)
        {
            if (_active++ == 0)
            {
                _idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    private void End()
    {
        TaskCompletionSource? idle = null;
        lock (_gate)
        {
            if (--_active == 0)
            {
                idle = _idle;
            }
        }

        idle?.TrySetResult();
    }
}

/// <summary>One delivery a simulator sent on its own, with the status of every attempt so far.</summary>
public sealed class SimulatedWebhookDelivery
{
    private readonly Lock _gate = new();
    private readonly List<int> _statuses = [];
    private bool _completed;

    internal SimulatedWebhookDelivery(Uri targetUrl, IReadOnlyList<string> eventTypes, string body)
    {
        TargetUrl = targetUrl;
        EventTypes = eventTypes;
        Body = body;
    }

    /// <summary>The URL it was sent to.</summary>
    public Uri TargetUrl { get; }

    /// <summary>The event types it carries (HubSpot's <c>subscriptionType</c>s, Zendesk's <c>type</c>, Odoo's trigger).</summary>
    public IReadOnlyList<string> EventTypes { get; }

    /// <summary>The body of its first attempt (HubSpot's later attempts differ in <c>attemptNumber</c> only).</summary>
    public string Body { get; }

    /// <summary>The HTTP status of every attempt so far, in order (0 for a connection failure); a duplicate adds one more.</summary>
    public IReadOnlyList<int> Statuses
    {
        get
        {
            lock (_gate)
            {
                return [.. _statuses];
            }
        }
    }

    /// <summary>Whether an attempt was acknowledged (2xx).</summary>
    public bool Delivered => Statuses.Any(s => s is >= 200 and < 300);

    /// <summary>Whether the sender is done with it: acknowledged, or out of attempts (false while it waits for a retry).</summary>
    public bool Completed
    {
        get
        {
            lock (_gate)
            {
                return _completed;
            }
        }
    }

    internal void Add(int status)
    {
        lock (_gate)
        {
            _statuses.Add(status);
        }
    }

    internal void Complete()
    {
        lock (_gate)
        {
            _completed = true;
        }
    }
}
