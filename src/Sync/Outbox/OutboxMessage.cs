namespace Concord.Sync.Outbox;

/// <summary>
/// An event waiting in the outbox: the facts of a CloudEvent (<see cref="Id"/>, <see cref="Type"/>, <see cref="Source"/>,
/// <see cref="Subject"/>, <see cref="Time"/>, JSON <see cref="Data"/>) plus the partition it is ordered within and its
/// correlation id. The publisher sees it as a <c>CloudNative.CloudEvents.CloudEvent</c>.
/// </summary>
public sealed record OutboxMessage
{
    /// <summary>The event id, unique (the CloudEvent <c>id</c>; consumers de-duplicate on it).</summary>
    public required string Id { get; init; }

    /// <summary>The position in the outbox, assigned by the store at enqueue (0 before).</summary>
    public long Sequence { get; init; }

    /// <summary>The ordering partition (the canonical customer id): messages of one partition are delivered in <see cref="Sequence"/> order.</summary>
    public required string PartitionKey { get; init; }

    /// <summary>The CloudEvent <c>type</c> (<c>customer.created</c>, <c>customer.updated</c>).</summary>
    public required string Type { get; init; }

    /// <summary>The CloudEvent <c>source</c>, a URI reference (<c>/concord/flows/accounts-to-erp</c>).</summary>
    public required string Source { get; init; }

    /// <summary>The CloudEvent <c>subject</c> (the canonical id).</summary>
    public string? Subject { get; init; }

    /// <summary>The CloudEvent <c>time</c>.</summary>
    public required DateTimeOffset Time { get; init; }

    /// <summary>The correlation id of the run that produced the event (CloudEvent extension attribute <c>correlationid</c>).</summary>
    public required string CorrelationId { get; init; }

    /// <summary>
    /// The W3C trace context (<c>traceparent</c>) of the operation that produced the event, when it was traced: the
    /// dispatcher's publish span continues that trace, and the CloudEvent carries the publish span's context in its
    /// <c>traceparent</c> attribute (the CloudEvents distributed tracing extension).
    /// </summary>
    public string? TraceParent { get; init; }

    /// <summary>The event data, JSON.</summary>
    public required string Data { get; init; }

    /// <summary>How many delivery attempts were made (set by the store).</summary>
    public int Attempts { get; init; }
}
