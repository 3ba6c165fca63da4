using Concord.Canonical.Errors;
using Concord.Canonical.Resilience;

namespace Concord.Connectors.Salesforce.Internal;

/// <summary>Translates exceptions thrown while sending (transport, pipeline, Refit) through the shared translator.</summary>
internal static class SalesforceTransportErrors
{
    public static ConcordException? TryTranslate(Exception exception, string connectorName, string operation, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            return null;
        }

        if (TransportFailure.TryTranslate(exception, connectorName, operation, out var translated))
        {
            return translated;
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
