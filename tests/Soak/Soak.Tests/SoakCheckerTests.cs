using Concord.Soak.Runner;
using Concord.Sync.Audit;

namespace Concord.Soak.Tests;

/// <summary>
/// The soak's checks pass on a consistent outcome and each one fails on an outcome broken in its own way: a check that
/// cannot fail would prove nothing.
/// </summary>
public sealed class SoakCheckerTests
{
    private const string Feed = SoakFlows.FeedFlow;
    private const string Shop = SoakFlows.ShopFlow;

    [Fact]
    public void A_consistent_outcome_passes_every_check()
    {
        var checks = SoakChecker.Check(Consistent());

        Assert.All(checks, c => Assert.True(c.Failures == 0, $"{c.Name}: {string.Join("; ", c.Examples)}"));
        Assert.Equal(12, checks.Count);
    }

    [Fact]
    public void An_event_delivered_twice_is_not_a_failure()
    {
        var outcome = Consistent();
        var checks = SoakChecker.Check(outcome with { Events = [.. outcome.Events, outcome.Events[1]] });

        Assert.All(checks, c => Assert.Equal(0, c.Failures));
    }

    [Fact]
    public void A_company_missing_from_odoo_is_lost()
    {
        var outcome = Consistent();
        var broken = outcome with { Target = [.. outcome.Target.Where(p => p.Id != 20)] };

        Assert.Equal(1, Failures(broken, "lost"));
    }

    [Fact]
    public void A_contact_missing_from_odoo_is_lost()
    {
        var outcome = Consistent();
        var broken = outcome with { Target = [.. outcome.Target.Where(p => p.Id != 11)] };

        Assert.Equal(1, Failures(broken, "lost"));
    }

    [Fact]
    public void A_second_company_with_the_same_website_is_duplicated()
    {
        var outcome = Consistent();
        var broken = outcome with { Target = [.. outcome.Target, new TargetPartner(30, null, true, true, "A1", "https://www.soak-000001.example", null)] };

        Assert.Equal(1, Failures(broken, "duplicated"));
    }

    [Fact]
    public void One_odoo_partner_linked_to_two_canonical_customers_is_duplicated()
    {
        var outcome = Consistent();
        var broken = outcome with { Links = [.. outcome.Links, new TargetLink("C3", "10")] };

        Assert.Equal(1, Failures(broken, "duplicated"));
    }

    [Fact]
    public void A_contact_twice_under_its_company_is_duplicated()
    {
        var outcome = Consistent();
        var broken = outcome with { Target = [.. outcome.Target, new TargetPartner(12, 10, false, true, "Bea One", null, "bea@soak-000001.example")] };

        Assert.Equal(1, Failures(broken, "duplicated"));
    }

    [Fact]
    public void An_invalid_record_written_to_odoo_is_unexpected()
    {
        var outcome = Consistent();
        var broken = outcome with { Target = [.. outcome.Target, new TargetPartner(40, null, true, true, "Invalid", "https://www.soak-000002.example", null)] };

        Assert.Equal(1, Failures(broken, "unexpected"));
    }

    [Fact]
    public void A_revert_not_written_leaves_the_target_stale()
    {
        // The source went A1 -> B1 -> A1; Odoo kept B1.
        var outcome = Consistent();
        var broken = outcome with
        {
            Target = [.. outcome.Target.Select(p => p.Id == 10 ? p with { Name = "B1" } : p)],
            TargetChanges = [.. outcome.TargetChanges.Take(outcome.TargetChanges.Count - 1)],
        };

        Assert.Equal(1, Failures(broken, "stale"));
    }

    [Fact]
    public void A_stale_value_the_change_feed_never_delivered_is_told_apart_from_one_the_engine_did_not_write()
    {
        var outcome = Consistent();
        var stale = outcome with
        {
            Target = [.. outcome.Target.Select(p => p.Id == 10 ? p with { Name = "B1" } : p)],
            TargetChanges = [.. outcome.TargetChanges.Take(outcome.TargetChanges.Count - 1)],
        };
        var delivered = new FeedDelivery("sf-1", "A1", []);
        var missed = new FeedDelivery("sf-1", "B1", []);

        var notDelivered = SoakChecker.Check(stale with { FeedDeliveries = [delivered, missed] }).Single(c => c.Name == "stale");
        var notWritten = SoakChecker.Check(stale with { FeedDeliveries = [missed, delivered] }).Single(c => c.Name == "stale");

        Assert.Equal(1, notDelivered.Failures);
        Assert.Contains("never delivered", notDelivered.Note, StringComparison.Ordinal);
        Assert.Equal(1, notWritten.Failures);
        Assert.Null(notWritten.Note);
    }

