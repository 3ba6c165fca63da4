using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Concord.Canonical.Errors;
using Concord.Canonical.Privacy;
using Concord.Connectors.HubSpot.Api;
using Concord.Connectors.HubSpot.Api.Dtos;

namespace Concord.Connectors.HubSpot.Diagnostics;

/// <summary>
/// Turns HubSpot answers into the shared taxonomy, row by row of the facts page's error table: 429 → RateLimited; 423,
/// 477, 500, 502, 503, 504, 521, 523, 524 → Transient; 401 and <c>INVALID_AUTHENTICATION</c>,
/// <c>EXPIRED_AUTHENTICATION</c>, OAuth <c>invalid_grant</c> → Authentication; 403 and <c>MISSING_SCOPES</c> →
/// Authorization (with the scopes named); 400 <c>VALIDATION_ERROR</c> → Validation (property errors as field errors);
/// 404 <c>OBJECT_NOT_FOUND</c> → NotFound; 409 <c>CONFLICT</c> → Conflict (existing id parsed); 414 → Validation (the
/// request is too long, or the merge limit is reached: dead-letter); 522, 525, 526 → Transient but not retryable
/// (connection and TLS problems that need HubSpot support).
/// </summary>
internal static partial class HubSpotErrorClassifier
{
    /// <summary>How long a 423 lock lasts (facts §7).</summary>
    public static readonly TimeSpan LockDuration = TimeSpan.FromSeconds(2);

    public static ErrorCategory? CategoryOf(string? category) => category switch
    {
        "VALIDATION_ERROR" => ErrorCategory.Validation,
        "OBJECT_NOT_FOUND" => ErrorCategory.NotFound,
        "CONFLICT" => ErrorCategory.Conflict,
        "RATE_LIMIT" or "RATE_LIMITS" => ErrorCategory.RateLimited,
        "INVALID_AUTHENTICATION" or "EXPIRED_AUTHENTICATION" => ErrorCategory.Authentication,
        "MISSING_SCOPES" => ErrorCategory.Authorization,
        "LOCKED" => ErrorCategory.Transient,
        _ => null,
    };

    public static ErrorCategory CategoryOf(int status) => status switch
    {
        429 => ErrorCategory.RateLimited,
        423 or 477 => ErrorCategory.Transient,
        401 => ErrorCategory.Authentication,
        403 => ErrorCategory.Authorization,
        404 => ErrorCategory.NotFound,
        409 => ErrorCategory.Conflict,
        414 => ErrorCategory.Validation,
        408 or >= 500 => ErrorCategory.Transient,
        _ => ErrorCategory.Validation,
    };

    /// <summary>Whether a status means "do not try again" although its category is technical (522, 525, 526).</summary>
    public static bool IsTerminalTechnical(int status) => status is 522 or 525 or 526;

    /// <summary>An exception for a failed call, from its status, body and headers.</summary>
    public static ConcordException FromResponse(HttpStatusCode statusCode, string? body, TimeSpan? retryAfter, string connectorName, string operation, string where)
    {
        var status = (int)statusCode;
        var error = Parse(body);
        var category = status is 401 or 403 or 429 or 423 ? CategoryOf(status) : CategoryOf(error?.Category) ?? CategoryOf(status);
        var scopes = RequiredScopes(error);
        var what = category == ErrorCategory.Authorization && scopes.Length > 0
            ? $"HubSpot {operation} on {where} was refused (HTTP 403 MISSING_SCOPES): the app lacks the scope{(scopes.Length > 1 ? "s" : string.Empty)} {string.Join(", ", scopes)}."
            : $"HubSpot {operation} on {where} failed with HTTP {status}{(error?.Category is { } c ? " " + c : string.Empty)}{(error?.PolicyName is { } p ? " " + p : string.Empty)}.";
        return new ConcordException(category, what)
        {
            System = connectorName,
            Operation = operation,
            StatusCode = status,
            VendorErrorCode = error?.Category ?? error?.PolicyName,
            VendorMessage = error?.Message,
            CorrelationId = error?.CorrelationId,
            RetryAfter = retryAfter ?? (status == 423 ? LockDuration : null),
            FieldErrors = FieldErrors(error),
            IsRetryable = !IsTerminalTechnical(status) && category is ErrorCategory.Transient or ErrorCategory.RateLimited,
        };
    }

