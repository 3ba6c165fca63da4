namespace Concord.Canonical.Connectors;

/// <summary>What happened to a record in the source system.</summary>
public enum ChangeKind
{
    /// <summary>Created or updated (including archived: see <see cref="Canonical.CustomerStatus"/>).</summary>
    Upserted,

    /// <summary>Deleted in the source system (Salesforce <c>IsDeleted</c>, Odoo hard delete).</summary>
    Deleted,
}
