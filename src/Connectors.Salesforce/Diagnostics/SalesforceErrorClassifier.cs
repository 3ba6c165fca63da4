using System.Collections.Immutable;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Concord.Canonical.Errors;
using Concord.Canonical.Privacy;
using Concord.Connectors.Salesforce.Api;
using Concord.Connectors.Salesforce.Api.Dtos;

namespace Concord.Connectors.Salesforce.Diagnostics;

/// <summary>
/// Turns Salesforce answers into the shared taxonomy (facts page §1.4, §6 and §10): REST error arrays
/// (<c>errorCode</c>), collection per-record errors (<c>statusCode</c>), OAuth errors and bare HTTP statuses.
/// </summary>
internal static partial class SalesforceErrorClassifier
{
    public const string RequestLimitExceeded = "REQUEST_LIMIT_EXCEEDED";

    /// <summary>How long to back off after <c>ConcurrentRequests</c> before trying again.</summary>
    public static readonly TimeSpan ConcurrentLimitBackoff = TimeSpan.FromSeconds(1);

    /// <summary>The category of a REST or per-record error code; null when the code is unknown.</summary>
    public static ErrorCategory? CategoryOf(string? errorCode, string? message = null) => errorCode switch
    {
        null or "" => null,
        "INVALID_SESSION_ID" => ErrorCategory.Authentication,
        RequestLimitExceeded => ErrorCategory.RateLimited,
        "API_DISABLED_FOR_ORG" or "INSUFFICIENT_ACCESS_OR_READONLY" or "INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY" => ErrorCategory.Authorization,
        _ when errorCode.StartsWith("INSUFFICIENT_ACCESS", StringComparison.Ordinal) => ErrorCategory.Authorization,
        // A field the org lacks or hides from the integration user is the same for every record: the configuration's fault.
        "INVALID_FIELD" => ErrorCategory.Configuration,
        "INVALID_TYPE" or "MALFORMED_QUERY" or "JSON_PARSER_ERROR" => ErrorCategory.Validation,

        // The server-side cursor of a query expired (15 min idle, or too many open): read again from the saved cursor.
        "INVALID_QUERY_LOCATOR" => ErrorCategory.Transient,
        "REQUIRED_FIELD_MISSING" or "FIELD_CUSTOM_VALIDATION_EXCEPTION" => ErrorCategory.Validation,
        "FIELD_INTEGRITY_EXCEPTION" or "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST" or "STRING_TOO_LONG" => ErrorCategory.Validation,
        "INVALID_FIELD_FOR_INSERT_UPDATE" or "INVALID_CROSS_REFERENCE_KEY" or "MALFORMED_ID" => ErrorCategory.Validation,
        "DUPLICATE_VALUE" or "DUPLICATES_DETECTED" or "DUPLICATE_EXTERNAL_ID" => ErrorCategory.Conflict,
        "NOT_FOUND" when IsMissingExternalIdField(message) => ErrorCategory.Configuration,
        "ENTITY_IS_DELETED" or "NOT_FOUND" => ErrorCategory.NotFound,
        "UNABLE_TO_LOCK_ROW" or "QUERY_TIMEOUT" or "SERVER_UNAVAILABLE" => ErrorCategory.Transient,
        "CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY" => message is not null && message.Contains("UNABLE_TO_LOCK_ROW", StringComparison.Ordinal)
            ? ErrorCategory.Transient
            : ErrorCategory.Validation,
        _ => null,
    };

    /// <summary>The category of a bare HTTP status (when the body names no known code).</summary>
    public static ErrorCategory CategoryOf(int status) => status switch
    {
        300 or 409 or 412 => ErrorCategory.Conflict,
        401 => ErrorCategory.Authentication,
        403 => ErrorCategory.Authorization,
        404 => ErrorCategory.NotFound,
        405 or 410 or 415 or 420 => ErrorCategory.Configuration,
        408 => ErrorCategory.Transient,
        429 => ErrorCategory.RateLimited,
        >= 500 => ErrorCategory.Transient,
        _ => ErrorCategory.Validation,
    };

