using System.Globalization;
using System.Text.Json;
using Concord.Canonical.Errors;
using Concord.Connectors.Zendesk.Api;
using Concord.Connectors.Zendesk.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Concord.Connectors.Zendesk.Internal;

/// <summary>One <c>*_many</c> call to make: at most 100 items.</summary>
internal sealed record JobSpec(HttpMethod Method, string Path, byte[] Body, int Count, string Where);

/// <summary>One item's result in a finished job.</summary>
internal sealed record JobItemResult(int? Index, long? Id, string? ExternalId, string? Email, bool Success, string? Status, string? Error, string? Details);

/// <summary>How a job ended: its final status (completed or failed) with its item results, or the error that kept it from finishing.</summary>
internal sealed record JobOutcome(string? JobId, string? Status, IReadOnlyList<JobItemResult> Items, string? Message, ConcordException? Error)
{
    public static JobOutcome Failed(ConcordException error, string? jobId = null) => new(jobId, null, [], null, error);

    public static JobOutcome From(JobStatusDto status) => new(status.Id, status.Status, ParseItems(status.Results), status.Message, null);

    private static List<JobItemResult> ParseItems(JsonElement? results)
    {
        var items = new List<JobItemResult>();
        if (results is not { ValueKind: JsonValueKind.Array } array)
        {
            return items; // null, or a single {success} object (permanent deletions): no per-item results
        }

        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            var status = Text(item, "status");
            var error = Text(item, "error");
            var success = item.TryGetProperty("success", out var s) && s.ValueKind is JsonValueKind.True or JsonValueKind.False
                ? s.GetBoolean()
                : error is null && !string.Equals(status, "Failed", StringComparison.OrdinalIgnoreCase);
            items.Add(new JobItemResult(
                item.TryGetProperty("index", out var index) && index.ValueKind == JsonValueKind.Number && index.TryGetInt32(out var i) ? i : null,
                Long(item, "id"),
                Text(item, "external_id"),
                Text(item, "email"),
                success,
                status,
                error,
                item.TryGetProperty("details", out var details) ? details.ValueKind == JsonValueKind.String ? details.GetString() : details.GetRawText() : null));
        }

        return items;
    }

    private static string? Text(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static long? Long(JsonElement item, string name) =>
        !item.TryGetProperty(name, out var value) ? null
        : value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number
        : value.ValueKind == JsonValueKind.String && long.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed
        : null;
}

/// <summary>
/// Runs jobs to their end: submits as many as the account's job slots allow (at most 30 in flight, fewer when
/// <c>zendesk-ratelimit-inflight-jobs</c> says so), polls every running job of the call with one
/// <c>job_statuses/show_many</c> per 100 ids, each job backing off from <see cref="ZendeskConnectorOptions.JobPollInitialDelay"/>
/// (doubling up to <see cref="ZendeskConnectorOptions.JobPollMaxDelay"/>), and answers one outcome per spec, in spec
/// order. A <c>TooManyJobs</c> refusal waits for a slot and resubmits; a job that outlives
/// <see cref="ZendeskConnectorOptions.JobTimeout"/> ends as a Transient failure.
/// </summary>
internal sealed class JobRunner(ZendeskApiClient api, ZendeskConnectorOptions options, ILogger logger)
{
    private const int TooManyJobsAttempts = 6;
    private const int ShowManyLimit = 100;
    private const int SubmitConcurrency = 8;

    private int _polls;
    private int _submissions;

    /// <summary>Polls made by this runner (show_many calls), for the benchmark.</summary>
    public int Polls => Volatile.Read(ref _polls);

    /// <summary>Jobs submitted by this runner.</summary>
    public int Submissions => Volatile.Read(ref _submissions);

