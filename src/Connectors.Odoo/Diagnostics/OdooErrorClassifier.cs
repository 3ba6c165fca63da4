using System.Net;
using System.Text.Json;
using Concord.Canonical.Errors;
using Concord.Connectors.Odoo.Api.Dtos;

namespace Concord.Connectors.Odoo.Diagnostics;

/// <summary>
/// Turns Odoo's answers into the shared taxonomy, once: JSON-RPC errors (HTTP 200) by <c>error.data.name</c>, never by
/// <c>error.code</c> (200 up to 18.0, 0 from 19.0); JSON-2 errors by status and body. Unknown names become
/// <see cref="ErrorCategory.ContractViolation"/> carrying the raw name. The traceback (<c>debug</c>) is never read.
/// </summary>
internal static class OdooErrorClassifier
{
    public static ConcordException FromRpcError(string system, string operation, JsonRpcError error)
    {
        var name = error.Data?.Name;
        var message = error.Data?.Message ?? error.Message;
        if (name is null)
        {
            // Session routes answer code 100 without a usable name; werkzeug NotFound (an unknown route or database)
            // answers code 404: the connector's settings are wrong, not a record missing.
            var category = error.Code switch
            {
                100 => ErrorCategory.Authentication,
                404 => ErrorCategory.Configuration,
                _ => ErrorCategory.ContractViolation,
            };
            return Create(system, operation, category, $"code {error.Code}", message, statusCode: 200);
        }

        return Create(system, operation, Classify(name, message), name, message, statusCode: 200);
    }

    /// <summary>
    /// A JSON-2 error (status and error object), or an HTTP error on a JSON-RPC route. A 404 that is not Odoo's own
    /// MissingError — an HTML page, or werkzeug's NotFound for an unknown route, model or database — means the
    /// connector is pointed at the wrong place: <see cref="ErrorCategory.Configuration"/>, never a record not found
    /// (which would dead-letter every record).
    /// </summary>
    public static ConcordException FromJson2(string system, string operation, HttpStatusCode status, string? body)
    {
        var (name, message) = ReadJson2Body(body);
        var category = name is not null && Classify(name, message) is var byName && byName != ErrorCategory.ContractViolation
            ? byName
            : (int)status switch
            {
                400 or 415 or 422 => ErrorCategory.Validation,
                401 => ErrorCategory.Authentication,
                403 => ErrorCategory.Authorization,
                404 => ErrorCategory.Configuration,
                409 => ErrorCategory.Conflict,
                429 => ErrorCategory.RateLimited,
                500 or 502 or 503 or 504 => ErrorCategory.Transient,
                _ => ErrorCategory.ContractViolation,
            };
        return Create(system, operation, category, name ?? $"HTTP {(int)status}", message, (int)status);
    }

    /// <summary>The category of an Odoo exception class name (<c>odoo.exceptions.ValidationError</c>).</summary>
    public static ErrorCategory Classify(string name, string? message) => name switch
    {
        "odoo.exceptions.AccessDenied" or "odoo.http.SessionExpiredException" or "werkzeug.exceptions.Unauthorized" => ErrorCategory.Authentication,
        "odoo.exceptions.AccessError" or "werkzeug.exceptions.Forbidden" => ErrorCategory.Authorization,
        "odoo.exceptions.ValidationError" when IsUniqueViolation(message) => ErrorCategory.Conflict,
        "odoo.exceptions.ValidationError" or "odoo.exceptions.UserError" or "odoo.exceptions.RedirectWarning"
            or "builtins.ValueError" or "builtins.TypeError" or "psycopg2.errors.InvalidTextRepresentation"
            or "werkzeug.exceptions.UnprocessableEntity" or "werkzeug.exceptions.BadRequest" => ErrorCategory.Validation,
        "odoo.exceptions.MissingError" => ErrorCategory.NotFound,
        "werkzeug.exceptions.NotFound" => ErrorCategory.Configuration,
        "psycopg2.OperationalError" when MissingDatabase(message) is not null => ErrorCategory.Configuration,
        "psycopg2.OperationalError" or "psycopg2.errors.QueryCanceled" => ErrorCategory.Transient,
        "odoo.exceptions.LockError" or "werkzeug.exceptions.Conflict" => ErrorCategory.Conflict,
        "psycopg2.errors.SerializationFailure" or "psycopg2.errors.LockNotAvailable" or "psycopg2.errors.DeadlockDetected"
            or "psycopg2.extensions.TransactionRollbackError" or "odoo.exceptions.ConcurrencyError" => ErrorCategory.Transient,
        _ => ErrorCategory.ContractViolation,
    };

    private static bool IsUniqueViolation(string? message) =>
        message is not null && (message.Contains("duplicate key", StringComparison.OrdinalIgnoreCase) || message.Contains("unique", StringComparison.OrdinalIgnoreCase));

    private static (string? Name, string? Message) ReadJson2Body(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return (null, null);
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.String)
            {
                // Early saas-18.4 builds answered a bare JSON string ("Invalid apikey").
                return (null, root.GetString());
            }

            if (root.ValueKind == JsonValueKind.Object)
            {
                var name = root.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
                var message = root.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
                return (name, message);
            }
        }
        catch (JsonException)
        {
            // An HTML page from a proxy or the 18.0 redirect: nothing to read.
        }

        return (null, null);
    }

    /// <summary>The database a PostgreSQL "database "x" does not exist" message names, or null.</summary>
    private static string? MissingDatabase(string? message)
    {
        const string Marker = "database \"";
        var start = message?.IndexOf(Marker, StringComparison.Ordinal) ?? -1;
        if (start < 0 || !message!.Contains("does not exist", StringComparison.Ordinal))
        {
            return null;
        }

        start += Marker.Length;
        var end = message.IndexOf('"', start);
        return end > start ? message[start..end] : null;
    }

    private static ConcordException Create(string system, string operation, ErrorCategory category, string vendorCode, string? vendorMessage, int statusCode)
    {
        var text = category switch
        {
            ErrorCategory.ContractViolation => $"Odoo answered the {operation} call with an error Concord does not know ({vendorCode}).",
            ErrorCategory.Configuration when MissingDatabase(vendorMessage) is { } database =>
                $"Odoo has no database '{database}': check OdooConnectorOptions.Database (the {operation} call failed with {vendorCode}).",
            ErrorCategory.Configuration when vendorMessage?.Contains("database", StringComparison.OrdinalIgnoreCase) == true =>
                $"Odoo could not select the database named in OdooConnectorOptions.Database: check it (the {operation} call answered {vendorCode}).",
            ErrorCategory.Configuration =>
                $"Odoo has no such route or model here ({vendorCode} for the {operation} call): check OdooConnectorOptions.BaseAddress, which must be the server's root (https://acme.odoo.com/, not a page under it), and that the version or module the connector expects is there.",
            _ => $"Odoo refused the {operation} call: {category} ({vendorCode}).",
        };
        return new ConcordException(category, text)
        {
            System = system,
            Operation = operation,
            VendorErrorCode = vendorCode,
            VendorMessage = vendorMessage is null ? null : Truncate(vendorMessage),
            StatusCode = statusCode,
        };
    }

    private static string Truncate(string text) => text.Length <= 500 ? text : string.Concat(text.AsSpan(0, 500), "…");
}