    /// <summary>The category of an OAuth <c>error</c>.</summary>
    public static ErrorCategory CategoryOfOAuth(string? error, int status) => error switch
    {
        "invalid_grant" or "invalid_client" or "invalid_client_id" or "unsupported_grant_type" or "inactive_user" or "inactive_org" => ErrorCategory.Authentication,
        "invalid_request" => ErrorCategory.Validation,
        "rate_limit_exceeded" => ErrorCategory.RateLimited,
        _ => status >= 500 || status == 408 ? ErrorCategory.Transient : ErrorCategory.Authentication,
    };

    /// <summary>An exception for a failed REST call, from its status and body (an error array, or anything else).</summary>
    public static ConcordException FromResponse(HttpStatusCode statusCode, string? body, string connectorName, string operation, string where)
    {
        var status = (int)statusCode;
        var errors = ParseErrors(body);
        var first = errors.Count > 0 ? errors[0] : null;
        var code = first?.ErrorCode;
        var category = status == 300 ? ErrorCategory.Conflict : CategoryOf(code, first?.Message) ?? CategoryOf(status);
        var retryable = (bool?)null;
        TimeSpan? retryAfter = null;
        if (code == RequestLimitExceeded)
        {
            if (first?.Message?.Contains("ConcurrentRequests", StringComparison.OrdinalIgnoreCase) == true)
            {
                retryAfter = ConcurrentLimitBackoff;
                retryable = true;
            }
            else
            {
                // TotalRequests: the rolling 24 h allocation is spent; repeating the call only spends more.
                retryable = false;
            }
        }

        var what = status == 300
            ? $"Salesforce {operation} on {where}: several records match the external id (HTTP 300); nothing was written."
            : $"Salesforce {operation} on {where} failed with HTTP {status}{(code is null ? string.Empty : " " + code)}{VendorText(first?.Message)}.";
        if (code == "NOT_FOUND" && IsMissingExternalIdField(first?.Message))
        {
            what = what.TrimEnd('.') + "; the field AccountExternalIdField or ContactExternalIdField names must exist on the object, be marked External ID and be visible to the integration user.";
        }

        var matched = status == 300 ? RecordIdsOfUrls(body) : MatchedIds(code, first?.Message, first?.DuplicateResut ?? first?.DuplicateResult);
        if (matched.Length > 0)
        {
            what = what.TrimEnd('.') + (status == 300
                ? $"; merge the records {string.Join(", ", matched)}."
                : $"; it matches existing record{(matched.Length == 1 ? string.Empty : "s")} {string.Join(", ", matched)}.");
        }

        var exception = new ConcordException(category, what)
        {
            System = connectorName,
            Operation = operation,
            StatusCode = status,
            VendorErrorCode = code ?? (status == 300 ? "MULTIPLE_CHOICES" : null),
            VendorMessage = first?.Message,
            RetryAfter = retryAfter,
            FieldErrors = ToFieldErrors(first?.Fields, first?.Message, code),
            IsRetryable = retryable ?? category is ErrorCategory.Transient or ErrorCategory.RateLimited,
            MatchedExternalIds = matched,
        };
        return exception;
    }

    /// <summary>An exception for one failed record of a collections call.</summary>
    public static ConcordException FromSaveErrors(IReadOnlyList<SaveError>? errors, string connectorName, string operation, string where)
    {
        var first = errors is { Count: > 0 } ? errors[0] : null;
        var code = first?.StatusCode;
        var category = CategoryOf(code, first?.Message) ?? ErrorCategory.Validation;
        var fieldErrors = ImmutableArray.CreateBuilder<FieldError>();
        if (errors is not null)
        {
            foreach (var error in errors)
            {
                fieldErrors.AddRange(ToFieldErrors(error.Fields, error.Message, error.StatusCode));
            }
        }

        var matched = MatchedIds(code, first?.Message, first?.DuplicateResut ?? first?.DuplicateResult);
        var what = $"Salesforce {operation} rejected {where}{(code is null ? string.Empty : ": " + code)}{VendorText(first?.Message)}.";
        if (matched.Length > 0)
        {
            what = what.TrimEnd('.') + $"; it matches existing record{(matched.Length == 1 ? string.Empty : "s")} {string.Join(", ", matched)}.";
        }

        return new ConcordException(category, what)
        {
            System = connectorName,
            Operation = operation,
            StatusCode = 200,
            VendorErrorCode = code,
            VendorMessage = first?.Message,
            FieldErrors = fieldErrors.ToImmutable(),
            MatchedExternalIds = matched,
        };
    }