    /// <summary>An exception for one failed input of a batch.</summary>
    public static ConcordException FromItem(BatchError error, int status, string connectorName, string operation, string where)
    {
        var category = CategoryOf(error.Category) ?? ErrorCategory.Validation;
        return new ConcordException(category, $"HubSpot {operation} rejected {where}{(error.Category is null ? "." : ": " + error.Category + ".")}")
        {
            System = connectorName,
            Operation = operation,
            StatusCode = status,
            VendorErrorCode = error.Category,
            VendorMessage = error.Message,
            CorrelationId = error.CorrelationId,
            FieldErrors = FieldErrors(error),
        };
    }

    /// <summary>An exception for a refused token request (<c>invalid_grant</c>: the refresh token is dead, re-authorize).</summary>
    public static ConcordException FromOAuth(OAuthError? error, int status, string connectorName, string host) =>
        new(status >= 500 || status == 429 ? CategoryOf(status) : ErrorCategory.Authentication,
            $"HubSpot refused the token refresh at {host} with HTTP {status}{(error?.Error is null ? string.Empty : " " + error.Error)}{(error?.Error == "invalid_grant" ? "; the refresh token is no longer valid: re-authorize the app" : string.Empty)}.")
        {
            System = connectorName,
            Operation = "authenticate",
            StatusCode = status,
            VendorErrorCode = error?.Error ?? error?.Status,
            VendorMessage = error?.Description ?? error?.Message,
        };

    /// <summary>The id in a 409 message: <c>Contact already exists. Existing ID: 123</c>.</summary>
    public static string? ExistingId(string? message)
    {
        if (message is null)
        {
            return null;
        }

        var match = ExistingIdPattern().Match(message);
        return match.Success ? match.Groups[1].Value : null;
    }

    /// <summary>Whether a validation failure is about <paramref name="property"/> (its name in a property error or in the message).</summary>
    public static bool Concerns(BatchError error, string property) =>
        (error.Errors?.Any(e => e.In == property || (e.Context?.TryGetValue("propertyName", out var names) == true && names.Contains(property))) ?? false)
        || (error.Message?.Contains(property, StringComparison.Ordinal) ?? false);

    public static BatchError? Parse(string? body)
    {
        if (string.IsNullOrWhiteSpace(body) || body.TrimStart()[0] != '{')
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(body, HubSpotJsonContext.Default.BatchError);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static AssociationWriteResponse? ParseWrite(string? body)
    {
        if (string.IsNullOrWhiteSpace(body) || body.TrimStart()[0] != '{')
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(body, HubSpotJsonContext.Default.AssociationWriteResponse);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string[] RequiredScopes(BatchError? error) =>
        error?.Errors?.SelectMany(e => e.Context?.GetValueOrDefault("requiredGranularScopes") ?? []).Distinct(StringComparer.Ordinal).ToArray() ?? [];

    private static ImmutableArray<FieldError> FieldErrors(BatchError? error)
    {
        if (error?.Errors is not { Count: > 0 } details)
        {
            return [];
        }

        var builder = ImmutableArray.CreateBuilder<FieldError>(details.Count);
        foreach (var detail in details)
        {
            var field = detail.In ?? detail.Context?.GetValueOrDefault("propertyName")?.FirstOrDefault() ?? "properties";
            builder.Add(new FieldError(field, detail.Message is null ? detail.Code ?? "rejected" : PersonalDataMasker.Mask(detail.Message), detail.Code));
        }

        return builder.MoveToImmutable();
    }

    [GeneratedRegex(@"Existing ID:\s*(\d+)", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex ExistingIdPattern();

    internal static string Ms(DateTimeOffset time) => time.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
}
