using System.Diagnostics;
using System.Globalization;

namespace Concord.Soak.Runner;

/// <summary>
/// Drives one soak run: seeds Salesforce, starts the worker, edits the source, feeds the shop, SIGKILLs and restarts the
/// worker at the seeded points while 30 % of the simulators' requests fault, waits until the worker has nothing left to
/// do after the last edit, stops it, and checks what the simulators, the event log and the state file say.
/// </summary>
internal sealed class SoakRun
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(120);

    private readonly SoakOptions _options;
    private readonly SoakData _data;
    private readonly SoakWorld _world;
    private readonly TextWriter _output;
    private readonly TextWriter _workerLog;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Lock _gate = new();
    private readonly List<string> _crashes = [];
    private WorkerProcess? _worker;
    private long _handledBefore;
    private int _issued;
    private int _workers;
    private int _kills;
    private int _lostWriteKills;
    private TimeSpan _lastJournalClear;

    private SoakRun(SoakOptions options, SoakData data, SoakWorld world, TextWriter output, TextWriter workerLog)
    {
        _options = options;
        _data = data;
        _world = world;
        _output = output;
        _workerLog = workerLog;
    }

    /// <summary>Runs the soak described by <paramref name="options"/>, printing its progress and its report to <paramref name="output"/>.</summary>
    public static async Task<SoakReport> RunAsync(SoakOptions options, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        var folder = options.Folder ?? Directory.CreateTempSubdirectory("concord-soak-").FullName;
        Directory.CreateDirectory(folder);
        var total = Stopwatch.StartNew();
        var data = SoakData.Create(options);
        var invalid = Enumerable.Range(0, options.Customers).Count(i => !SoakData.IsValid(i));
        output.WriteLine(Invariant($"Concord soak: {options.Customers:N0} customers, seed {options.Seed}, {options.FaultShare:P0} faults, {options.Kills} kills, state in {folder}"));

        SoakReport report;
        await using (var world = new SoakWorld(options, data, folder))
        {
            world.WriteSettings();
            var seeded = total.Elapsed;
            output.WriteLine(Invariant($"  seeded {options.Customers:N0} Salesforce accounts with a contact each ({invalid:N0} invalid) in {Seconds(seeded)}"));
            await using var workerLog = new StreamWriter(world.WorkerLogPath) { AutoFlush = true };
            var run = new SoakRun(options, data, world, output, workerLog);
            var timings = await run.DriveAsync();

            var observing = Stopwatch.StartNew();
            var observation = await world.ObserveAsync();
            var checks = SoakChecker.Check(observation, options.Examples).ToList();
            checks.Add(new SoakCheck("worker crashes", run._crashes.Count, "a worker process that exited on its own (not SIGKILLed, not stopped)", [.. run._crashes.Take(5)]));
            checks.Add(new SoakCheck("settled", timings.Settled ? 0 : 1, "the worker did not finish within the run's bound", timings.Settled ? [] : [timings.Unsettled ?? "timeout"]));
            var distinct = observation.Events.Select(e => e.Id).Distinct(StringComparer.Ordinal).Count();
            var shared = data.Shop.Count(s => s.Account is not null);
            var facts = new List<(string, string)>
            {
                ("customers", Invariant($"{options.Customers:N0} Salesforce accounts ({invalid:N0} invalid) with a contact each; shop flow {data.Shop.Count:N0} records ({shared:N0} share a Salesforce company) into the same Odoo")),
                ("edits", Invariant($"{world.EditsApplied:N0} source edits on {data.Edits.Count:N0} accounts, {world.Reverts:N0} of them reverts to an earlier value")),
                ("faults", Invariant($"Salesforce {Faults(world.SalesforceFaults)}; Odoo {Faults(world.OdooFaults)}")),
                ("kills", Invariant($"{run._kills} SIGKILLs ({run._lostWriteKills} right after Odoo applied a write whose answer was lost), {run._workers} worker processes")),
                ("events", Invariant($"{observation.Events.Count:N0} published ({distinct:N0} distinct), {observation.PendingEvents:N0} pending")),
                ("audit", Invariant($"{observation.Audit.Count:N0} entries")),
                ("odoo", Invariant($"{observation.Target.Count(p => p.IsCompany && p.ParentId is null):N0} companies, {observation.Target.Count(p => p.ParentId is not null):N0} contacts, {observation.TargetChanges.Count:N0} tracked changes")),
                ("memory", Invariant($"this process (both simulators, the edit history, the checks): peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1e9:N2} GB, {Environment.WorkingSet / 1e9:N2} GB at the end")),
                ("took", Invariant($"{Seconds(total.Elapsed)} in all: seed {Seconds(seeded)}, load {Seconds(timings.Load)} ({options.Customers / Math.Max(0.001, timings.Load.TotalSeconds):N0} customers/s), edits {Seconds(timings.Edits)}, drain {Seconds(timings.Drain)}, checks {Seconds(observing.Elapsed)}")),
            };
            report = new SoakReport(options, checks, facts, total.Elapsed, folder);
        }

        report.Print(output);
        if (!options.Keep && report.Passed && options.Folder is null)
        {
            TryDelete(folder);
        }

        return report;
    }

    private async Task<Timings> DriveAsync()
    {
        var deadline = _clock.Elapsed + _options.Timeout;
        _world.StartFaults();
        StartWorker();

        // Phase 1: the load. Edits, shop submissions and kills follow the feed's progress.
        var loadStarted = _clock.Elapsed;
        var loadEdits = _data.Edits.Where(e => e.Kind != EditKind.QuickRevert).OrderBy(e => e.LoadPoint).ToList();
        var loadKills = _data.Kills.Where(k => k.Phase == 1).ToList();
        var nextEdit = 0;
        var nextKill = 0;
        var lastAction = UnixNow();
        while (true)
        {
            if (!await TickAsync(deadline))
            {
                return Timings.Timeout(_clock.Elapsed - loadStarted, "the load did not finish");
            }

            var progress = (double)(_handledBefore + (_worker?.FeedHandled ?? 0)) / _data.Customers;
            for (; nextEdit < loadEdits.Count && loadEdits[nextEdit].LoadPoint <= progress; nextEdit++)
            {
                ApplyLoadEdit(loadEdits[nextEdit]);
                lastAction = UnixNow();
            }

            if (Issue(progress + 0.01))
            {
                lastAction = UnixNow();
            }

            for (; nextKill < loadKills.Count && loadKills[nextKill].At <= progress; nextKill++)
            {
                Kill(loadKills[nextKill], Invariant($"{progress:P0} of the load"));
            }

            if (_worker!.IdleSince > lastAction)
            {
                if (nextEdit < loadEdits.Count || _issued < _data.Shop.Count)
                {
                    // The feed was faster than its progress count says: make what is left of the load's changes now.
                    for (; nextEdit < loadEdits.Count; nextEdit++)
                    {
                        ApplyLoadEdit(loadEdits[nextEdit]);
                    }

                    Issue(double.MaxValue);
                    lastAction = UnixNow();
                    continue;
                }

                break;
            }
        }

        _world.OdooFaults.Disarm();
        var load = _clock.Elapsed - loadStarted;
        _output.WriteLine(Invariant($"  load settled after {Seconds(load)} ({_kills} kills so far, {_world.EditsApplied:N0} edits)"));

        // Phase 2: the edits that follow the load (reverts, second renames, quick A → B → A), kills on a timeline.
        var editsStarted = _clock.Elapsed;
        var window = TimeSpan.FromSeconds(Math.Clamp(load.TotalSeconds * 0.25, 5, 60));
        var actions = new List<(TimeSpan At, Action Do)>();
        foreach (var edit in _data.Edits)
        {
            var at = window * edit.EditPoint;
            var i = edit.Account;
            switch (edit.Kind)
            {
                case EditKind.RevertAfterWritten:
                    actions.Add((at, () => _world.Rename(i, SoakData.Name(i))));
                    break;
                case EditKind.TwoRenames:
                    actions.Add((at, () => _world.Rename(i, SoakData.RenamedTwice(i))));
                    break;
                case EditKind.QuickRevert:
                    actions.Add((at, () => _world.Rename(i, SoakData.Renamed(i))));
                    actions.Add((at + edit.QuickDelay, () => _world.Rename(i, SoakData.Name(i))));
                    break;
                case EditKind.ContactRevert:
                    actions.Add((at, () => _world.RenameContact(i, SoakData.ContactLastName(i))));
                    break;
            }
        }

        actions.Sort((a, b) => a.At.CompareTo(b.At));
        var editKills = _data.Kills.Where(k => k.Phase == 2).ToList();
        var nextAction = 0;
        nextKill = 0;
        while (nextAction < actions.Count || nextKill < editKills.Count)
        {
            if (!await TickAsync(deadline))
            {
                return Timings.Timeout(load, "the edits did not finish");
            }

            var elapsed = _clock.Elapsed - editsStarted;
            for (; nextAction < actions.Count && actions[nextAction].At <= elapsed; nextAction++)
            {
                actions[nextAction].Do();
            }

            for (; nextKill < editKills.Count && window * editKills[nextKill].At <= elapsed; nextKill++)
            {
                Kill(editKills[nextKill], Invariant($"{Seconds(elapsed)} into the edits"));
            }
        }

        _world.OdooFaults.Disarm();
        var edits = _clock.Elapsed - editsStarted;
        var lastEdit = _world.LastEditAt.ToUnixTimeMilliseconds();

        // Phase 3: drain. The worker must report a pass that started after the last edit and found nothing to do.
        var drainStarted = _clock.Elapsed;
        while (_worker!.IdleSince <= lastEdit)
        {
            if (!await TickAsync(deadline))
            {
                return Timings.Timeout(load, "the worker did not settle after the last edit") with { Edits = edits };
            }
        }

        var drain = _clock.Elapsed - drainStarted;
        var stopped = await StopWorkerAsync();
        return new Timings(load, edits, drain, stopped, stopped ? null : "the worker did not stop when asked");
    }

    private void ApplyLoadEdit(EditScript edit)
    {
        switch (edit.Kind)
        {
            case EditKind.RevertAfterWritten:
            case EditKind.TwoRenames:
                _world.Rename(edit.Account, SoakData.Renamed(edit.Account));
                break;
            case EditKind.ContactRevert:
                _world.RenameContact(edit.Account, SoakData.ContactMovedLastName(edit.Account));
                break;
        }
    }

    /// <summary>Issues the shop records up to <paramref name="position"/>; returns whether any was issued.</summary>
    private bool Issue(double position)
    {
        var before = _issued;
        while (_issued < _data.Shop.Count && _data.Shop[_issued].Position <= position)
        {
            _issued++;
        }

        if (_issued == before)
        {
            return false;
        }

        _worker?.Send(Invariant($"shop {_issued}"));
        return true;
    }

    private void Kill(KillPoint point, string when)
    {
        if (point.OnLostWrite)
        {
            _output.WriteLine(Invariant($"  kill armed at {when}: on the next Odoo write whose answer is lost"));
            _world.OdooFaults.ArmLostWrite(() => _ = Task.Run(async () =>
            {
                await Task.Delay(TimeSpan.FromMilliseconds(25));
                if (KillWorker("right after Odoo applied a write whose answer was lost"))
                {
                    Interlocked.Increment(ref _lostWriteKills);
                }
            }));
        }
        else
        {
            KillWorker(when);
        }
    }

    private bool KillWorker(string when)
    {
        lock (_gate)
        {
            if (_worker is not { HasExited: false } worker)
            {
                return false;
            }

            worker.Kill();
            _kills++;
            lock (_output)
            {
                _output.WriteLine(Invariant($"  SIGKILL {_kills} at {Seconds(_clock.Elapsed)}: {when} (this worker handled {worker.FeedHandled:N0} feed and {worker.ShopHandled:N0} shop records)"));
            }

            return true;
        }
    }

    private void StartWorker()
    {
        lock (_gate)
        {
            _worker = WorkerProcess.Start(_world.SettingsPath, _workerLog);
            _workers++;
            if (_issued > 0)
            {
                _worker.Send(Invariant($"shop {_issued}"));
            }
        }
    }

    /// <summary>Waits a tick, restarts a worker that exited, clears the journals now and then; false past the deadline.</summary>
    private async Task<bool> TickAsync(TimeSpan deadline)
    {
        await Task.Delay(Tick);
        if (_clock.Elapsed - _lastJournalClear > TimeSpan.FromSeconds(2))
        {
            _world.ClearJournals();
            _lastJournalClear = _clock.Elapsed;
        }

        var worker = _worker!;
        if (worker.HasExited)
        {
            await worker.WaitForExitAsync(TimeSpan.FromSeconds(30));
            if (!worker.Killed)
            {
                var crash = Invariant($"worker {_workers} exited with {worker.ExitCode} at {Seconds(_clock.Elapsed)} (see {_world.WorkerLogPath})");
                _crashes.Add(crash);
                _output.WriteLine("  " + crash);
            }

            _handledBefore += worker.FeedHandled;
            worker.Dispose();
            StartWorker();
        }

        if (_clock.Elapsed <= deadline)
        {
            return true;
        }

        _output.WriteLine(Invariant($"  the run's bound of {_options.Timeout} is spent"));
        KillWorker("the run's bound is spent");
        return false;
    }

    private async Task<bool> StopWorkerAsync()
    {
        var worker = _worker!;
        worker.Send("stop");
        var exited = await worker.WaitForExitAsync(StopTimeout);
        var stopped = exited && worker.Stopped && worker.ExitCode == 0;
        if (!exited)
        {
            KillWorker("it did not stop when asked");
        }

        worker.Dispose();
        return stopped;
    }

    private static long UnixNow() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private static string Faults(SoakFaults faults) => Invariant(
        $"{faults.Faulted:N0} of {faults.Requests:N0} requests ({(double)faults.Faulted / Math.Max(1, faults.Requests):P1}): 5xx {faults.Count(SoakFaults.Injected.ServiceUnavailable) + faults.Count(SoakFaults.Injected.ServerError):N0}, 429 {faults.Count(SoakFaults.Injected.Throttled):N0}, lost {faults.Count(SoakFaults.Injected.LostResponse):N0}, latency {faults.Count(SoakFaults.Injected.ShortLatency) + faults.Count(SoakFaults.Injected.LongLatency):N0}");

    internal static string Seconds(TimeSpan time) => time.TotalSeconds < 120
        ? Invariant($"{time.TotalSeconds:0.0} s")
        : Invariant($"{(int)time.TotalMinutes} min {time.Seconds:00} s");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private sealed record Timings(TimeSpan Load, TimeSpan Edits, TimeSpan Drain, bool Settled, string? Unsettled)
    {
        public static Timings Timeout(TimeSpan load, string why) => new(load, TimeSpan.Zero, TimeSpan.Zero, false, why);
    }
}
