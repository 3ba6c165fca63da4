using Concord.Sync.Audit;

namespace Concord.Soak.Runner;

/// <summary>A source account at the end of the run, with the values it had before (the runner's edit history).</summary>
/// <param name="Id">Its id in Salesforce.</param>
/// <param name="Valid">Whether the canonical schema accepts it (an invalid one must be dead-lettered, never written).</param>
/// <param name="Website">Its website (the key its company is found by in Odoo).</param>
/// <param name="Name">Its name now.</param>
/// <param name="EarlierNames">The names it had before, oldest first.</param>
/// <param name="Contacts">Its contacts now.</param>
internal sealed record SourceCustomer(string Id, bool Valid, string Website, string Name, IReadOnlyList<string> EarlierNames, IReadOnlyList<SourceContact> Contacts);

/// <summary>A source contact at the end of the run.</summary>
/// <param name="Email">Its email (the key it is found by under its company).</param>
/// <param name="Name">Its full name now.</param>
/// <param name="EarlierNames">The names it had before, oldest first.</param>
internal sealed record SourceContact(string Email, string Name, IReadOnlyList<string> EarlierNames);

/// <summary>An Odoo partner at the end of the run.</summary>
internal sealed record TargetPartner(long Id, long? ParentId, bool IsCompany, bool Active, string? Name, string? Website, string? Email);

/// <summary>A committed change of a tracked Odoo field, in commit order; <paramref name="Creation"/> when made by the transaction that created the partner.</summary>
internal sealed record TargetChange(long PartnerId, string Field, string? Value, bool Creation);

/// <summary>An audit entry, as far as the checks need it.</summary>
internal sealed record AuditRecord(string Flow, string? CanonicalId, string CorrelationId, AuditOutcome Outcome, string? TargetSystem, string? TargetId, IReadOnlyList<string> FieldsChanged);

/// <summary>An open (dead-lettered or deferred) dead letter.</summary>
internal sealed record OpenDeadLetter(string Flow, string SourceId, string Status, string Reason);

/// <summary>An identity link to Odoo.</summary>
internal sealed record TargetLink(string CanonicalId, string TargetId);

/// <summary>
/// What the checks read at the end of a soak run: the source of record and its edit history, the shop's records, Odoo's
/// partners and the history of their tracked fields, the events the publisher received (in order), the audit log,
/// the open dead letters, the identity links and what is still in the outbox.
/// </summary>
internal sealed record SoakObservation
{
    public required IReadOnlyList<SourceCustomer> Source { get; init; }

    public required IReadOnlyList<ShopRecord> Shop { get; init; }

    public required IReadOnlyList<TargetPartner> Target { get; init; }

    public required IReadOnlyList<TargetChange> TargetChanges { get; init; }

    public required IReadOnlyList<PublishedEvent> Events { get; init; }

    public required IReadOnlyList<AuditRecord> Audit { get; init; }

    public required IReadOnlyList<OpenDeadLetter> DeadLetters { get; init; }

    public required IReadOnlyList<TargetLink> Links { get; init; }

    public long PendingEvents { get; init; }

    /// <summary>What the source's change feed delivered to the engine, in order (to tell a feed that never delivered the newest value from an engine that did not write it).</summary>
    public IReadOnlyList<FeedDelivery> FeedDeliveries { get; init; } = [];
}
