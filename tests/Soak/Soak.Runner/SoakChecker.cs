using Concord.Canonical;
using Concord.Sync.Audit;

namespace Concord.Soak.Runner;

/// <summary>One check: how many failures it found, what a failure means, and a few examples.</summary>
internal sealed record SoakCheck(string Name, long Failures, string Meaning, IReadOnlyList<string> Examples)
{
    /// <summary>Where the failures come from, when the checks can tell (the source's feed never delivered the value).</summary>
    public string? Note { get; init; }
}

/// <summary>
/// The soak's checks, computed from a <see cref="SoakObservation"/> alone: Odoo must hold every customer the sources hold,
/// once, with the source of record's current values; every change Odoo went through must have been announced by an
/// event, in the order Odoo went through it, with nothing announced that Odoo never had; every event and every applied
/// change must have an audit entry; exactly the invalid records are dead-lettered; the outbox is empty.
/// </summary>
internal static class SoakChecker
{
    private static readonly string NameField = nameof(CustomerField.Name);
    private static readonly string EmailsField = nameof(CustomerField.Emails);
    private static readonly string ContactsField = nameof(CustomerField.Contacts);

    public static IReadOnlyList<SoakCheck> Check(SoakObservation observation, int examples = 5)
    {
        ArgumentNullException.ThrowIfNull(observation);
        var checks = new Checks(examples);
        var expected = Expected(observation);
        var companies = observation.Target
            .Where(p => p.IsCompany && p.ParentId is null && p.Active)
            .GroupBy(p => Key(p.Website))
            .ToDictionary(g => g.Key, g => g.OrderBy(p => p.Id).ToList(), StringComparer.Ordinal);
        var children = observation.Target
            .Where(p => p.ParentId is not null && p.Active)
            .GroupBy(p => p.ParentId!.Value)
            .ToDictionary(g => g.Key, g => g.ToList());
        var changes = observation.TargetChanges.GroupBy(c => c.PartnerId).ToDictionary(g => g.Key, g => g.ToList());
        var events = Distinct(observation.Events);
        var eventsByTarget = events.Where(e => e.TargetId is not null).GroupBy(e => e.TargetId!).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var auditByTarget = observation.Audit
            .Where(a => a.TargetSystem == "odoo" && a.TargetId is not null)
            .GroupBy(a => a.TargetId!)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var invalidWebsites = observation.Source.Where(s => !s.Valid).Select(s => Key(s.Website)).ToHashSet(StringComparer.Ordinal);
        var delivered = new Dictionary<string, FeedDelivery>(StringComparer.Ordinal);
        foreach (var delivery in observation.FeedDeliveries)
        {
            delivered[delivery.SourceId] = delivery;
        }

        foreach (var customer in expected.Values)
        {
            if (!companies.TryGetValue(customer.Key, out var copies))
            {
                checks.Lost.Add(1 + customer.Contacts.Count, $"{customer.Describe()}: no company with {customer.Key} in Odoo");
                continue;
            }

            if (copies.Count > 1)
            {
                checks.Duplicated.Add(copies.Count - 1, $"{customer.Describe()}: {copies.Count} Odoo companies ({string.Join(", ", copies.Select(c => c.Id))})");
            }

            foreach (var company in copies)
            {
                var lastDelivery = customer.SourceId is { } sourceId && observation.FeedDeliveries.Count > 0 ? delivered.GetValueOrDefault(sourceId) ?? Undelivered : null;
                CheckCompany(checks, customer, company, children.GetValueOrDefault(company.Id) ?? [], changes, eventsByTarget, auditByTarget, lastDelivery, primary: company == copies[0]);
            }
        }

        foreach (var (key, copies) in companies)
        {
            if (!expected.ContainsKey(key))
            {
                checks.Unexpected.Add(copies.Count, $"Odoo company {copies[0].Id} ({key}){(invalidWebsites.Contains(key) ? ", an invalid record's" : string.Empty)} was never asked for");
            }
        }

        foreach (var shared in observation.Links.GroupBy(l => l.TargetId).Where(g => g.Count() > 1))
        {
            checks.Duplicated.Add(shared.Count() - 1, $"Odoo partner {shared.Key} is linked to {shared.Count()} canonical customers ({string.Join(", ", shared.Select(l => l.CanonicalId))})");
        }

        CheckEventsAndAudit(checks, observation, events);
        CheckDeadLetters(checks, observation);
        if (observation.PendingEvents > 0)
        {
            checks.Pending.Add(observation.PendingEvents, $"{observation.PendingEvents} events are still in the outbox");
        }

        return checks.All();
    }

    private static void CheckCompany(
        Checks checks,
        ExpectedCustomer customer,
        TargetPartner company,
        List<TargetPartner> children,
        Dictionary<long, List<TargetChange>> changes,
        Dictionary<string, List<PublishedEvent>> eventsByTarget,
        Dictionary<string, List<AuditRecord>> auditByTarget,
        FeedDelivery? lastDelivery,
        bool primary)
    {
        var id = company.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var where = $"{customer.Describe()} (Odoo {company.Id})";
        var companyChanges = changes.GetValueOrDefault(company.Id) ?? [];
        var announcing = eventsByTarget.GetValueOrDefault(id) ?? [];
        var audit = auditByTarget.GetValueOrDefault(id) ?? [];

        if (primary)
        {
            CompareValue(checks, $"{where} name", company.Name, customer.Name, customer.EarlierNames, lastDelivery is not null && lastDelivery.Name != customer.Name);
            if (!string.Equals(company.Email, customer.Email, StringComparison.OrdinalIgnoreCase))
            {
                checks.Wrong.Add(1, $"{where} email is '{company.Email}', the shop's is '{customer.Email}'");
            }

            var byEmail = children.Where(c => c.Email is not null).GroupBy(c => c.Email!, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.OrdinalIgnoreCase);
            foreach (var contact in customer.Contacts)
            {
                if (!byEmail.TryGetValue(contact.Email, out var found))
                {
                    checks.Lost.Add(1, $"{where}: no contact {contact.Email}");
                    continue;
                }

                if (found.Count > 1)
                {
                    checks.Duplicated.Add(found.Count - 1, $"{where}: contact {contact.Email} {found.Count} times");
                }

                var feedMissed = lastDelivery is not null && !lastDelivery.Contacts.Contains((contact.Email, contact.Name));
                CompareValue(checks, $"{where} contact {contact.Email}", found[0].Name, contact.Name, contact.EarlierNames, feedMissed);
            }
        }

        // Every value Odoo took must have been announced, in the order Odoo took it, and nothing else.
        CompareSequences(checks, $"{where} name", Values(companyChanges, "name"), Announced(announcing, NameField, e => e.Name));
        CompareSequences(checks, $"{where} email", Values(companyChanges, "email"), Announced(announcing, EmailsField, e => e.Email));
        foreach (var contact in children.Where(c => c.Email is not null))
        {
            CompareSequences(
                checks,
                $"{where} contact {contact.Email}",
                Values(changes.GetValueOrDefault(contact.Id) ?? [], "name"),
                Announced(announcing, ContactsField, e => e.Contacts.FirstOrDefault(c => string.Equals(c.Email, contact.Email, StringComparison.OrdinalIgnoreCase)).Name));
        }

        // Every change Odoo went through must have an audit entry: the creation a Created entry, each later change an
        // Updated entry naming its field group.
        if (companyChanges.Any(c => c.Creation) && !audit.Any(a => a.Outcome == AuditOutcome.Created))
        {
            checks.Unaudited.Add(1, $"{where}: created in Odoo, no Created audit entry");
        }

        Audited(checks, where, "name", companyChanges.Count(c => c.Field == "name" && !c.Creation), audit, NameField);
        Audited(checks, where, "email", companyChanges.Count(c => c.Field == "email" && !c.Creation), audit, EmailsField);
        var contactRenames = children.Sum(c => (changes.GetValueOrDefault(c.Id) ?? []).Count(x => x.Field == "name" && !x.Creation));
        Audited(checks, where, "contact name", contactRenames, audit, ContactsField);
    }

    private static void Audited(Checks checks, string where, string what, int applied, List<AuditRecord> audit, string field)
    {
        var entries = audit.Count(a => a.Outcome == AuditOutcome.Updated && a.FieldsChanged.Contains(field));
        if (applied > entries)
        {
            checks.Unaudited.Add(applied - entries, $"{where}: {applied} {what} changes applied, {entries} Updated audit entries name {field}");
        }
    }

    /// <param name="feedMissed">Whether the source's change feed never delivered <paramref name="expected"/> as the record's last value.</param>
    private static void CompareValue(Checks checks, string what, string? actual, string expected, IReadOnlyList<string> earlier, bool feedMissed = false)
    {
        if (string.Equals(actual, expected, StringComparison.Ordinal))
        {
            return;
        }

        var cause = feedMissed ? " (the change feed never delivered it)" : string.Empty;
        if (actual is not null && earlier.Contains(actual, StringComparer.Ordinal))
        {
            checks.Stale.Add(1, $"{what} is '{actual}', an older value; the source has '{expected}'{cause}", feedMissed);
        }
        else
        {
            checks.Wrong.Add(1, $"{what} is '{actual}', a value the source never had; the source has '{expected}'{cause}", feedMissed);
        }
    }

    /// <summary>The values a field took, in order, empty ones left out, repeats collapsed.</summary>
    private static List<string> Values(List<TargetChange> changes, string field) =>
        Collapse(changes.Where(c => c.Field == field).Select(c => c.Value));

    private static List<string> Announced(List<PublishedEvent> events, string field, Func<PublishedEvent, string?> value) =>
        Collapse(events.Where(e => e.Announces(field)).Select(value));

    private static List<string> Collapse(IEnumerable<string?> values)
    {
        var list = new List<string>();
        foreach (var value in values)
        {
            if (!string.IsNullOrEmpty(value) && (list.Count == 0 || !string.Equals(list[^1], value, StringComparison.Ordinal)))
            {
                list.Add(value);
            }
        }

        return list;
    }

    private static void CompareSequences(Checks checks, string what, List<string> applied, List<string> announced)
    {
        if (applied.SequenceEqual(announced, StringComparer.Ordinal))
        {
            return;
        }

        // Match the applied values in order against the announcements.
        var matched = 0;
        foreach (var value in announced)
        {
            if (matched < applied.Count && string.Equals(applied[matched], value, StringComparison.Ordinal))
            {
                matched++;
            }
        }

        var detail = $"{what}: Odoo went [{string.Join(" → ", applied)}], events announced [{string.Join(" → ", announced)}]";
        if (matched < applied.Count)
        {
            checks.NotAnnounced.Add(applied.Count - matched, detail);
        }
        else
        {
            checks.OutOfOrder.Add(1, detail);
        }
    }

    private static void CheckEventsAndAudit(Checks checks, SoakObservation observation, List<PublishedEvent> events)
    {
        var audited = observation.Audit
            .Where(a => a.Outcome is AuditOutcome.Created or AuditOutcome.Updated && a.CanonicalId is not null)
            .Select(a => (a.Flow, a.CanonicalId!, a.CorrelationId))
            .ToHashSet();
        var announced = events.Select(e => (e.Flow, e.Subject, e.CorrelationId)).ToHashSet();
        foreach (var e in events.Where(e => !audited.Contains((e.Flow, e.Subject, e.CorrelationId))))
        {
            checks.EventsUnaudited.Add(1, $"event {e.Id} ({e.Type}, {e.Subject}, flow {e.Flow}, run {e.CorrelationId}) has no Created/Updated audit entry");
        }

        foreach (var (flow, customer, run) in audited.Where(a => !announced.Contains(a)))
        {
            checks.NotAnnounced.Add(1, $"{customer}: audited as written by flow {flow} in run {run}, no event published");
        }

        var byCustomer = events.GroupBy(e => e.Subject).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        foreach (var (customer, first) in byCustomer)
        {
            if (!first.IsCreated)
            {
                checks.CreatedNotFirst.Add(1, $"{customer}: first event is {first.Type} ({first.Id})");
            }
        }

        foreach (var link in observation.Links.Where(l => !byCustomer.ContainsKey(l.CanonicalId)))
        {
            checks.CreatedNotFirst.Add(1, $"{link.CanonicalId} (Odoo {link.TargetId}): no event at all");
        }
    }

    private static void CheckDeadLetters(Checks checks, SoakObservation observation)
    {
        var invalid = observation.Source.Where(s => !s.Valid).Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        var feedLetters = observation.DeadLetters.Where(d => d.Flow == SoakFlows.FeedFlow).ToList();
        foreach (var letter in observation.DeadLetters.Where(d => d.Flow != SoakFlows.FeedFlow || !invalid.Contains(d.SourceId) || d.Status != "DeadLettered"))
        {
            checks.DeadLetters.Add(1, $"{letter.SourceId} (flow {letter.Flow}) is {letter.Status}: {letter.Reason}");
        }

        var lettered = feedLetters.Select(d => d.SourceId).ToHashSet(StringComparer.Ordinal);
        foreach (var id in invalid.Where(id => !lettered.Contains(id)))
        {
            checks.DeadLetters.Add(1, $"invalid record {id} was not dead-lettered");
        }
    }

    private static Dictionary<string, ExpectedCustomer> Expected(SoakObservation observation)
    {
        var expected = new Dictionary<string, ExpectedCustomer>(StringComparer.Ordinal);
        foreach (var source in observation.Source.Where(s => s.Valid))
        {
            expected[Key(source.Website)] = new ExpectedCustomer(Key(source.Website), source.Name, source.EarlierNames, null, source.Contacts, $"account {source.Id}", source.Id);
        }

        foreach (var record in observation.Shop)
        {
            var key = Key(record.Website);
            expected[key] = expected.TryGetValue(key, out var shared)
                ? shared with { Email = record.Email, Label = $"{shared.Label} + {record.ShopId}" }
                : new ExpectedCustomer(key, record.Name, [], record.Email, [], record.ShopId, null);
        }

        return expected;
    }

    private static List<PublishedEvent> Distinct(IReadOnlyList<PublishedEvent> events)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return [.. events.Where(e => seen.Add(e.Id))];
    }

