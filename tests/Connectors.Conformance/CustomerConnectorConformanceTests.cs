using System.Globalization;
using Concord.Canonical;
using Concord.Canonical.Connectors;
using Concord.Canonical.Errors;
using Concord.Canonical.Idempotency;
using Concord.Sync.Ownership;
using Xunit;

namespace Concord.Connectors.Conformance;

/// <summary>
/// The contract every <see cref="ICustomerConnector"/> keeps, written against the interface only (in the manner of
/// Aspire's conformance tests): one result per input in input order, one bad record failing alone and keeping its place,
/// repeated upserts converging on one record, what was written reading back and appearing once in the change feed.
/// A connector's test project derives one class, says how to start the connector against a fresh simulated system and
/// which customer its vendor refuses, and inherits every fact.
/// </summary>
public abstract class CustomerConnectorConformanceTests : IAsyncLifetime
{
    private ICustomerConnector? _connector;

    /// <summary>The connector under test, started for each test.</summary>
    protected ICustomerConnector Connector => _connector ?? throw new InvalidOperationException("Not initialised.");

    /// <summary>Creates the connector under test against a fresh, empty simulated system.</summary>
    /// <returns>The connector.</returns>
    protected abstract Task<ICustomerConnector> CreateConnectorAsync();

    /// <summary>Releases what <see cref="CreateConnectorAsync"/> made.</summary>
    /// <returns>A task.</returns>
    protected abstract Task DisposeConnectorAsync();

    /// <summary>
    /// The requests the connector sent to the simulated system so far (the simulator's journal), for the facts that look
    /// at the wire.
    /// </summary>
    /// <returns>Method, path, headers (names case-insensitive) and body of each request, in order.</returns>
    protected abstract IReadOnlyList<SentRequest> SentRequests();

    /// <summary>A customer the vendor refuses for its data (a value it cannot take), with a canonical id.</summary>
    /// <param name="canonicalId">The canonical id.</param>
    /// <returns>The customer.</returns>
    protected abstract CanonicalCustomer RejectedCustomer(string canonicalId);

    /// <summary>A valid company, unique per <paramref name="canonicalId"/>, with <paramref name="contacts"/> contacts.</summary>
    /// <param name="canonicalId">The canonical id.</param>
    /// <param name="contacts">How many contacts.</param>
    /// <returns>The customer.</returns>
    /// <summary>
    /// Whether a contact adopted by its vendor id is updated rather than created again. True for every connector but one
    /// with a known, open defect; overriding it to false narrows <c>A_record_adopted_by_its_vendor_id_is_updated_never_created_again</c>
    /// to the customer record and must name the defect.
    /// </summary>
    protected virtual bool UpdatesAdoptedContactsByVendorId => true;

    protected virtual CanonicalCustomer ValidCustomer(string canonicalId, int contacts = 0) => new()
    {
        Kind = CustomerKind.Company,
        Name = "Conformance " + canonicalId,
        Website = $"https://{canonicalId}.conformance.example",
        Domain = $"{canonicalId}.conformance.example",
        Emails = [new EmailAddress { Address = $"office@{canonicalId}.conformance.example" }],
        Contacts = [.. Enumerable.Range(1, contacts).Select(i => new Contact
        {
            Id = string.Create(CultureInfo.InvariantCulture, $"{canonicalId}-c{i}"),
            Name = string.Create(CultureInfo.InvariantCulture, $"Grace Hopper{i}"),
            GivenName = "Grace",
            FamilyName = string.Create(CultureInfo.InvariantCulture, $"Hopper{i}"),
        })],
        Provenance = new Provenance { CanonicalId = canonicalId },
    };

    /// <summary>
    /// A valid company with every field group filled, for the carried-fields fact. Override to use values the vendor
    /// keeps for a group the connector carries (a custom attribute it maps, a country its simulator knows).
    /// </summary>
    /// <param name="canonicalId">The canonical id.</param>
    /// <returns>The customer.</returns>
    protected virtual CanonicalCustomer RichCustomer(string canonicalId) => ValidCustomer(canonicalId, contacts: 1) with
    {
        LegalName = "Conformance Rich GmbH",
        TaxIds = [new TaxIdentifier { Type = TaxIdType.Vat, Value = "DE811907980", Country = "DE" }],
        Phones = [new PhoneNumber { Raw = "+49 30 901820", E164 = "+4930901820", Use = ContactPointUse.Work }],
        Addresses =
        [
            new PostalAddress { Role = AddressRole.Main, Street = "Main Street 1", City = "Berlin", PostalCode = "10115", Country = "DE" },
            new PostalAddress { Role = AddressRole.Billing, Street = "Billing Street 2", City = "Hamburg", PostalCode = "20095", Country = "DE" },
            new PostalAddress { Role = AddressRole.Shipping, Street = "Dock 3", City = "Bremen", PostalCode = "28195", Country = "DE" },
            new PostalAddress { Role = AddressRole.Other, Name = "Warehouse", Street = "Yard 4", City = "Leipzig", PostalCode = "04109", Country = "DE" },
        ],
        LifecycleStage = LifecycleStage.Customer,
        Consents = [new ConsentRecord { Channel = ConsentChannel.Email, Status = ConsentStatus.Granted }],
        Currency = "EUR",
        Language = "de-DE",
        Tags = ["conformance"],
        Notes = "Written by the conformance suite.",
        CustomAttributes = RichAttributes,
    };

