using System.Collections.Immutable;
using Concord.Canonical.Internal;
using Concord.Canonical.Serialization;

namespace Concord.Canonical;

/// <summary>
/// The canonical customer (<c>customer.v1</c>): an account, company or person, with its contacts,
/// addresses, identifiers, contact points, lifecycle, consent and provenance. Immutable, with value
/// equality; build changed copies with <c>with</c>.
/// </summary>
/// <remarks>
/// The JSON form is described by the embedded schema <c>customer.v1.schema.json</c>
/// and produced by <see cref="CanonicalJson"/>.
/// </remarks>
public sealed record CanonicalCustomer
{
    /// <summary>The schema version this type implements.</summary>
    public const string CurrentSchemaVersion = "customer.v1";

    /// <summary>The schema version of this document.</summary>
    /// <value>The default value is <c>customer.v1</c>.</value>
    public string SchemaVersion
    {
        get => _schemaVersion;
        init => _schemaVersion = value ?? CurrentSchemaVersion;
    }

    private readonly string _schemaVersion = CurrentSchemaVersion;

    /// <summary>Company or person.</summary>
    public required CustomerKind Kind { get; init; }

    /// <summary>The display name (company name, or the person's full name).</summary>
    public required string Name { get; init; }

    /// <summary>The registered legal name of a company, when it differs from <see cref="Name"/>.</summary>
    public string? LegalName { get; init; }

    /// <summary>Active or archived in the source system.</summary>
    /// <value>The default value is <see cref="CustomerStatus.Active"/>.</value>
    public CustomerStatus Status { get; init; } = CustomerStatus.Active;

    /// <summary>The people who belong to a company customer.</summary>
    public ImmutableArray<Contact> Contacts
    {
        get => _contacts;
        init => _contacts = value.IsDefault ? [] : value;
    }

    private readonly ImmutableArray<Contact> _contacts = [];

    /// <summary>Postal addresses by role.</summary>
    public ImmutableArray<PostalAddress> Addresses
    {
        get => _addresses;
        init => _addresses = value.IsDefault ? [] : value;
    }

    private readonly ImmutableArray<PostalAddress> _addresses = [];

    /// <summary>Tax and registry identifiers with their issuing country.</summary>
    public ImmutableArray<TaxIdentifier> TaxIds
    {
        get => _taxIds;
        init => _taxIds = value.IsDefault ? [] : value;
    }

    private readonly ImmutableArray<TaxIdentifier> _taxIds = [];

    /// <summary>Email addresses, primary first.</summary>
    public ImmutableArray<EmailAddress> Emails
    {
        get => _emails;
        init => _emails = value.IsDefault ? [] : value;
    }

    private readonly ImmutableArray<EmailAddress> _emails = [];

    /// <summary>Phone numbers, primary first.</summary>
    public ImmutableArray<PhoneNumber> Phones
    {
        get => _phones;
        init => _phones = value.IsDefault ? [] : value;
    }

    private readonly ImmutableArray<PhoneNumber> _phones = [];

    /// <summary>The website as the source held it.</summary>
    public string? Website { get; init; }

    /// <summary>The normalised domain derived from <see cref="Website"/> (lower case, no scheme, no <c>www.</c>).</summary>
    public string? Domain { get; init; }

    /// <summary>Where the customer stands in the commercial lifecycle.</summary>
    public LifecycleStage? LifecycleStage { get; init; }

    /// <summary>Marketing consent, one record per channel.</summary>
    public ImmutableArray<ConsentRecord> Consents
    {
        get => _consents;
        init => _consents = value.IsDefault ? [] : value;
    }

    private readonly ImmutableArray<ConsentRecord> _consents = [];

    /// <summary>The customer's currency, ISO 4217 (for example <c>EUR</c>).</summary>
    public string? Currency { get; init; }

    /// <summary>The preferred language, BCP 47 (for example <c>fr-BE</c>).</summary>
    public string? Language { get; init; }

    /// <summary>Free-form tags (Odoo categories, Zendesk tags).</summary>
    public ImmutableArray<string> Tags
    {
        get => _tags;
        init => _tags = value.IsDefault ? [] : value;
    }

    private readonly ImmutableArray<string> _tags = [];

    /// <summary>A free-form note (Odoo <c>comment</c>, Salesforce <c>Description</c>).</summary>
    public string? Notes { get; init; }

    /// <summary>Custom attributes by name; values are strings in their invariant-culture form.</summary>
    public ImmutableSortedDictionary<string, string> CustomAttributes
    {
        get => _customAttributes;
        init => _customAttributes = value is null ? EmptyAttributes
            : ReferenceEquals(value.KeyComparer, StringComparer.Ordinal) && ReferenceEquals(value.ValueComparer, StringComparer.Ordinal) ? value
            : value.WithComparers(StringComparer.Ordinal, StringComparer.Ordinal);
    }

    private static readonly ImmutableSortedDictionary<string, string> EmptyAttributes = ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal, StringComparer.Ordinal);

    private readonly ImmutableSortedDictionary<string, string> _customAttributes = EmptyAttributes;

    /// <summary>Where this record comes from; excluded from the content fingerprint.</summary>
    public Provenance Provenance
    {
        get => _provenance;
        init => _provenance = value ?? new Provenance();
    }

    private readonly Provenance _provenance = new();

    /// <summary>Returns the address with <paramref name="role"/>, or null.</summary>
    /// <param name="role">The role to look for.</param>
    /// <returns>The first address with that role, or null.</returns>
    public PostalAddress? AddressFor(AddressRole role)
    {
        foreach (var address in Addresses)
        {
            if (address.Role == role)
            {
                return address;
            }
        }

        return null;
    }

    /// <inheritdoc />
    public bool Equals(CanonicalCustomer? other) =>
        other is not null
        && SchemaVersion == other.SchemaVersion
        && Kind == other.Kind
        && Name == other.Name
        && LegalName == other.LegalName
        && Status == other.Status
        && Contacts.SequenceEqual(other.Contacts)
        && Addresses.SequenceEqual(other.Addresses)
        && TaxIds.SequenceEqual(other.TaxIds)
        && Emails.SequenceEqual(other.Emails)
        && Phones.SequenceEqual(other.Phones)
        && Website == other.Website
        && Domain == other.Domain
        && LifecycleStage == other.LifecycleStage
        && Consents.SequenceEqual(other.Consents)
        && Currency == other.Currency
        && Language == other.Language
        && Tags.SequenceEqual(other.Tags)
        && Notes == other.Notes
        && DictionaryEquality.Equal(CustomAttributes, other.CustomAttributes)
        && Provenance.Equals(other.Provenance);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Kind, Name, Provenance.CanonicalId, Contacts.Length, Addresses.Length, TaxIds.Length);
}