    private static string Key(string? website) =>
        (website ?? string.Empty).Trim().ToLowerInvariant().Replace("https://", string.Empty, StringComparison.Ordinal).Replace("http://", string.Empty, StringComparison.Ordinal).TrimEnd('/');

    private static readonly FeedDelivery Undelivered = new(string.Empty, string.Empty, []);

    private sealed record ExpectedCustomer(string Key, string Name, IReadOnlyList<string> EarlierNames, string? Email, IReadOnlyList<SourceContact> Contacts, string Label, string? SourceId)
    {
        public string Describe() => Label;
    }

    private sealed class Checks(int examples)
    {
        public Tally Lost { get; } = new("lost", "a customer or contact a source holds is not in Odoo", examples);

        public Tally Duplicated { get; } = new("duplicated", "a customer or contact is in Odoo more than once, or one Odoo partner is two canonical customers", examples);

        public Tally Unexpected { get; } = new("unexpected", "an Odoo company no source asked for (an invalid record written, a stray create)", examples);

        public Tally Stale { get; } = new("stale", "Odoo holds an older value than the source of record (the target is older than the source)", examples);

        public Tally Wrong { get; } = new("wrong", "Odoo holds a value the source of record never had", examples);

        public Tally NotAnnounced { get; } = new("changes not announced", "a value Odoo took, or a write the audit log records, with no event announcing it", examples);

