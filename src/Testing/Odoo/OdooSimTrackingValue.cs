namespace Concord.Testing.Odoo;

/// <summary>
/// One committed change of a tracked <c>res.partner</c> field (<see cref="OdooSimulatorOptions.TrackedFields"/>), as a
/// real database keeps it in the partner's chatter (<c>mail.tracking.value</c>) for fields declared with <c>tracking=True</c>.
/// </summary>
/// <param name="PartnerId">The partner.</param>
/// <param name="At">The transaction's instant.</param>
/// <param name="Field">The field name.</param>
/// <param name="OldValue">The value before (null when the partner was created by this transaction).</param>
/// <param name="NewValue">The value after (many2one as id, many2many as ids).</param>
public sealed record OdooSimTrackingValue(long PartnerId, DateTimeOffset At, string Field, object? OldValue, object? NewValue);
