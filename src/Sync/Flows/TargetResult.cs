using Concord.Canonical.Errors;
using Concord.Sync.Audit;

namespace Concord.Sync.Flows;

/// <summary>What happened to one record in one target.</summary>
/// <param name="Target">The target connector name.</param>
/// <param name="Outcome">Created, updated, unchanged, deferred or dead-lettered.</param>
/// <param name="ExternalId">The record's id in the target, when it has one.</param>
/// <param name="DuplicateAvoided">Whether an existing record was found by match keys and adopted.</param>
/// <param name="ErrorCategory">The failure category, for deferred and dead-lettered outcomes.</param>
/// <param name="Reason">The failure reason, personal data masked.</param>
public sealed record TargetResult(string Target, AuditOutcome Outcome, string? ExternalId, bool DuplicateAvoided = false, ErrorCategory? ErrorCategory = null, string? Reason = null);