    /// <summary>The custom attributes of <see cref="RichCustomer"/>; override with keys the connector maps.</summary>
    protected virtual System.Collections.Immutable.ImmutableSortedDictionary<string, string> RichAttributes { get; } =
        System.Collections.Immutable.ImmutableSortedDictionary<string, string>.Empty.Add("conformance", "yes");

    /// <summary>
    /// Creates a record in the simulated system the way a person or another integration would, without Concord's key on
    /// it, and returns its vendor id. The default writes it through the connector under a canonical id of its own (a key
    /// the engine will replace when it adopts the record); override it to seed the simulator directly where the vendor
    /// lets a record exist without the key.
    /// </summary>
    /// <param name="customer">The record's data, its contacts included.</param>
    /// <returns>The record's id in the vendor.</returns>
    protected virtual async Task<string> CreateUnlinkedRecordAsync(CanonicalCustomer customer)
    {
        ArgumentNullException.ThrowIfNull(customer);
        var result = await Connector.UpsertAsync(Request(customer with { Provenance = new Provenance { CanonicalId = "theirs-" + customer.Provenance.CanonicalId } }));
        Assert.True(result.IsSuccess, result.Error?.Message);
        return result.ExternalId;
    }

    /// <summary>
    /// Called after a fact's writes and before it reads the change feed. A vendor whose feed holds back recent changes
    /// (Zendesk's incremental exports return a change only once it is a minute old) lets them settle here, by advancing
    /// its simulator's clock; the default does nothing.
    /// </summary>
    /// <returns>A task that completes when the changes written so far can be read.</returns>
    protected virtual Task LetChangesSettleAsync() => Task.CompletedTask;

    /// <inheritdoc />
    public async Task InitializeAsync() => _connector = await CreateConnectorAsync();

    /// <inheritdoc />
    public Task DisposeAsync() => DisposeConnectorAsync();