    [Fact]
    public void A_contact_name_older_than_the_source_is_stale()
    {
        var outcome = Consistent();
        var broken = outcome with
        {
            Source = [.. outcome.Source.Select(s => s.Id == "sf-1" ? s with { Contacts = [new SourceContact("bea@soak-000001.example", "Bea Renamed", ["Bea One"])] } : s)],
        };

        Assert.Equal(1, Failures(broken, "stale"));
    }

    [Fact]
    public void A_value_the_source_never_had_is_wrong()
    {
        var outcome = Consistent();
        var broken = outcome with { Target = [.. outcome.Target.Select(p => p.Id == 10 ? p with { Name = "Shop buyer 1" } : p)] };

        Assert.Equal(1, Failures(broken, "wrong"));
    }

    [Fact]
    public void The_shop_s_email_missing_from_odoo_is_wrong()
    {
        var outcome = Consistent();
        var broken = outcome with { Target = [.. outcome.Target.Select(p => p.Id == 10 ? p with { Email = null } : p)] };

        Assert.Equal(1, Failures(broken, "wrong"));
    }

    [Fact]
    public void A_change_odoo_applied_without_an_event_is_not_announced()
    {
        // The revert to A1 was written, but its event (and audit entry) never came: the last event says B1.
        var outcome = Consistent();
        var broken = outcome with
        {
            Events = [.. outcome.Events.Where(e => e.Id != "e5")],
            Audit = [.. outcome.Audit.Where(a => a.CorrelationId != "r5")],
        };

        Assert.Equal(1, Failures(broken, "changes not announced"));
    }

    [Fact]
    public void A_write_the_audit_log_records_without_an_event_is_not_announced()
    {
        var outcome = Consistent();
        var broken = outcome with { Events = [.. outcome.Events.Where(e => e.Id != "e3")] };

        Assert.True(Failures(broken, "changes not announced") >= 1);
    }

    [Fact]
    public void An_event_announcing_a_value_odoo_never_went_back_to_is_out_of_order()
    {
        // After the revert to A1 an event announces B1 again (a stale snapshot published last).
        var outcome = Consistent();
        var stale = Event("e6", "updated", "C1", Feed, "r5", "10", ["Name"], "B1");
        var broken = outcome with { Events = [.. outcome.Events, stale] };

        Assert.Equal(1, Failures(broken, "announced out of order"));
    }

    [Fact]
    public void A_customer_whose_first_event_is_an_update_fails_created_first()
    {
        var outcome = Consistent();
        var broken = outcome with { Events = [.. outcome.Events.Select(e => e.Id == "e1" ? e with { Type = "customer.updated" } : e)] };

        Assert.Equal(1, Failures(broken, "created not first"));
    }

    [Fact]
    public void A_linked_customer_without_any_event_fails_created_first()
    {
        var outcome = Consistent();
        var broken = outcome with { Links = [.. outcome.Links, new TargetLink("C9", "99")] };

        Assert.Equal(1, Failures(broken, "created not first"));
    }

    [Fact]
    public void Events_left_in_the_outbox_are_pending()
    {
        var broken = Consistent() with { PendingEvents = 3 };

        Assert.Equal(3, Failures(broken, "events pending"));
    }

    [Fact]
    public void An_event_without_its_audit_entry_is_not_audited()
    {
        var outcome = Consistent();
        var broken = outcome with { Audit = [.. outcome.Audit.Where(a => a.CorrelationId != "r2")] };

        Assert.Equal(1, Failures(broken, "events not audited"));
    }

    [Fact]
    public void A_rename_odoo_applied_with_no_audit_entry_naming_the_field_is_not_audited()
    {
        var outcome = Consistent();
        var broken = outcome with { Audit = [.. outcome.Audit.Select(a => a.CorrelationId == "r5" ? a with { FieldsChanged = ["Phones"] } : a)] };

        Assert.Equal(1, Failures(broken, "changes not audited"));
    }

    [Fact]
    public void A_company_created_in_odoo_with_no_created_audit_entry_is_not_audited()
    {
        var outcome = Consistent();
        var broken = outcome with { Audit = [.. outcome.Audit.Select(a => a.CorrelationId == "r3" ? a with { Outcome = AuditOutcome.Updated } : a)] };

        Assert.Equal(1, Failures(broken, "changes not audited"));
    }

    [Fact]
    public void A_valid_record_dead_lettered_and_an_invalid_one_written_fail_the_dead_letter_check()
    {
        var outcome = Consistent();
        var broken = outcome with { DeadLetters = [new OpenDeadLetter(Shop, "shop-000001", "DeadLettered", "Matches odoo record 10, which belongs to canonical customer C1")] };

        Assert.Equal(2, Failures(broken, "dead letters wrong"));
    }

