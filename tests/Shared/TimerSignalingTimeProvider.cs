using Microsoft.Extensions.Time.Testing;

namespace Concord.Tests.Shared;

/// <summary>A <see cref="FakeTimeProvider"/> that says when code under test starts waiting on it (creates a timer), so a test advances time only after.</summary>
internal sealed class TimerSignalingTimeProvider : FakeTimeProvider
{
    private readonly TaskCompletionSource _timerCreated = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task TimerCreated => _timerCreated.Task;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _timerCreated.TrySetResult();
        return timer;
    }
}
