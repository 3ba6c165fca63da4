using System.Diagnostics;
using System.Globalization;

namespace Concord.EndToEnd.Tests.Support;

/// <summary>A Concord.EndToEnd.Worker child process running the flow against the test process's simulators.</summary>
internal sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;
    private readonly Task<string> _errors;
    private readonly Task _reader;
    private readonly TaskCompletionSource<bool> _settled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _handled;

    private WorkerProcess(Process process, long killAfter, Action<string> log)
    {
        _process = process;
        var killAt = killAfter;

        // Pipe reads block a thread on Unix: give them threads of their own.
        _errors = Task.Factory.StartNew(process.StandardError.ReadToEnd, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        _reader = Task.Factory.StartNew(
            () =>
            {
                while (process.StandardOutput.ReadLine() is { } line)
                {
                    if (line.StartsWith("handled ", StringComparison.Ordinal))
                    {
                        var handled = long.Parse(line.AsSpan(8), CultureInfo.InvariantCulture);
                        Interlocked.Exchange(ref _handled, handled);
                        if (handled >= killAt && killAt > 0)
                        {
                            killAt = 0;
                            Killed = true;
                            log($"SIGKILL after {handled} records handled by this worker");
                            process.Kill(entireProcessTree: true);
                        }
                    }
                    else if (line.StartsWith("settled ", StringComparison.Ordinal))
                    {
                        log($"worker {line}");
                        _settled.TrySetResult(true);
                    }
                }

                _settled.TrySetResult(false);
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
    }

    public long Handled => Interlocked.Read(ref _handled);

    /// <summary>The worker's process id.</summary>
    public int Id => _process.Id;

    /// <summary>Whether the worker has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Whether this test killed the worker.</summary>
    public bool Killed { get; private set; }

    /// <summary>Starts a worker with <paramref name="settings"/> as environment variables; it is SIGKILLed once it reports <paramref name="killAfter"/> handled records (0: never).</summary>
    public static WorkerProcess Start(IReadOnlyDictionary<string, string> settings, long killAfter, Action<string> log)
    {
        var worker = Path.Combine(AppContext.BaseDirectory, "Concord.EndToEnd.Worker.dll");
        Assert.True(File.Exists(worker), $"The worker was not built next to the tests: {worker}");
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(worker);
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("The worker process did not start.");
        return new WorkerProcess(process, killAfter, log);
    }

    /// <summary>SIGKILLs the worker now (when it has not exited yet).</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            Killed = true;
            _process.Kill(entireProcessTree: true);
        }
    }

    /// <summary>Waits for the worker to exit; returns whether it settled the flow (false when killed).</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            Assert.Fail($"The worker did not finish within {timeout}. {await ErrorsAsync()}");
        }

        await _reader.WaitAsync(TimeSpan.FromSeconds(10));
        var settled = await _settled.Task;
        if (!Killed)
        {
            Assert.True(settled && _process.ExitCode == 0, $"The worker exited with {_process.ExitCode} without being killed: {await ErrorsAsync()}");
        }

        return settled;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private async Task<string> ErrorsAsync()
    {
        try
        {
            return await _errors.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException)
        {
            return "(no error output)";
        }
    }

    private static string DotnetHost()
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host))
        {
            return host;
        }

        var self = Environment.ProcessPath;
        return self is not null && Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase) ? self : "dotnet";
    }
}
