using System.Collections.Immutable;
using System.Net;
using System.Text.Json;
using Concord.Canonical.Errors;

namespace Concord.Connectors.Zendesk.Diagnostics;

/// <summary>
/// Maps Zendesk's answers to the error taxonomy, row by row of the facts page's error table: 400 → Validation,
/// 401 → Authentication, 403 → Authorization (scope, role, bulk import off, shared user), 404 → NotFound,
/// 409 <c>DatabaseConflict</c> → Transient (retried), 422 <c>DuplicateValue</c> → Conflict, other 422 → Validation with
/// the <c>details</c> as field errors, 429 and <c>TooManyJobs</c> → RateLimited, 5xx → Transient; a failed job item by
/// its <c>error</c> code. Vendor messages are masked for personal data by <see cref="ConcordException"/>.
/// </summary>
internal static class ZendeskErrorClassifier
{
    public const string DuplicateValue = "DuplicateValue";
    public const string TooManyJobs = "TooManyJobs";
    public const string DatabaseConflict = "DatabaseConflict";
    public const string RecordNotFound = "RecordNotFound";
    public const string MissingScopes = "You are missing the following required scopes";

    /// <summary>The parts of an error body: <c>error</c> (a code, or an object with <c>title</c>/<c>message</c>), <c>description</c>, <c>details</c>, <c>errors</c>.</summary>
    public sealed record ErrorBody(string? Code, string? Message, ImmutableArray<FieldError> Details)
    {
        public bool HasDuplicate => Code == DuplicateValue || Details.Any(d => d.Code == DuplicateValue);

        public string? DuplicateField => Details.FirstOrDefault(d => d.Code == DuplicateValue)?.Field;
    }

    public static ErrorBody Parse(string? body)
    {
        if (string.IsNullOrWhiteSpace(body) || body.TrimStart() is not ['{', ..])
        {
            return new ErrorBody(null, string.IsNullOrWhiteSpace(body) ? null : body.Trim(), []);
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            string? code = null;
            string? message = null;
            if (root.TryGetProperty("error", out var error))
            {
                if (error.ValueKind == JsonValueKind.String)
                {
                    code = error.GetString();
                }
                else if (error.ValueKind == JsonValueKind.Object)
                {
                    code = Text(error, "title");
                    message = Text(error, "message");
                }
            }

            message ??= Text(root, "description") ?? Text(root, "error_description");
            if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0)
            {
                code ??= Text(errors[0], "code");
                message ??= Text(errors[0], "detail") ?? Text(errors[0], "title");
            }

            var details = ImmutableArray.CreateBuilder<FieldError>();
            if (root.TryGetProperty("details", out var detailsElement) && detailsElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var field in detailsElement.EnumerateObject())
                {
                    if (field.Value.ValueKind != JsonValueKind.Array)
                    {
                        continue;
                    }

                    foreach (var entry in field.Value.EnumerateArray())
                    {
                        var name = field.Name == "base" && Text(entry, "field_key") is { } key ? $"organization_fields.{key}" : field.Name;
                        details.Add(new FieldError(name, Concord.Canonical.Privacy.PersonalDataMasker.Mask(Text(entry, "description") ?? "invalid"), Text(entry, "error")));
                    }
                }
            }

            return new ErrorBody(code, message, details.ToImmutable());
        }
        catch (JsonException)
        {
            return new ErrorBody(null, body.Trim(), []);
        }
    }

    public static ErrorCategory CategoryOf(int status, ErrorBody error) => status switch
    {
        _ when error.Code == TooManyJobs => ErrorCategory.RateLimited,
        400 => ErrorCategory.Validation,
        401 => ErrorCategory.Authentication,
        403 => ErrorCategory.Authorization,
        404 => ErrorCategory.NotFound,
        409 => ErrorCategory.Transient,
        422 when error.HasDuplicate => ErrorCategory.Conflict,
        422 => ErrorCategory.Validation,
        429 => ErrorCategory.RateLimited,
        408 or >= 500 => ErrorCategory.Transient,
        _ => ErrorCategory.Validation,
    };

    /// <summary>An exception for a failed call, from its status, body and <c>Retry-After</c>.</summary>
    public static ConcordException FromResponse(HttpStatusCode statusCode, string? body, TimeSpan? retryAfter, string connectorName, string operation, string where)
    {
        var status = (int)statusCode;
        var error = Parse(body);
        var category = CategoryOf(status, error);
        var hint = category switch
        {
            ErrorCategory.Authorization when error.Message?.Contains(MissingScopes, StringComparison.Ordinal) == true =>
                " The OAuth token lacks a scope: give the client the scope named and authorize again.",
            ErrorCategory.Authorization => " The token's user lacks the role or permission, the account lacks the feature (bulk user import is off until Zendesk support switches it on), or the user is shared from another account.",
            ErrorCategory.Authentication => " The token is invalid or expired, or token access is switched off in Admin Center.",
            ErrorCategory.Conflict => " Another record already holds this value.",
            _ => string.Empty,
        };
        return new ConcordException(category, $"Zendesk {operation} on {where} failed with HTTP {status}{(error.Code is null ? string.Empty : " " + error.Code)}.{hint}")
        {
            System = connectorName,
            Operation = operation,
            StatusCode = status,
            VendorErrorCode = error.Code ?? error.Details.FirstOrDefault()?.Code,
            VendorMessage = error.Message,
            FieldErrors = error.Details,
            RetryAfter = retryAfter,
        };
    }

    /// <summary>An exception for one failed item of a job: by its <c>error</c> code (and the field its <c>details</c> text names).</summary>
    public static ConcordException FromJobItem(string? code, string? details, string connectorName, string operation, string where)
    {
        var duplicate = code == DuplicateValue || details?.Contains("has already been taken", StringComparison.OrdinalIgnoreCase) == true || details?.Contains("already being used", StringComparison.OrdinalIgnoreCase) == true;
        var category = duplicate ? ErrorCategory.Conflict
            : code switch
            {
                RecordNotFound => ErrorCategory.NotFound,
                "PermissionDenied" or "Forbidden" => ErrorCategory.Authorization,
                TooManyJobs => ErrorCategory.RateLimited,
                _ => ErrorCategory.Validation,
            };
        var field = FieldOf(details);
        return new ConcordException(category, $"Zendesk {operation} rejected {where}{(code is null ? "." : ": " + code + ".")}")
        {
            System = connectorName,
            Operation = operation,
            VendorErrorCode = duplicate ? DuplicateValue : code,
            VendorMessage = details,
            FieldErrors = field is null ? [] : [new FieldError(field, Concord.Canonical.Privacy.PersonalDataMasker.Mask(details ?? code ?? "rejected"), duplicate ? DuplicateValue : code)],
        };
    }

    /// <summary>The field a job item's <c>details</c> text starts with (<c>Name: Acme has already been taken</c> → <c>name</c>).</summary>
    public static string? FieldOf(string? details)
    {
        if (string.IsNullOrEmpty(details))
        {
            return null;
        }

        var colon = details.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon > 40)
        {
            return null;
        }

        var label = details[..colon].Trim().ToLowerInvariant();
        return label switch
        {
            "external id" or "external" or "external_id" => "external_id",
            _ => label.Replace(' ', '_'),
        };
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
