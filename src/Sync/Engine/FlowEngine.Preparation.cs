using System.Text.Json;
using Concord.Canonical;
using Concord.Canonical.Serialization;

namespace Concord.Sync.Engine;

/// <summary>What keeps one malformed record from stopping a page: its failure and its payload stay with it.</summary>
internal sealed partial class FlowEngine
{
    /// <summary>The reason a record that could not be prepared is dead-lettered with: the root path, the kind of failure, its message masked.</summary>
    private static string PreparationFailure(Exception exception, RecordWork work)
    {
        var inner = exception is AggregateException { InnerExceptions.Count: 1 } aggregate ? aggregate.InnerExceptions[0] : exception;
        string detail;
        try
        {
            detail = RecordRedactor.Redact(inner.Message, work.Incoming.Customer);
        }
        catch (Exception)
        {
            detail = "(message withheld)";
        }

        return $"$ the record could not be prepared ({inner.GetType().Name}): {detail}";
    }

    /// <summary>
    /// The payload a dead letter keeps: the record as it arrived, so that it can be inspected and replayed. A record that
    /// cannot be written as JSON at all (which normalisation refuses before it gets here) keeps the stored payload or an empty object.
    /// </summary>
    private static string PayloadOf(RecordWork work)
    {
        if (work.Incoming.Customer is not { } customer)
        {
            return work.Incoming.FromDeadLetter?.Payload ?? "{}";
        }

        try
        {
            // The payload keeps the source time it was read at, so that a replay of it is as old as it is, not as the failure.
            return CanonicalJson.Serialize(customer.Provenance.SourceModifiedAt is null && work.Incoming.ModifiedAt is { } readAt
                ? customer with { Provenance = customer.Provenance with { SourceModifiedAt = readAt } }
                : customer);
        }
        catch (Exception exception) when (exception is JsonException or ArgumentException or InvalidOperationException or NullReferenceException)
        {
            return work.Incoming.FromDeadLetter?.Payload ?? "{}";
        }
    }
}
