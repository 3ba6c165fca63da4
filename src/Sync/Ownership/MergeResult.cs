using System.Collections.Immutable;
using Concord.Canonical;

namespace Concord.Sync.Ownership;

/// <summary>The merged record to write, the field groups it changes in the target, and the changes the policy refused.</summary>
internal sealed record MergeResult(CanonicalCustomer Merged, ImmutableArray<string> ChangedFields, ImmutableArray<RefusedChange> Refused);