    public async Task<JobOutcome[]> RunAsync(IReadOnlyList<JobSpec> specs, string operation, CancellationToken cancellationToken)
    {
        var outcomes = new JobOutcome?[specs.Count];
        var pending = new LinkedList<int>(Enumerable.Range(0, specs.Count));
        var refusals = new int[specs.Count];
        var running = new Dictionary<string, Running>(StringComparer.Ordinal);
        var session = api.Session;
        var time = session.Time;
        try
        {
            while (pending.Count > 0 || running.Count > 0)
            {
                // Submit while slots are free, a few at once; with nothing of ours running, wait for a slot (another call holds them).
                while (pending.Count > 0 && (running.Count == 0 || session.Jobs.Available > 0))
                {
                    var wave = new List<int>(SubmitConcurrency);
                    if (running.Count == 0)
                    {
                        await session.Jobs.AcquireAsync(cancellationToken).ConfigureAwait(false);
                        wave.Add(Take(pending));
                    }

                    while (pending.Count > 0 && wave.Count < SubmitConcurrency && session.Jobs.TryAcquire())
                    {
                        wave.Add(Take(pending));
                    }

                    if (wave.Count == 0)
                    {
                        break;
                    }

                    (JobStatusDto? Status, ConcordException? Error)[] answers;
                    try
                    {
                        answers = await Task.WhenAll(wave.Select(i => SubmitAsync(specs[i], operation, cancellationToken))).ConfigureAwait(false);
                    }
                    catch
                    {
                        foreach (var _ in wave)
                        {
                            session.Jobs.Release();
                        }

                        throw;
                    }

                    var refused = false;
                    for (var k = 0; k < wave.Count; k++)
                    {
                        var index = wave[k];
                        var spec = specs[index];
                        var (status, error) = answers[k];
                        if (error is { Category: ErrorCategory.RateLimited } && ++refusals[index] < TooManyJobsAttempts)
                        {
                            // TooManyJobs (or the budget) after the pipeline's own retries: give the slot back and try later.
                            session.Jobs.Release();
                            pending.AddFirst(index);
                            var wait = error.RetryAfter is { } after && after > TimeSpan.Zero ? after : TimeSpan.FromSeconds(refusals[index]);
                            session.Jobs.BlockFor(wait);
                            Log.TooManyJobs(logger, api.ConnectorName, wait);
                            refused = true;
                            continue;
                        }

                        if (error is not null)
                        {
                            session.Jobs.Release();
                            outcomes[index] = JobOutcome.Failed(error);
                            continue;
                        }

                        if (status?.Id is not { Length: > 0 } jobId)
                        {
                            session.Jobs.Release();
                            outcomes[index] = JobOutcome.Failed(Contract($"Zendesk {operation} answered without a job_status id for {spec.Where}.", operation));
                            continue;
                        }

                        Log.JobSubmitted(logger, api.ConnectorName, operation, jobId, spec.Count);
                        if (IsFinished(status))
                        {
                            session.Jobs.Release();
                            outcomes[index] = JobOutcome.From(status);
                            continue;
                        }

                        var now = time.GetUtcNow();
                        running[jobId] = new Running(index, now, options.JobPollInitialDelay, now + options.JobPollInitialDelay);
                    }

                    if (refused)
                    {
                        break;
                    }
                }

                if (running.Count == 0)
                {
                    continue;
                }

                var due = running.Values.Min(r => r.NextPoll);
                var delay = due - time.GetUtcNow();
                if (delay > TimeSpan.Zero)
                {
                    await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
                }

                await PollAsync(running, outcomes, operation, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            // Cancelled or failed with jobs of ours still running: they keep running at Zendesk; free our slots.
            foreach (var _ in running)
            {
                session.Jobs.Release();
            }
        }

        return [.. outcomes.Select(o => o!)];
    }

    private async Task PollAsync(Dictionary<string, Running> running, JobOutcome?[] outcomes, string operation, CancellationToken cancellationToken)
    {
        var session = api.Session;
        var time = session.Time;
        foreach (var chunk in running.Keys.ToList().Chunk(ShowManyLimit))
        {
            var path = "api/v2/job_statuses/show_many.json?ids=" + string.Join(',', chunk.Select(Uri.EscapeDataString));
            var response = await api.SendAsync(HttpMethod.Get, path, null, ZendeskJsonContext.Default.JobStatusesEnvelope, operation, $"{chunk.Length} jobs", idempotent: true, cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _polls);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var status in response.Value?.JobStatuses ?? [])
            {
                if (status.Id is not { } id || !running.TryGetValue(id, out var job))
                {
                    continue;
                }

                seen.Add(id);
                if (IsFinished(status))
                {
                    running.Remove(id);
                    session.Jobs.Release();
                    outcomes[job.Index] = JobOutcome.From(status);
                    Log.JobFinished(logger, api.ConnectorName, id, status.Status ?? "?");
                }
            }

            var now = time.GetUtcNow();
            foreach (var id in chunk)
            {
                if (!running.TryGetValue(id, out var job))
                {
                    continue;
                }

                if (now - job.SubmittedAt >= options.JobTimeout || (!seen.Contains(id) && now - job.SubmittedAt >= options.JobPollMaxDelay * 4))
                {
                    running.Remove(id);
                    session.Jobs.Release();
                    outcomes[job.Index] = JobOutcome.Failed(new ConcordException(
                        ErrorCategory.Transient,
                        $"Zendesk job {id} did not finish within {options.JobTimeout}{(seen.Contains(id) ? string.Empty : " (its status is no longer readable)")}; its items may or may not be written, and writing them again is safe.")
                    {
                        System = api.ConnectorName,
                        Operation = operation,
                    }, id);
                    continue;
                }

                var interval = job.Interval * 2 > options.JobPollMaxDelay ? options.JobPollMaxDelay : job.Interval * 2;
                running[id] = job with { Interval = interval, NextPoll = now + interval };
            }
        }
    }

    private async Task<(JobStatusDto? Status, ConcordException? Error)> SubmitAsync(JobSpec spec, string operation, CancellationToken cancellationToken)
    {
        try
        {
            var response = await api.SendAsync(spec.Method, spec.Path, spec.Body, ZendeskJsonContext.Default.JobStatusEnvelope, operation, spec.Where, idempotent: true, cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _submissions);
            return (response.Value?.JobStatus, null);
        }
        catch (ConcordException ex)
        {
            return (null, ex);
        }
    }

    private static int Take(LinkedList<int> pending)
    {
        var index = pending.First!.Value;
        pending.RemoveFirst();
        return index;
    }

    private static bool IsFinished(JobStatusDto status) => status.Status is "completed" or "failed" or "killed";

    private ConcordException Contract(string message, string operation) =>
        new(ErrorCategory.ContractViolation, message) { System = api.ConnectorName, Operation = operation };

    private sealed record Running(int Index, DateTimeOffset SubmittedAt, TimeSpan Interval, DateTimeOffset NextPoll);
}
