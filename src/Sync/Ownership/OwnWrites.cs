using Concord.Canonical;

namespace Concord.Sync.Ownership;

/// <summary>
/// What Concord itself wrote to one target record, so that "most recent wins" never counts Concord's own writes as a newer
/// competing edit: a value the target holds because Concord wrote it (or was writing it, or held before Concord's write)
/// is as old as the source version it came from, not as old as the vendor's modification time, which Concord's write bumped.
/// </summary>
/// <param name="pending">The record of a write in flight or interrupted (its outcome unknown), or null.</param>
/// <param name="written">The record Concord last wrote and committed, or null.</param>
/// <param name="before">The target's record as read before the interrupted write, or null.</param>
/// <param name="createdByConcord">Whether the target record exists because of Concord's interrupted create (an empty value was then never anyone's edit).</param>
internal sealed class OwnWrites(Func<CanonicalCustomer?> pending, Func<CanonicalCustomer?> written, Func<CanonicalCustomer?> before, bool createdByConcord)
{
    private readonly Lazy<CanonicalCustomer?> _pending = new(pending);
    private readonly Lazy<CanonicalCustomer?> _written = new(written);
    private readonly Lazy<CanonicalCustomer?> _before = new(before);

    /// <summary>Finds when the target's value of <paramref name="field"/> was last edited, when Concord's writes explain it.</summary>
    /// <param name="field">The field group.</param>
    /// <param name="current">The target's record.</param>
    /// <param name="editedAt">The source time of the version Concord wrote it from, the target's time before Concord's write, or null (never edited).</param>
    /// <returns>False when the value is none of Concord's: someone edited it after Concord's write, and the target's own time counts.</returns>
    public bool TryGetEditTime(CustomerField field, CanonicalCustomer current, out DateTimeOffset? editedAt)
    {
        foreach (var own in (ReadOnlySpan<CanonicalCustomer?>)[_pending.Value, _written.Value])
        {
            if (own is not null && CustomerFields.Same(field, current, own))
            {
                editedAt = own.Provenance.SourceModifiedAt;
                return true;
            }
        }

        if (_before.Value is { } previous && CustomerFields.Same(field, current, previous))
        {
            editedAt = previous.Provenance.SourceModifiedAt;
            return true;
        }

        if (createdByConcord && CustomerFields.IsEmpty(field, current))
        {
            editedAt = null;
            return true;
        }

        editedAt = default;
        return false;
    }
}
