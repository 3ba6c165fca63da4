using Concord.Canonical;

namespace Concord.Sync.Ownership;

/// <summary>A change the merge did not apply, and why.</summary>
/// <param name="Field">The field group (a <see cref="CustomerField"/> name).</param>
/// <param name="Owner">The system that owns the field and whose value was kept, or null when a survivorship rule decided.</param>
/// <param name="Reason">Why the change was refused, in words (no personal data).</param>
public sealed record RefusedChange(string Field, string? Owner, string Reason);