    [Fact]
    public void The_connector_builds_on_Concord_Canonical_only_never_on_the_sync_engine()
    {
        var references = Connector.GetType().Assembly.GetReferencedAssemblies().Select(a => a.Name).ToList();

        Assert.Contains("Concord.Canonical", references);
        Assert.DoesNotContain(references, name => name is not null && (name == "Concord.Sync" || name.StartsWith("Concord.Storage.", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task UpsertMany_returns_one_result_per_input_in_input_order()
    {
        var requests = Enumerable.Range(1, 7).Select(i => Request(ValidCustomer(string.Create(CultureInfo.InvariantCulture, $"order-{i}")))).ToList();

        var results = await Connector.UpsertManyAsync(requests);

        Assert.Equal(requests.Count, results.Count);
        Assert.All(results, r => Assert.Equal(UpsertOutcome.Created, r.Outcome));
        Assert.Equal(results.Count, results.Select(r => r.ExternalId).Distinct().Count());
        for (var i = 0; i < requests.Count; i++)
        {
            var read = await Connector.GetAsync(results[i].ExternalId!);
            Assert.Equal(requests[i].Customer.Name, read?.Name);
        }
    }

    [Fact]
    public async Task One_rejected_record_fails_alone_and_keeps_its_place()
    {
        var requests = new[]
        {
            Request(ValidCustomer("iso-1")),
            Request(RejectedCustomer("iso-2")),
            Request(ValidCustomer("iso-3")),
        };

        var results = await Connector.UpsertManyAsync(requests);

        Assert.Equal(3, results.Count);
        Assert.True(results[0].IsSuccess);
        Assert.Equal(UpsertOutcome.Failed, results[1].Outcome);
        Assert.True(results[1].Error!.IsRecordLevel);
        Assert.True(results[2].IsSuccess);
        Assert.NotEqual(results[0].ExternalId, results[2].ExternalId);
    }

    [Fact]
    public async Task Upsert_repeated_unchanged_converges_on_one_record()
    {
        var request = Request(ValidCustomer("repeat-1"));

        var first = await Connector.UpsertAsync(request);
        var second = await Connector.UpsertAsync(request);

        Assert.Equal(UpsertOutcome.Created, first.Outcome);
        Assert.True(second.IsSuccess);
        Assert.NotEqual(UpsertOutcome.Created, second.Outcome);
        Assert.Equal(first.ExternalId, second.ExternalId);
    }

    [Fact]
    public async Task Upsert_sent_twice_creates_one_record_then_updates_it()
    {
        var customer = ValidCustomer("twice-1", contacts: 2);

        var first = await Connector.UpsertAsync(Request(customer));
        var second = await Connector.UpsertAsync(Request(customer with { Name = "Renamed" }));

        Assert.Equal(UpsertOutcome.Created, first.Outcome);
        Assert.Equal(UpsertOutcome.Updated, second.Outcome);
        Assert.Equal(first.ExternalId, second.ExternalId);
        Assert.Equal(first.ContactExternalIds.OrderBy(p => p.Key), second.ContactExternalIds.OrderBy(p => p.Key));
        var read = await Connector.GetAsync(first.ExternalId!);
        Assert.Equal("Renamed", read!.Name);
        Assert.Equal(2, read.Contacts.Length);
    }

    [Fact]
    public async Task Written_customer_appears_in_the_change_feed_once()
    {
        var result = await Connector.UpsertAsync(Request(ValidCustomer("feed-1", contacts: 1)));

        await LetChangesSettleAsync();
        var changes = new List<CustomerChange>();
        await foreach (var change in Connector.ReadChangesAsync(null))
        {
            changes.Add(change);
        }

        var mine = Assert.Single(changes, c => c.ExternalId == result.ExternalId);
        Assert.Equal(ChangeKind.Upserted, mine.Kind);
        Assert.Equal(result.ExternalId, mine.Customer!.Provenance.ExternalIdIn(Connector.Name));
        Assert.Single(mine.Customer.Contacts);
    }

    [Fact]
    public async Task A_record_with_every_field_group_reads_back_with_exactly_the_groups_the_connector_carries()
    {
        var result = await Connector.UpsertAsync(Request(RichCustomer("rich-1")));
        var read = await Connector.GetAsync(result.ExternalId!);

        Assert.NotNull(read);
        // Kind and status always have a value, so reading one back says nothing about whether the vendor keeps it.
        var groups = CustomerFields.All.Where(f => f is not CustomerField.Kind and not CustomerField.Status).ToList();
        var filled = groups.Where(f => !CustomerFields.IsEmpty(f, read)).ToHashSet();
        var carried = groups.Where(Connector.Capabilities.Carries).ToHashSet();

        // A group declared but not read back would let a flow from this connector erase the target's value with an empty
        // one; a group read back but not declared would be kept from the target instead of taken from this source.
        Assert.Empty(carried.Except(filled));
        Assert.Empty(filled.Except(carried));
    }

    [Fact]
    public async Task GetMany_answers_one_entry_per_id_in_input_order_with_null_for_an_unknown_id()
    {
        var written = await Connector.UpsertManyAsync([Request(ValidCustomer("many-1")), Request(ValidCustomer("many-2"))]);
        var first = written[0].ExternalId!;
        var second = written[1].ExternalId!;

        var read = await Connector.GetManyAsync([second, "999999999", first, second]);

        Assert.Equal(4, read.Count);
        Assert.Equal(["Conformance many-2", null, "Conformance many-1", "Conformance many-2"], read.Select(c => c?.Name));
        Assert.Equal(second, read[0]!.Provenance.ExternalIdIn(Connector.Name));
    }

    [Fact]
    public async Task FindMany_answers_each_entry_as_FindAsync_would_for_its_keys()
    {
        await Connector.UpsertManyAsync([Request(ValidCustomer("twin-1")), Request(ValidCustomer("twin-2"))]);
        MatchKeys[] keys =
        [
            MatchKeys.From(ValidCustomer("twin-2")),
            new MatchKeys(),
            MatchKeys.From(ValidCustomer("nobody")),
            MatchKeys.From(ValidCustomer("twin-1")),
            MatchKeys.From(ValidCustomer("twin-2")),
        ];

        var many = await Connector.FindManyAsync(keys);

        Assert.Equal(keys.Length, many.Count);
        for (var i = 0; i < keys.Length; i++)
        {
            var one = await Connector.FindAsync(keys[i]);
            Assert.Equal(one.Select(c => c.Provenance.ExternalIdIn(Connector.Name)), many[i].Select(c => c.Provenance.ExternalIdIn(Connector.Name)));
        }

        Assert.Equal(["Conformance twin-2"], many[0].Select(c => c.Name));
        Assert.Empty(many[1]);
        Assert.Empty(many[2]);
    }

    [Fact]
    public async Task A_record_adopted_by_its_vendor_id_is_updated_never_created_again()
    {
        var vendorId = await CreateUnlinkedRecordAsync(ValidCustomer("adopt-1", contacts: 1));
        var found = await Connector.GetAsync(vendorId);
        Assert.NotNull(found);
        var vendorContactId = Assert.Single(found.Contacts).ExternalRefs.Single(r => r.System == Connector.Name).Id;

        // The engine matched the record, gave it (and its contact) a canonical id and knows its id here; the contact keeps
        // the vendor id it was read with.
        var adopted = found with
        {
            Name = "Adopted",
            Provenance = new Provenance { CanonicalId = "adopted-1", ExternalRefs = [new ExternalRef(Connector.Name, vendorId)] },
            Contacts = [found.Contacts[0] with { Id = "adopted-1-c1" }],
        };
        var first = await Connector.UpsertAsync(Request(adopted) with { KnownExternalId = vendorId });
        var again = await Connector.UpsertAsync(Request(adopted with { Name = "Adopted again" }) with { KnownExternalId = vendorId });

        // Without the known id (an identity map rebuilt, another flow), the canonical id it now carries finds it.
        var keyed = await Connector.UpsertAsync(Request(adopted with { Name = "Adopted by key" }));

        foreach (var result in new[] { first, again, keyed })
        {
            Assert.True(result.IsSuccess, result.Error?.Message);
            Assert.NotEqual(UpsertOutcome.Created, result.Outcome);
            Assert.Equal(vendorId, result.ExternalId);
            if (UpdatesAdoptedContactsByVendorId)
            {
                Assert.Equal(vendorContactId, result.ContactExternalIds["adopted-1-c1"]);
            }
        }

        var read = await Connector.GetAsync(vendorId);
        Assert.Equal("Adopted by key", read!.Name);
        if (UpdatesAdoptedContactsByVendorId)
        {
            Assert.Equal(vendorContactId, Assert.Single(read.Contacts).ExternalRefs.Single(r => r.System == Connector.Name).Id);
        }
        var records = new HashSet<string>(StringComparer.Ordinal);
        await LetChangesSettleAsync();
        await foreach (var change in Connector.ReadChangesAsync(null))
        {
            if (change.Kind == ChangeKind.Upserted)
            {
                records.Add(change.ExternalId);
            }
        }

        Assert.Equal([vendorId], records);
    }

    [Fact]
    public async Task Empty_batch_returns_no_results()
    {
        Assert.Empty(await Connector.UpsertManyAsync([]));
    }

    [Fact]
    public async Task Upsert_without_canonical_id_is_a_validation_failure_not_an_exception()
    {
        var customer = ValidCustomer("no-id") with { Provenance = new Provenance() };

        var result = await Connector.UpsertAsync(Request(customer));

        Assert.Equal(UpsertOutcome.Failed, result.Outcome);
        Assert.Equal(ErrorCategory.Validation, result.Error!.Category);
    }

    /// <summary>
    /// Every request with a body carries its length and is not chunked: a proxy or gateway that reads only
    /// <c>Content-Length</c> (common in front of Odoo) would otherwise wait for the body's end until the vendor gives up.
    /// </summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task Every_request_with_a_body_carries_its_length_and_is_not_chunked()
    {
        await Connector.UpsertManyAsync([Request(ValidCustomer("wire-1", contacts: 1)), Request(ValidCustomer("wire-2"))]);
        await Connector.FindManyAsync([MatchKeys.From(ValidCustomer("wire-3"))]);

        var withBody = SentRequests().Where(r => r.Method is "POST" or "PUT" or "PATCH").ToList();
        Assert.NotEmpty(withBody);
        Assert.All(withBody, r =>
        {
            Assert.True(r.Headers.TryGetValue("Content-Length", out var length), $"{r.Method} {r.Path} was sent without Content-Length.");
            Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(r.Body ?? string.Empty).ToString(CultureInfo.InvariantCulture), length);
            Assert.False(r.Headers.ContainsKey("Transfer-Encoding"), $"{r.Method} {r.Path} was sent chunked.");
        });
    }

    /// <summary>An upsert request for <paramref name="customer"/> with a key derived from its canonical id.</summary>
    /// <param name="customer">The customer.</param>
    /// <returns>The request.</returns>
    protected static UpsertRequest Request(CanonicalCustomer customer) => new()
    {
        Customer = customer,
        IdempotencyKey = IdempotencyKey.From("conformance-" + (customer.Provenance.CanonicalId ?? "none")),
    };
}

/// <summary>One request a connector sent, as the simulated system received it.</summary>
/// <param name="Method">The HTTP method, upper case.</param>
/// <param name="Path">The path.</param>
/// <param name="Headers">The headers, names case-insensitive.</param>
/// <param name="Body">The body, or null.</param>
public sealed record SentRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string? Body);
