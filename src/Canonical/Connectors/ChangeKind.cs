namespace Concord.Canonical.Connectors;

/// <summary>What happened to a record in the source system.</summary>
public enum ChangeKind
{
    /// <summary>Created or updated (including archived: see <see cref="Canonical.CustomerStatus"/>).</summary>
    Upserted,

    /// <summary>Deleted in the source system (Salesforce <c>IsDeleted</c>, Odoo hard delete). A record merged into another is <see cref="Merged"/>, not this.</summary>
    Deleted,

    /// <summary>
    /// Merged into another record of the same system, which survives: the change's <see cref="CustomerChange.ExternalId"/>
    /// is the record merged away (Salesforce deletes it with <c>MasterRecordId</c> set, HubSpot lists it in the survivor's
    /// merged ids, Zendesk marks the user merged) and <see cref="CustomerChange.MergedIntoExternalId"/> the survivor. A
    /// target merges its counterparts rather than deleting one; the survivor's own data comes as its own
    /// <see cref="Upserted"/> change.
    /// </summary>
    Merged,
}
