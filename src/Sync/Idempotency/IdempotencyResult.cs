namespace Concord.Sync.Idempotency;

/// <summary>What a completed write produced, stored so that a repeat returns it without writing again.</summary>
/// <param name="ExternalId">The record's id in the target system.</param>
/// <param name="Outcome">Created, updated or unchanged, as the first write reported it.</param>
/// <param name="Payload">Extra result data as JSON (contact ids), or null.</param>
public sealed record IdempotencyResult(string ExternalId, Concord.Canonical.Connectors.UpsertOutcome Outcome, string? Payload = null);
