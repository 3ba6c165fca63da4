namespace Concord.Sync.Outbox;

/// <summary>The CloudEvent types flows publish, and the extension attribute that carries the correlation id.</summary>
public static class CustomerEventTypes
{
    /// <summary>A customer was handled for the first time and written to at least one target.</summary>
    public const string Created = "customer.created";

    /// <summary>A known customer changed and was written to at least one target.</summary>
    public const string Updated = "customer.updated";

    /// <summary>The CloudEvent extension attribute holding the correlation id.</summary>
    public const string CorrelationIdAttribute = "correlationid";
}
