using Concord.Canonical.Idempotency;

namespace Concord.Canonical.Connectors;

/// <summary>One customer to create or update in a target system.</summary>
public sealed record UpsertRequest
{
    /// <summary>The customer; <see cref="Provenance.CanonicalId"/> must be set (it is the upsert key).</summary>
    public required CanonicalCustomer Customer { get; init; }

    /// <summary>The key of this logical write (flow, target, canonical id, source version), fixed once; every retry repeats it.</summary>
    public required IdempotencyKey IdempotencyKey { get; init; }

    /// <summary>The record's id in the target, when the identity map knows it.</summary>
    public string? KnownExternalId { get; init; }
}