    [Fact]
    public void A_valid_record_left_deferred_fails_the_dead_letter_check()
    {
        var outcome = Consistent();
        var broken = outcome with { DeadLetters = [.. outcome.DeadLetters, new OpenDeadLetter(Feed, "sf-1", "Deferred", "Odoo timed out")] };

        Assert.Equal(1, Failures(broken, "dead letters wrong"));
    }

    private static long Failures(SoakObservation outcome, string check) =>
        SoakChecker.Check(outcome).Single(c => c.Name == check).Failures;

    /// <summary>
    /// Account sf-1 (A1, renamed B1, reverted to A1; contact Bea One) shares its company with the shop's record shop-000001
    /// (the shop owns the email); shop-000002 is the shop's own company; account sf-2 is invalid and dead-lettered. Odoo,
    /// the events and the audit log agree with all of it.
    /// </summary>
    private static SoakObservation Consistent() => new()
    {
        Source =
        [
            new SourceCustomer("sf-1", true, "https://www.soak-000001.example", "A1", ["A1", "B1"], [new SourceContact("bea@soak-000001.example", "Bea One", [])]),
            new SourceCustomer("sf-2", false, "https://www.soak-000002.example", "Invalid", [], []),
        ],
        Shop =
        [
            new ShopRecord("shop-000001", "Shop buyer 1", "https://www.soak-000001.example", "orders@soak-000001.example", 1, 0.1),
            new ShopRecord("shop-000002", "Shop Two", "https://www.shoponly-000002.example", "orders@shoponly-000002.example", null, 0.2),
        ],
        Target =
        [
            new TargetPartner(10, null, true, true, "A1", "https://www.soak-000001.example", "orders@soak-000001.example"),
            new TargetPartner(11, 10, false, true, "Bea One", null, "bea@soak-000001.example"),
            new TargetPartner(20, null, true, true, "Shop Two", "https://www.shoponly-000002.example", "orders@shoponly-000002.example"),
        ],
        TargetChanges =
        [
            new TargetChange(10, "name", "A1", Creation: true),
            new TargetChange(11, "name", "Bea One", Creation: true),
            new TargetChange(11, "email", "bea@soak-000001.example", Creation: true),
            new TargetChange(10, "name", "B1", Creation: false),
            new TargetChange(20, "name", "Shop Two", Creation: true),
            new TargetChange(20, "email", "orders@shoponly-000002.example", Creation: true),
            new TargetChange(10, "email", "orders@soak-000001.example", Creation: false),
            new TargetChange(10, "name", "A1", Creation: false),
        ],
        Events =
        [
            Event("e1", "created", "C1", Feed, "r1", "10", ["Name", "Contacts"], "A1", contacts: [("bea@soak-000001.example", "Bea One")]),
            Event("e2", "updated", "C1", Feed, "r2", "10", ["Name"], "B1", contacts: [("bea@soak-000001.example", "Bea One")]),
            Event("e3", "created", "C2", Shop, "r3", "20", ["Name", "Emails"], "Shop Two", "orders@shoponly-000002.example"),
            Event("e4", "updated", "C1", Shop, "r4", "10", ["Emails"], "Shop buyer 1", "orders@soak-000001.example"),
            Event("e5", "updated", "C1", Feed, "r5", "10", ["Name"], "A1", contacts: [("bea@soak-000001.example", "Bea One")]),
        ],
        Audit =
        [
            new AuditRecord(Feed, "C1", "r1", AuditOutcome.Created, "odoo", "10", ["Name", "Contacts"]),
            new AuditRecord(Feed, "C1", "r2", AuditOutcome.Updated, "odoo", "10", ["Name"]),
            new AuditRecord(Shop, "C2", "r3", AuditOutcome.Created, "odoo", "20", ["Name", "Emails"]),
            new AuditRecord(Shop, "C1", "r4", AuditOutcome.Updated, "odoo", "10", ["Emails"]),
            new AuditRecord(Feed, "C1", "r5", AuditOutcome.Updated, "odoo", "10", ["Name"]),
        ],
        DeadLetters = [new OpenDeadLetter(Feed, "sf-2", "DeadLettered", "Not a valid customer: $.addresses[0].country")],
        Links = [new TargetLink("C1", "10"), new TargetLink("C2", "20")],
        PendingEvents = 0,
    };

    private static PublishedEvent Event(
        string id,
        string type,
        string customer,
        string flow,
        string run,
        string target,
        string[] changed,
        string name,
        string? email = null,
        (string Email, string Name)[]? contacts = null) =>
        new(id, "customer." + type, customer, flow, run, null, target, changed, name, email, contacts ?? []);
}
