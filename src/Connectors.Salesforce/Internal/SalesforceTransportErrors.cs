using Concord.Canonical.Errors;

namespace Concord.Connectors.Salesforce.Internal;

/// <summary>
/// Finds the <see cref="ConcordException"/> the client's resilience pipeline threw for a transport failure (Refit may
/// wrap it), and turns an answer Refit could not read into a <see cref="ErrorCategory.ContractViolation"/>.
/// </summary>
internal static class SalesforceTransportErrors
{
    public static ConcordException? TryTranslate(Exception exception, string connectorName, string operation, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            return null;
        }

        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is ConcordException concord)
            {
                return concord;
            }
        }

        return exception is Refit.ApiException api
            ? new ConcordException(ErrorCategory.ContractViolation, $"Salesforce {operation}: the answer (HTTP {(int)api.StatusCode}) could not be read.", exception)
            {
                System = connectorName,
                Operation = operation,
                StatusCode = (int)api.StatusCode,
            }
            : null;
    }
}
