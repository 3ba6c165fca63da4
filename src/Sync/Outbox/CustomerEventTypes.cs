namespace Concord.Sync.Outbox;

/// <summary>The CloudEvent types flows publish, and the extension attributes that carry the correlation id and the trace context.</summary>
public static class CustomerEventTypes
{
    /// <summary>A customer was handled for the first time and written to at least one target.</summary>
    public const string Created = "customer.created";

    /// <summary>A known customer changed and was written to at least one target.</summary>
    public const string Updated = "customer.updated";

    /// <summary>The CloudEvent extension attribute holding the correlation id (the trace id of the run, when it was traced).</summary>
    public const string CorrelationIdAttribute = "correlationid";

    /// <summary>
    /// The CloudEvent extension attribute of the distributed tracing extension: the W3C trace context of the span that
    /// published the event, a child of the run that produced it. Absent when the run was not traced.
    /// </summary>
    public const string TraceParentAttribute = "traceparent";
}
