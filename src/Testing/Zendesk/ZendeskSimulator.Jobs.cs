using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Concord.Testing.Zendesk.Internal;

namespace Concord.Testing.Zendesk;

public sealed partial class ZendeskSimulator
{
    private const int MaxItemsPerJob = 100;
    private const int MaxIncrementalPage = 1000;

    /// <summary>Accepts a <c>*_many</c> write as a job: at most 100 items, at most <see cref="ZendeskSimulatorOptions.JobLimit"/> running jobs.</summary>
    private SimulatorResponse StartJob(SimulatorRequest request, SimJobKind kind, DateTimeOffset now)
    {
        if (kind is SimJobKind.CreateUsers or SimJobKind.CreateOrUpdateUsers && !_options.BulkUserImportEnabled)
        {
            return ZendeskErrors.Forbidden("You do not have access to this page. Bulk user import is not enabled for this account; contact Zendesk Customer Support.");
        }

        var body = request.ReadJson() as JsonObject ?? [];
        List<JsonObject> items;
        List<long>? targets = null;
        string jobType;
        switch (kind)
        {
            case SimJobKind.CreateOrganizations:
                items = Items(body, "organizations");
                jobType = "bulk_create_organizations";
                break;
            case SimJobKind.UpdateOrganizations or SimJobKind.UpdateUsers:
                var single = kind == SimJobKind.UpdateOrganizations ? "organization" : "user";
                var many = single + "s";
                jobType = kind == SimJobKind.UpdateOrganizations ? "bulk_update_organizations" : "bulk_update_users";
                if ((request.Query.TryGetValue("ids", out var ids) || request.Query.TryGetValue("external_ids", out ids)) && body[single] is JsonObject same)
                {
                    var byExternal = request.Query.ContainsKey("external_ids");
                    items = [.. SplitList(ids).Select(id =>
                    {
                        var copy = (JsonObject)same.DeepClone();
                        copy[byExternal ? "external_id" : "id"] = byExternal ? id : long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
                        return copy;
                    })];
                }
                else
                {
                    items = Items(body, many);
                }

                break;
            case SimJobKind.CreateUsers:
                items = Items(body, "users");
                jobType = "bulk_create_users";
                break;
            case SimJobKind.CreateOrUpdateUsers:
                items = Items(body, "users");
                jobType = "bulk_create_or_update_users";
                break;
            default:
                items = Items(body, "organization_memberships");
                jobType = "bulk_create_organization_memberships";
                break;
        }

        if (items.Count == 0)
        {
            return ZendeskErrors.InvalidAttribute("The body holds no records.");
        }

        if (items.Count > MaxItemsPerJob)
        {
            return ZendeskErrors.InvalidAttribute(string.Create(CultureInfo.InvariantCulture, $"Too many records: a bulk request takes at most {MaxItemsPerJob}, this one has {items.Count}."));
        }

        var running = _jobOrder.Where(j => j.IsRunning).ToList();
        if (running.Count >= _options.JobLimit)
        {
            _throttled++;
            var due = running.Min(j => j.CreatedAt) + _options.JobQueuedTime + _options.JobWorkingTime - Clock();
            return ZendeskErrors.TooManyJobs(running.Select(j => j.Id), due);
        }

        var job = new SimJob { Id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), Kind = kind, JobType = jobType, Items = items, TargetIds = targets, CreatedAt = Clock() };
        _jobs[job.Id] = job;
        _jobOrder.Add(job);
        _jobsCreated++;
        _peakRunningJobs = Math.Max(_peakRunningJobs, running.Count + 1);
        AdvanceJobs(Clock());
        return Wrap("job_status", job.Render(_baseUrl));
    }

    private static List<JsonObject> Items(JsonObject body, string key) =>
        body[key] is JsonArray array ? [.. array.OfType<JsonObject>()] : [];

    private SimulatorResponse ShowJob(string id) =>
        _jobs.TryGetValue(id, out var job) ? Wrap("job_status", job.Render(_baseUrl)) : ZendeskErrors.RecordNotFound();

    private SimulatorResponse ShowManyJobs(SimulatorRequest request)
    {
        if (!request.Query.TryGetValue("ids", out var ids))
        {
            return ZendeskErrors.InvalidAttribute("show_many needs ids.");
        }

        var list = SplitList(ids);
        if (list.Count > 100)
        {
            return ZendeskErrors.InvalidAttribute("Too many ids: show_many takes at most 100.");
        }

        return Wrap("job_statuses", new JsonArray([.. list.Select(id => _jobs.GetValueOrDefault(id)).OfType<SimJob>().Select(j => (JsonNode)j.Render(_baseUrl))]));
    }

    /// <summary>Moves jobs along on the clock, in the order they were accepted, and forgets results older than the retention.</summary>
    private void AdvanceJobs(DateTimeOffset clock)
    {
        foreach (var job in _jobOrder)
        {
            if (!job.IsRunning)
            {
                continue;
            }

            if (job.Status == "queued" && clock >= job.CreatedAt + _options.JobQueuedTime)
            {
                job.Status = "working";
                job.Progress = job.Items.Count / 2;
            }

            if (job.Status == "working" && clock >= job.CreatedAt + _options.JobQueuedTime + _options.JobWorkingTime)
            {
                Run(job, SimTime.Truncate(clock));
                job.FinishedAt = clock;
            }
        }

        foreach (var expired in _jobOrder.Where(j => j.FinishedAt is { } done && clock - done >= _options.JobResultRetention).ToList())
        {
            _jobOrder.Remove(expired);
            _jobs.Remove(expired.Id);
        }
    }

    private void Run(SimJob job, DateTimeOffset now)
    {
        if (_jobsToFail > 0)
        {
            _jobsToFail--;
            job.Status = "failed";
            job.Message = "Failed: the job could not be processed.";
            return;
        }

        var results = new JsonArray();
        for (var index = 0; index < job.Items.Count; index++)
        {
            results.Add(RunItem(job.Kind, job.Items[index], index, now));
        }

        if (_resultsToDrop > 0)
        {
            for (var i = 0; i < _resultsToDrop && results.Count > 0; i++)
            {
                results.RemoveAt(results.Count - 1);
            }

            _resultsToDrop = 0;
        }

        if (_options.ShuffleJobResults && results.Count > 1)
        {
            _shuffle ??= new Random(_options.Seed);
            var shuffled = results.Select(r => r!.DeepClone()).OrderBy(_ => _shuffle.Next()).ToList();
            results = [.. shuffled];
        }

        job.Results = results;
        job.Progress = job.Items.Count;
        job.Status = "completed";
        job.Message = $"Completed at {SimTime.Format(now)}";
    }

    private JsonObject RunItem(SimJobKind kind, JsonObject item, int index, DateTimeOffset now)
    {
        var details = new JsonObject();
        switch (kind)
        {
            case SimJobKind.CreateOrganizations:
            {
                var created = CreateOrganizationRecord(item, details, now);
                return created is null ? Failed(index, null, "create", details) : new JsonObject { ["id"] = created.Id, ["index"] = index };
            }

            case SimJobKind.UpdateOrganizations:
            {
                var target = item["id"] is JsonValue v && v.TryGetValue<long>(out var id)
                    ? _organizations.GetValueOrDefault(id)
                    : _organizations.Values.FirstOrDefault(o => o.DeletedAt is null && SameKey(o.ExternalId, item["external_id"]?.ToString()));
                var reference = item["id"]?.DeepClone();
                if (target is null || target.DeletedAt is not null)
                {
                    return new JsonObject { ["id"] = reference, ["action"] = "update", ["status"] = "Failed", ["success"] = false, ["error"] = "RecordNotFound", ["details"] = "Not found" };
                }

                var changes = (JsonObject)item.DeepClone();
                if (!changes.Remove("id"))
                {
                    changes.Remove("external_id");
                }

                return ApplyOrganization(target, changes, details, now)
                    ? new JsonObject { ["id"] = target.Id, ["action"] = "update", ["status"] = "Updated", ["success"] = true }
                    : Failed(null, target.Id, "update", details);
            }

            case SimJobKind.CreateUsers:
            {
                var created = CreateUserRecord(item, details, now);
                return created is null ? Failed(index, null, "create", details) : new JsonObject { ["id"] = created.Id, ["index"] = index };
            }

            case SimJobKind.CreateOrUpdateUsers:
            {
                // As observed: no index; the external_id or email that identified the item; a placeholder id when it failed.
                var key = new JsonObject();
                if (item["external_id"]?.ToString() is { Length: > 0 } externalId)
                {
                    key["external_id"] = externalId;
                }
                else if (item["email"]?.ToString() is { Length: > 0 } email)
                {
                    key["email"] = email;
                }

                var existing = MatchUser(item, details);
                if (details.Count == 0 && existing is { Shared: true })
                {
                    ZendeskErrors.Add(details, "base", "PermissionDenied", "Shared users cannot be updated");
                }

                bool created = existing is null;
                var user = details.Count > 0 ? null : existing is null ? CreateUserRecord(item, details, now) : ApplyUser(existing, item, details, now, creating: false) ? existing : null;
                if (user is null)
                {
                    var (error, text) = ZendeskErrors.First(details);
                    var failed = new JsonObject { ["id"] = 0, ["status"] = "Failed", ["success"] = false, ["error"] = error, ["details"] = text };
                    foreach (var (k, value) in key)
                    {
                        failed[k] = value?.DeepClone();
                    }

                    return failed;
                }

                var result = new JsonObject { ["id"] = user.Id, ["status"] = created ? "Created" : "Updated", ["success"] = true };
                foreach (var (k, value) in key)
                {
                    result[k] = value?.DeepClone();
                }

                return result;
            }

            case SimJobKind.UpdateUsers:
            {
                var target = item["id"] is JsonValue v && v.TryGetValue<long>(out var id)
                    ? _users.GetValueOrDefault(id)
                    : _users.Values.FirstOrDefault(u => u.Active && SameKey(u.ExternalId, item["external_id"]?.ToString()));
                if (target is null)
                {
                    return new JsonObject { ["id"] = item["id"]?.DeepClone(), ["action"] = "update", ["status"] = "Failed", ["success"] = false, ["error"] = "RecordNotFound", ["details"] = "Not found" };
                }

                var changes = (JsonObject)item.DeepClone();
                changes.Remove("id");
                return ApplyUser(target, changes, details, now, creating: false)
                    ? new JsonObject { ["id"] = target.Id, ["action"] = "update", ["status"] = "Updated", ["success"] = true }
                    : Failed(null, target.Id, "update", details);
            }

            default:
            {
                var membership = CreateMembershipRecord(item, details, now);
                return membership is null ? Failed(index, null, "create", details) : new JsonObject { ["id"] = membership.Id, ["index"] = index };
            }
        }
    }

    private static JsonObject Failed(int? index, long? id, string action, JsonObject details)
    {
        var (error, text) = ZendeskErrors.First(details);
        var result = new JsonObject { ["id"] = id, ["action"] = action, ["status"] = "Failed", ["success"] = false, ["error"] = error, ["details"] = text };
        if (index is { } i)
        {
            result["index"] = i;
        }

        return result;
    }

    /// <summary>
    /// <c>GET /incremental/{organizations|users}?start_time=</c>: changes at or after <c>start_time</c> (which must be at
    /// least <see cref="ZendeskSimulatorOptions.IncrementalExportLag"/> old) and older than the lag, by (updated_at, id);
    /// a page runs past <c>per_page</c> to keep records sharing its last second together, <c>end_time</c> is that second,
    /// so the next page repeats them. Deleted organizations come with <c>deleted_at</c>, deleted users with <c>active: false</c>.
    /// </summary>
    private SimulatorResponse IncrementalByTime(SimulatorRequest request, string resource, DateTimeOffset now)
    {
        if (!request.Query.TryGetValue("start_time", out var startText) || !long.TryParse(startText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var start))
        {
            return ZendeskErrors.InvalidValue("start_time is required: a Unix time in seconds.");
        }

        if (TooRecent(start, now) is { } tooRecent)
        {
            return tooRecent;
        }

        var perPage = PerPage(request);
        var records = Exportable(resource, now).Where(r => r.Updated >= start).ToList();
        var page = records.Take(perPage).ToList();
        if (page.Count > 0)
        {
            // Records sharing the page's last second stay together, and a page never ends on its start second while more
            // follow (that would repeat it for ever): it then runs on through the next second.
            var last = page[^1].Updated;
            page.AddRange(records.Skip(page.Count).TakeWhile(r => r.Updated == last));
            if (last == start && page.Count < records.Count)
            {
                var next = records[page.Count].Updated;
                page.AddRange(records.Skip(page.Count).TakeWhile(r => r.Updated == next));
            }
        }

        var endTime = page.Count > 0 ? page[^1].Updated : start;
        var endOfStream = page.Count == records.Count;
        return SimulatorResponse.Json(new JsonObject
        {
            [resource] = new JsonArray([.. page.Select(r => (JsonNode)r.Json)]),
            ["count"] = page.Count,
            ["end_time"] = endTime,
            ["next_page"] = string.Create(CultureInfo.InvariantCulture, $"{_baseUrl}/api/v2/incremental/{resource}.json?start_time={endTime}"),
            ["end_of_stream"] = endOfStream,
        });
    }

    /// <summary><c>GET /incremental/users/cursor</c>: the first call takes <c>start_time</c>, the next ones <c>cursor</c> (an opaque position after the last user returned).</summary>
    private SimulatorResponse IncrementalUsersByCursor(SimulatorRequest request, DateTimeOffset now)
    {
        long positionTime;
        long positionId;
        if (request.Query.TryGetValue("cursor", out var cursor))
        {
            if (!TryReadCursor(cursor, out positionTime, out positionId))
            {
                return ZendeskErrors.InvalidValue("The cursor is invalid or has expired.");
            }
        }
        else if (request.Query.TryGetValue("start_time", out var startText) && long.TryParse(startText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var start))
        {
            if (TooRecent(start, now) is { } tooRecent)
            {
                return tooRecent;
            }

            positionTime = start;
            positionId = long.MinValue;
        }
        else
        {
            return ZendeskErrors.InvalidValue("start_time or cursor is required.");
        }

        var records = Exportable("users", now).Where(r => r.Updated > positionTime || (r.Updated == positionTime && r.Id > positionId)).ToList();
        var page = records.Take(PerPage(request)).ToList();
        var after = page.Count > 0 ? WriteCursor(page[^1].Updated, page[^1].Id) : WriteCursor(positionTime, positionId);
        return SimulatorResponse.Json(new JsonObject
        {
            ["users"] = new JsonArray([.. page.Select(r => (JsonNode)r.Json)]),
            ["after_url"] = $"{_baseUrl}/api/v2/incremental/users/cursor.json?cursor={Uri.EscapeDataString(after)}",
            ["after_cursor"] = after,
            ["before_url"] = null,
            ["before_cursor"] = null,
            ["end_of_stream"] = page.Count == records.Count,
        });
    }

    private SimulatorResponse? TooRecent(long start, DateTimeOffset now) =>
        start > SimTime.Unix(now - _options.IncrementalExportLag)
            ? ZendeskErrors.InvalidValue("Too recent start_time. Use a start_time older than 1 minute.")
            : null;

    private static int PerPage(SimulatorRequest request) =>
        request.Query.TryGetValue("per_page", out var text) && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var size) ? Math.Clamp(size, 1, MaxIncrementalPage) : MaxIncrementalPage;

    /// <summary>The records an export may return now: everything changed before the lag, ordered by (updated_at, id).</summary>
    private List<(long Updated, long Id, JsonObject Json)> Exportable(string resource, DateTimeOffset now)
    {
        var cutoff = SimTime.Unix(now - _options.IncrementalExportLag);
        var strict = _options.IncrementalExportLag > TimeSpan.Zero;
        bool Visible(long updated) => strict ? updated < cutoff : updated <= cutoff;
        var rows = resource == "organizations"
            ? _organizations.Values.Select(o => (Updated: SimTime.Unix(o.UpdatedAt), o.Id, Json: o.Render(_baseUrl, _organizationFields.Select(f => f.Key), withDeletedAt: true)))
            : _users.Values.Select(u => (Updated: SimTime.Unix(u.UpdatedAt), u.Id, Json: RenderUser(u)));
        return [.. rows.Where(r => Visible(r.Updated)).OrderBy(r => r.Updated).ThenBy(r => r.Id)];
    }

    private string WriteCursor(long updated, long id) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{_cursorGeneration}:{updated}:{id}")));

    private bool TryReadCursor(string cursor, out long updated, out long id)
    {
        updated = 0;
        id = 0;
        try
        {
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(cursor)).Split(':');
            return parts.Length == 3
                && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var generation) && generation == _cursorGeneration
                && long.TryParse(parts[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out updated)
                && long.TryParse(parts[2], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out id);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
