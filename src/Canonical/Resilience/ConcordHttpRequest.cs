namespace Concord.Canonical.Resilience;

/// <summary>
/// What a connector tells the resilience pipeline about a request, through <see cref="HttpRequestMessage.Options"/>:
/// whether an unsafe request (POST, PATCH, PUT) may be sent again, and the operation name for errors.
/// </summary>
/// <remarks>
/// GET, HEAD, OPTIONS, TRACE and DELETE are retried as they are (safe or idempotent by RFC 9110). POST, PATCH and
/// PUT are retried only when marked: the write must be an upsert by an external id, or carry an idempotency key
/// fixed before the pipeline, so sending it twice cannot write twice.
/// </remarks>
/// <example>
/// With Refit, declare a <c>[Property]</c> parameter; Refit stores its value in <see cref="HttpRequestMessage.Options"/>
/// under the given name (as a boxed <see cref="bool"/>), where the pipeline reads it:
/// <code>
/// [Patch("/services/data/v62.0/composite/sobjects/Account/Concord_Id__c")]
/// Task&lt;HttpResponseMessage&gt; UpsertAsync(
///     [Body] UpsertBody body,
///     [Property(ConcordHttpRequest.IdempotentPropertyName)] bool idempotent,
///     [Property(ConcordHttpRequest.OperationPropertyName)] string operation,
///     CancellationToken cancellationToken);
///
/// await api.UpsertAsync(body, idempotent: true, operation: "upsert-many", cancellationToken);
/// </code>
/// Without Refit: <c>new HttpRequestMessage(HttpMethod.Post, uri).MarkIdempotent().WithOperation("upsert")</c>.
/// </example>
public static class ConcordHttpRequest
{
    /// <summary>The name of the option that marks an unsafe request as safe to send again: <c>Concord.Idempotent</c>.</summary>
    public const string IdempotentPropertyName = "Concord.Idempotent";

    /// <summary>The name of the option that names the operation in errors and logs: <c>Concord.Operation</c>.</summary>
    public const string OperationPropertyName = "Concord.Operation";

    /// <summary>The typed key of <see cref="IdempotentPropertyName"/>.</summary>
    public static HttpRequestOptionsKey<bool> IdempotentKey { get; } = new(IdempotentPropertyName);

    /// <summary>The typed key of <see cref="OperationPropertyName"/>.</summary>
    public static HttpRequestOptionsKey<string> OperationKey { get; } = new(OperationPropertyName);

    /// <summary>Marks <paramref name="request"/> as safe to send again (an upsert, or a write carrying an idempotency key).</summary>
    /// <param name="request">The request.</param>
    /// <returns>The same request.</returns>
    public static HttpRequestMessage MarkIdempotent(this HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Options.Set(IdempotentKey, true);
        return request;
    }

    /// <summary>Names the operation <paramref name="request"/> belongs to (<c>upsert</c>, <c>read-changes</c>), for errors and logs.</summary>
    /// <param name="request">The request.</param>
    /// <param name="operation">The operation name.</param>
    /// <returns>The same request.</returns>
    public static HttpRequestMessage WithOperation(this HttpRequestMessage request, string operation)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(operation);
        request.Options.Set(OperationKey, operation);
        return request;
    }

    /// <summary>Whether <paramref name="request"/> carries the idempotent mark (set by <see cref="MarkIdempotent"/> or a Refit <c>[Property]</c>).</summary>
    /// <param name="request">The request.</param>
    /// <returns><see langword="true"/> when marked with <see langword="true"/> (a <see cref="bool"/> or the string <c>true</c>).</returns>
    public static bool IsMarkedIdempotent(this HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        IReadOnlyDictionary<string, object?> options = request.Options;
        return options.TryGetValue(IdempotentPropertyName, out var value)
            && value switch
            {
                bool flag => flag,
                string text => bool.TryParse(text, out var parsed) && parsed,
                _ => false,
            };
    }

    /// <summary>Whether the pipeline may send <paramref name="request"/> again: its method is safe or idempotent, or it is marked.</summary>
    /// <param name="request">The request.</param>
    /// <returns><see langword="true"/> for GET, HEAD, OPTIONS, TRACE and DELETE, and for marked requests.</returns>
    public static bool IsRetryable(this HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var method = request.Method;
        return method == HttpMethod.Get
            || method == HttpMethod.Head
            || method == HttpMethod.Options
            || method == HttpMethod.Trace
            || method == HttpMethod.Delete
            || request.IsMarkedIdempotent();
    }

    internal static string? GetOperation(HttpRequestMessage request)
    {
        IReadOnlyDictionary<string, object?> options = request.Options;
        return options.TryGetValue(OperationPropertyName, out var value) && value is string { Length: > 0 } operation ? operation : null;
    }
}
