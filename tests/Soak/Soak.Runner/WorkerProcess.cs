using System.Diagnostics;
using System.Globalization;

namespace Concord.Soak.Runner;

/// <summary>A worker child process (this program in <c>worker</c> mode): its reports, its commands, and SIGKILL.</summary>
internal sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;
    private readonly Task _reader;
    private readonly Task _errors;
    private readonly Lock _gate = new();
    private long _feedHandled;
    private long _shopHandled;
    private long _idleSince = -1;
    private int _killed;

    private WorkerProcess(Process process, TextWriter log)
    {
        _process = process;
        _reader = Task.Factory.StartNew(
            () =>
            {
                while (process.StandardOutput.ReadLine() is { } line)
                {
                    if (line.StartsWith("progress ", StringComparison.Ordinal))
                    {
                        var parts = line.Split(' ');
                        Interlocked.Exchange(ref _feedHandled, long.Parse(parts[1], CultureInfo.InvariantCulture));
                        Interlocked.Exchange(ref _shopHandled, long.Parse(parts[2], CultureInfo.InvariantCulture));
                    }
                    else if (line.StartsWith("idle ", StringComparison.Ordinal))
                    {
                        Interlocked.Exchange(ref _idleSince, long.Parse(line.AsSpan(5), CultureInfo.InvariantCulture));
                    }
                    else if (line == "stopped")
                    {
                        Stopped = true;
                    }
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
        _errors = Task.Factory.StartNew(
            () =>
            {
                while (process.StandardError.ReadLine() is { } line)
                {
                    lock (log)
                    {
                        log.WriteLine(line);
                    }
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
    }

    /// <summary>Records the feed flow handled in this process.</summary>
    public long FeedHandled => Interlocked.Read(ref _feedHandled);

    /// <summary>Records the shop flow handled in this process.</summary>
    public long ShopHandled => Interlocked.Read(ref _shopHandled);

    /// <summary>When the last pass that found nothing to do started (unix ms), or -1.</summary>
    public long IdleSince => Interlocked.Read(ref _idleSince);

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Whether this process was SIGKILLed by the runner.</summary>
    public bool Killed => Volatile.Read(ref _killed) == 1;

    /// <summary>Whether it reported a clean stop.</summary>
    public bool Stopped { get; private set; }

    /// <summary>Starts <c>dotnet &lt;this program&gt; worker &lt;settings&gt;</c>; its diagnostics go to <paramref name="log"/>.</summary>
    public static WorkerProcess Start(string settingsPath, TextWriter log)
    {
        var program = typeof(WorkerProcess).Assembly.Location;
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(program);
        start.ArgumentList.Add("worker");
        start.ArgumentList.Add(settingsPath);
        var process = Process.Start(start) ?? throw new InvalidOperationException("The worker process did not start.");
        return new WorkerProcess(process, log);
    }

    /// <summary>Sends a command line; false when the process is gone.</summary>
    public bool Send(string command)
    {
        lock (_gate)
        {
            try
            {
                if (_process.HasExited)
                {
                    return false;
                }

                _process.StandardInput.WriteLine(command);
                _process.StandardInput.Flush();
                return true;
            }
            catch (IOException)
            {
                return false;
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        }
    }

    /// <summary>SIGKILLs the process (once).</summary>
    public void Kill()
    {
        if (Interlocked.Exchange(ref _killed, 1) == 0)
        {
            try
            {
                _process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
        }
    }

    /// <summary>Waits for the process to exit and its output to be read.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancellation.Token);
            await Task.WhenAll(_reader, _errors).WaitAsync(TimeSpan.FromSeconds(10));
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (TimeoutException)
        {
            return true;
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Kill();
        }

        _process.Dispose();
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