        public Tally OutOfOrder { get; } = new("announced out of order", "events announce values in an order Odoo did not go through, or values it never had", examples);

        public Tally CreatedNotFirst { get; } = new("created not first", "a customer whose first event is not customer.created, or that has no event", examples);

        public Tally Pending { get; } = new("events pending", "events still in the outbox at the end", examples);

        public Tally EventsUnaudited { get; } = new("events not audited", "a published event with no Created/Updated audit entry of its flow, customer and run", examples);

        public Tally Unaudited { get; } = new("changes not audited", "a change Odoo went through with no audit entry for it", examples);

        public Tally DeadLetters { get; } = new("dead letters wrong", "a valid record dead-lettered or left deferred, or an invalid record not dead-lettered", examples);

        public IReadOnlyList<SoakCheck> All() =>
            [.. new[] { Lost, Duplicated, Unexpected, Stale, Wrong, NotAnnounced, OutOfOrder, CreatedNotFirst, Pending, EventsUnaudited, Unaudited, DeadLetters }.Select(t => t.ToCheck())];
    }

    private sealed class Tally(string name, string meaning, int maxExamples)
    {
        private readonly List<string> _examples = [];
        private long _failures;
        private long _feedMissed;

        public void Add(long failures, string example, bool feedMissed = false)
        {
            _failures += failures;
            _feedMissed += feedMissed ? failures : 0;
            if (_examples.Count < maxExamples)
            {
                _examples.Add(example);
            }
        }

        public SoakCheck ToCheck() => new(name, _failures, meaning, _examples)
        {
            Note = _feedMissed > 0 ? $"{_feedMissed:N0} of them: the Salesforce change feed never delivered the newest value to the engine" : null,
        };
    }
}