    /// <summary>An exception for a refused token request.</summary>
    public static ConcordException FromOAuthError(OAuthError? error, int status, string connectorName, string host) =>
        new(CategoryOfOAuth(error?.Error, status), $"Salesforce refused the token request to {host} with HTTP {status}{(error?.Error is null ? string.Empty : " " + error.Error)}.")
        {
            System = connectorName,
            Operation = "authenticate",
            StatusCode = status,
            VendorErrorCode = error?.Error,
            VendorMessage = error?.Description,
        };

    /// <summary>
    /// The records a conflict names: a duplicate rule's matches (<c>duplicateResut</c>), or the record already holding a
    /// unique value (<c>DUPLICATE_VALUE</c>: "… duplicates value on record with id: 001…").
    /// </summary>
    private static ImmutableArray<string> MatchedIds(string? code, string? message, DuplicateResult? duplicates)
    {
        if (duplicates is not null)
        {
            return [.. duplicates.MatchedIds()];
        }

        if (code == "DUPLICATE_VALUE" && message is not null && RecordIdInMessage().Match(message) is { Success: true } match)
        {
            return [match.Groups[1].Value];
        }

        return [];
    }

    /// <summary>404 <c>NOT_FOUND</c> "Provided external ID field does not exist or is not accessible: {field}".</summary>
    private static bool IsMissingExternalIdField(string? message) =>
        message is not null && message.Contains("external ID field", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The vendor's own words for the message, masked for personal data (emails, phone numbers, long digit runs) and
    /// without a trailing full stop: <c>": Required fields are missing: [LastName]"</c>; empty without a message.
    /// </summary>
    private static string VendorText(string? message) =>
        string.IsNullOrWhiteSpace(message) ? string.Empty : ": " + PersonalDataMasker.Mask(message.Trim()).TrimEnd('.');

    /// <summary>
    /// The record ids of a 300 answer: an array of the matching records' URLs
    /// (<c>["/services/data/v65.0/sobjects/Account/001…", …]</c>), each id the URL's last segment.
    /// </summary>
    private static ImmutableArray<string> RecordIdsOfUrls(string? body)
    {
        if (string.IsNullOrWhiteSpace(body) || body.TrimStart()[0] != '[')
        {
            return [];
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var ids = ImmutableArray.CreateBuilder<string>();
            foreach (var element in document.RootElement.EnumerateArray())
            {
                if (element.ValueKind == JsonValueKind.String && element.GetString() is { Length: > 0 } url)
                {
                    var id = url.TrimEnd('/');
                    ids.Add(id[(id.LastIndexOf('/') + 1)..]);
                }
            }

            return ids.ToImmutable();
        }
        catch (JsonException)
        {
            return [];
        }
    }

    [GeneratedRegex(@"record with id:\s*([A-Za-z0-9]{15,18})", RegexOptions.CultureInvariant)]
    private static partial Regex RecordIdInMessage();

    private static ImmutableArray<FieldError> ToFieldErrors(List<string>? fields, string? message, string? code)
    {
        if (fields is null || fields.Count == 0)
        {
            return [];
        }

        var masked = message is null ? code ?? "rejected" : PersonalDataMasker.Mask(message);
        var builder = ImmutableArray.CreateBuilder<FieldError>(fields.Count);
        foreach (var field in fields)
        {
            builder.Add(new FieldError(field, masked, code));
        }

        return builder.MoveToImmutable();
    }

    private static List<RestError> ParseErrors(string? body)
    {
        if (string.IsNullOrWhiteSpace(body) || body.TrimStart()[0] != '[')
        {
            return [];
        }

        try
        {
            return JsonSerializer.Deserialize(body, SalesforceJsonContext.Default.ListRestError) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
