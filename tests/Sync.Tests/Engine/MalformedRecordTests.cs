using System.Collections.Immutable;
using Concord.Canonical;
using Concord.Canonical.Errors;
using Concord.Canonical.Schema;
using Concord.Sync.Audit;
using Concord.Sync.DeadLetters;
using Concord.Sync.Flows;
using Concord.Sync.Tests.Engine.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Concord.Sync.Tests.Engine;

/// <summary>One bad record never stops a feed, and every input gets an answer (issue 11, §4).</summary>
public sealed class MalformedRecordTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);

    public static TheoryData<string, string> NullEntries => new()
    {
        { "contacts", "$.contacts[1]" },
        { "taxIds", "$.taxIds[0]" },
        { "emails", "$.emails[0]" },
        { "phones", "$.phones[0]" },
        { "addresses", "$.addresses[1]" },
        { "contactEmails", "$.contacts[0].emails[0]" },
        { "contactPhones", "$.contacts[0].phones[0]" },
        { "consents", "$.consents[0]" },
        { "tags", "$.tags[0]" },
        { "externalRefs", "$.provenance.externalRefs[0]" },
    };

    public static TheoryData<string, string> BadCharacters => new()
    {
        { "name-nul", "$.name" },
        { "notes-nul", "$.notes" },
        { "street-lone-high-surrogate", "$.addresses[0].street" },
        { "contact-lone-low-surrogate", "$.contacts[0].name" },
        { "email-nul", "$.emails[0].address" },
        { "attribute-lone-surrogate", "$.customAttributes.note" },
    };

    [Theory]
    [MemberData(nameof(NullEntries))]
    public async Task A_null_entry_in_a_list_dead_letters_that_record_and_the_feed_moves_on(string list, string path)
    {
        var (harness, crm, erp) = Create();
        using var _ = harness;
        crm.Emit(WithNullEntry(Customers.Company(1), list), T0, id: "bad");
        crm.Emit(Customers.Company(2), T0.AddMinutes(1), id: "good-1");
        crm.Emit(Customers.Company(3), T0.AddMinutes(2), id: "good-2");

        var first = await harness.Flow().RunOnceAsync();
        var second = await harness.Flow().RunOnceAsync();

        Assert.Equal((3, 2, 1, false), (first.Read, first.Created, first.DeadLettered, first.Stopped));
        Assert.Equal("3", (await harness.Cursors.GetAsync("flow", "crm"))!.Cursor.Value);
        Assert.Equal(0, second.Read);
        var deadLetter = Assert.Single(await harness.DeadLettersAsync());
        Assert.Equal(("bad", ErrorCategory.Validation, DeadLetterStatus.DeadLettered), (deadLetter.SourceExternalId, deadLetter.Category, deadLetter.Status));
        Assert.Contains(path, deadLetter.Reason, StringComparison.Ordinal);
        Assert.Equal(2, erp.Records.Count);
    }

    [Theory]
    [MemberData(nameof(NullEntries))]
    public async Task Submitting_a_record_with_a_null_entry_answers_with_a_validation_dead_letter(string list, string path)
    {
        var erp = new FakeCustomerConnector("erp");
        using var harness = new EngineHarness(c => c.AddFlow("flow", f => f.FromHost("crm").To("erp")), null, erp);
        var customer = WithNullEntry(Customers.Company(1), list) is var bad && list == "externalRefs"
            ? bad with { Provenance = bad.Provenance with { CanonicalId = "c-1" } }
            : bad with { Provenance = bad.Provenance.WithExternalRef(new ExternalRef("crm", "r1")) };

        var result = await harness.Flow().SubmitAsync(customer);

        Assert.Equal((AuditOutcome.DeadLettered, ErrorCategory.Validation), (result.Outcome, result.ErrorCategory));
        Assert.Contains(path, result.Reason, StringComparison.Ordinal);
        Assert.NotNull(result.DeadLetterId);
        Assert.Empty(erp.Records);
    }

    [Fact]
    public async Task Submitting_many_records_with_bad_ones_among_them_answers_for_each()
    {
        var erp = new FakeCustomerConnector("erp");
        using var harness = new EngineHarness(c => c.AddFlow("flow", f => f.FromHost("crm").To("erp")), null, erp);
        var records = Enumerable.Range(0, 6)
            .Select(i => (i % 2 == 0 ? WithNullEntry(Customers.Company(i), "contacts") : Customers.Company(i)) is var c
                ? c with { Provenance = c.Provenance.WithExternalRef(new ExternalRef("crm", $"r{i}")) }
                : null!)
            .ToList();

        var summary = await harness.Flow().SubmitManyAsync(records);

        Assert.Equal((6, 3, 3), (summary.Read, summary.Created, summary.DeadLettered));
        Assert.Equal(3, erp.Records.Count);
    }

    [Theory]
    [MemberData(nameof(BadCharacters))]
    public async Task Lone_surrogates_and_NUL_characters_are_refused_by_validation_and_never_written(string where, string path)
    {
        var (harness, crm, erp) = Create();
        using var _ = harness;
        crm.Emit(WithBadCharacter(Customers.Company(1), where), T0, id: "bad");
        crm.Emit(Customers.Company(2), T0.AddMinutes(1), id: "good");

        var summary = await harness.Flow().RunOnceAsync();

        Assert.Equal((2, 1, 1), (summary.Read, summary.Created, summary.DeadLettered));
        var deadLetter = Assert.Single(await harness.DeadLettersAsync());
        Assert.Equal(("bad", ErrorCategory.Validation), (deadLetter.SourceExternalId, deadLetter.Category));
        Assert.Contains(path, deadLetter.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(erp.Records.Values, r => r.Name == "Company 1");
        Assert.Equal("2", (await harness.Cursors.GetAsync("flow", "crm"))!.Cursor.Value);
    }

    [Fact]
    public async Task Anything_that_goes_wrong_preparing_one_record_dead_letters_that_record_with_a_typed_reason()
    {
        var crm = new FakeCustomerConnector("crm");
        var erp = new FakeCustomerConnector("erp");
        using var harness = new EngineHarness(
            c => c.AddFlow("flow", f => f.From("crm").To("erp")),
            s => s.AddSingleton<ICustomerSchemaValidator>(new ThrowingValidator("Company 1")),
            crm,
            erp);
        crm.Emit(Customers.Company(1), T0, id: "bad");
        crm.Emit(Customers.Company(2), T0.AddMinutes(1), id: "good");

        var summary = await harness.Flow().RunOnceAsync();

        Assert.Equal((2, 1, 1, false), (summary.Read, summary.Created, summary.DeadLettered, summary.Stopped));
        var deadLetter = Assert.Single(await harness.DeadLettersAsync());
        Assert.Equal(("bad", ErrorCategory.Validation), (deadLetter.SourceExternalId, deadLetter.Category));
        Assert.Contains("could not be prepared", deadLetter.Reason, StringComparison.Ordinal);
        Assert.Contains(nameof(InvalidOperationException), deadLetter.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_large_page_with_a_bad_record_is_handled_record_by_record()
    {
        // 100 records: prepared in parallel (the threshold is 64), so a failure must not escape as an AggregateException.
        var (harness, crm, erp) = Create();
        using var _ = harness;
        for (var i = 0; i < 100; i++)
        {
            var customer = Customers.Company(i);
            crm.Emit(i == 50 ? WithNullEntry(customer, "emails") : customer, T0.AddSeconds(i), id: $"r{i}");
        }

        var summary = await harness.Flow().RunOnceAsync();

        Assert.Equal((100, 99, 1), (summary.Read, summary.Created, summary.DeadLettered));
        Assert.Equal("r50", Assert.Single(await harness.DeadLettersAsync()).SourceExternalId);
    }

    private static (EngineHarness Harness, FakeCustomerConnector Crm, FakeCustomerConnector Erp) Create()
    {
        var crm = new FakeCustomerConnector("crm");
        var erp = new FakeCustomerConnector("erp");
        var harness = new EngineHarness(c => c.AddFlow("flow", f => f.From("crm").To("erp")), null, crm, erp);
        return (harness, crm, erp);
    }

    private static CanonicalCustomer WithNullEntry(CanonicalCustomer customer, string list) => list switch
    {
        "contacts" => customer with { Contacts = [new Contact { Name = "Ada" }, null!] },
        "taxIds" => customer with { TaxIds = [null!] },
        "emails" => customer with { Emails = [null!] },
        "phones" => customer with { Phones = [null!] },
        "addresses" => customer with { Addresses = [.. customer.Addresses, null!] },
        "contactEmails" => customer with { Contacts = [new Contact { Name = "Ada", Emails = [null!] }] },
        "contactPhones" => customer with { Contacts = [new Contact { Name = "Ada", Phones = [null!] }] },
        "consents" => customer with { Consents = [null!] },
        "tags" => customer with { Tags = [null!] },
        "externalRefs" => customer with { Provenance = customer.Provenance with { ExternalRefs = [null!] } },
        _ => throw new ArgumentOutOfRangeException(nameof(list)),
    };

    private static CanonicalCustomer WithBadCharacter(CanonicalCustomer customer, string where) => where switch
    {
        "name-nul" => customer with { Name = "Company\0 1" },
        "notes-nul" => customer with { Notes = "note\0" },
        "street-lone-high-surrogate" => customer with { Addresses = [new PostalAddress { Role = AddressRole.Main, Street = "Main \uD800 St", City = "Berlin", Country = "DE" }] },
        "contact-lone-low-surrogate" => customer with { Contacts = [new Contact { Name = "A\uDC00da" }] },
        "email-nul" => customer with { Emails = [new EmailAddress { Address = "ada\0@example.com" }] },
        "attribute-lone-surrogate" => customer with { CustomAttributes = ImmutableSortedDictionary<string, string>.Empty.Add("note", "x\uD83D") },
        _ => throw new ArgumentOutOfRangeException(nameof(where)),
    };

    private sealed class ThrowingValidator(string name) : ICustomerSchemaValidator
    {
        public SchemaValidationResult Validate(string json) =>
            json.Contains(name, StringComparison.Ordinal) ? throw new InvalidOperationException("boom") : SchemaValidationResult.Valid;

        public SchemaValidationResult Validate(ReadOnlySpan<byte> utf8Json) => Validate(System.Text.Encoding.UTF8.GetString(utf8Json));
    }
}
