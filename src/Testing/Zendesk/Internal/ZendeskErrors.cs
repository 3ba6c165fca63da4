using System.Globalization;
using System.Text.Json.Nodes;

namespace Concord.Testing.Zendesk.Internal;

/// <summary>The error bodies Zendesk answers with (facts page §2, §5, §9), as the simulator sends them.</summary>
internal static class ZendeskErrors
{
    public static SimulatorResponse Unauthorized() =>
        SimulatorResponse.Json(new JsonObject { ["error"] = "Couldn't authenticate you" }, 401);

    public static SimulatorResponse MissingScope(string scope) =>
        SimulatorResponse.Json(new JsonObject { ["error"] = "Forbidden", ["description"] = $"You are missing the following required scopes: {scope}" }, 403);

    public static SimulatorResponse Forbidden(string message = "You do not have access to this page. Please contact the account owner of this help desk for further help.") =>
        SimulatorResponse.Json(new JsonObject { ["error"] = new JsonObject { ["title"] = "Forbidden", ["message"] = message } }, 403);

    public static SimulatorResponse RecordNotFound() =>
        SimulatorResponse.Json(new JsonObject { ["error"] = "RecordNotFound", ["description"] = "Not found" }, 404);

    public static SimulatorResponse InvalidEndpoint() =>
        SimulatorResponse.Json(new JsonObject { ["error"] = "InvalidEndpoint", ["description"] = "Not found" }, 404);

    public static SimulatorResponse DatabaseConflict() =>
        SimulatorResponse.Json(new JsonObject { ["error"] = "DatabaseConflict", ["description"] = "Database collision" }, 409);

    public static SimulatorResponse RecordInvalid(JsonObject details) =>
        SimulatorResponse.Json(new JsonObject { ["error"] = "RecordInvalid", ["description"] = "Record validation errors", ["details"] = details }, 422);

    public static SimulatorResponse InvalidValue(string description) =>
        SimulatorResponse.Json(new JsonObject { ["error"] = "InvalidValue", ["description"] = description }, 422);

    public static SimulatorResponse InvalidAttribute(string message) =>
        SimulatorResponse.Json(new JsonObject { ["error"] = new JsonObject { ["title"] = "Invalid attribute", ["message"] = message } }, 400);

    public static SimulatorResponse PlainBadRequest(string text) => new(400, text, "text/plain; charset=utf-8");

    /// <summary>A 429 in the documented <c>errors</c> shape, with <c>Retry-After</c> in whole seconds.</summary>
    public static SimulatorResponse TooManyRequests(TimeSpan retryAfter, string detail) =>
        SimulatorResponse.Json(
            new JsonObject { ["errors"] = new JsonArray(new JsonObject { ["code"] = "TooManyRequests", ["title"] = "Too Many Requests", ["detail"] = detail }) },
            429)
        .WithHeader("Retry-After", Seconds(retryAfter));

    public static SimulatorResponse TooManyJobs(IEnumerable<string> currentJobIds, TimeSpan retryAfter) =>
        SimulatorResponse.Json(
            new JsonObject
            {
                ["error"] = "TooManyJobs",
                ["description"] = "Number of allowed concurrent jobs exceeded. Wait for a job to complete and try again.",
                ["current_job_ids"] = new JsonArray([.. currentJobIds.Select(id => (JsonNode?)id)]),
            },
            429)
        .WithHeader("Retry-After", Seconds(retryAfter));

    public static SimulatorResponse ServiceUnavailable(TimeSpan? retryAfter)
    {
        var response = SimulatorResponse.Json(new JsonObject { ["error"] = "ServiceUnavailable", ["description"] = "Zendesk is temporarily unavailable. Please try again later." }, 503);
        return retryAfter is { } wait ? response.WithHeader("Retry-After", Seconds(wait)) : response;
    }

    public static SimulatorResponse ServerError(int status) =>
        SimulatorResponse.Json(new JsonObject { ["error"] = status == 504 ? "GatewayTimeout" : status == 502 ? "BadGateway" : "InternalServerError", ["description"] = "Something went wrong on our end." }, status);

    public static SimulatorResponse OAuthError(int status, string error, string description) =>
        SimulatorResponse.Json(new JsonObject { ["error"] = error, ["error_description"] = description }, status);

    /// <summary>One <c>details</c> entry: <c>{"field":[{"description":…,"error":…}]}</c>.</summary>
    public static void Add(JsonObject details, string field, string error, string description, string? fieldKey = null)
    {
        if (details[field] is not JsonArray list)
        {
            details[field] = list = [];
        }

        var entry = new JsonObject { ["description"] = description, ["error"] = error };
        if (fieldKey is not null)
        {
            entry["field_key"] = fieldKey;
        }

        list.Add(entry);
    }

    /// <summary>The first <c>details</c> entry as a job result's <c>error</c> code and <c>details</c> text.</summary>
    public static (string Error, string Details) First(JsonObject details)
    {
        foreach (var (_, value) in details)
        {
            if (value is JsonArray { Count: > 0 } list && list[0] is JsonObject entry)
            {
                return (entry["error"]?.ToString() ?? "RecordInvalid", entry["description"]?.ToString() ?? "Record validation errors");
            }
        }

        return ("RecordInvalid", "Record validation errors");
    }

    public static string Seconds(TimeSpan wait) =>
        ((long)Math.Max(1, Math.Ceiling(wait.TotalSeconds))).ToString(CultureInfo.InvariantCulture);
}
