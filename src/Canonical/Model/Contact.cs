using System.Collections.Immutable;

namespace Concord.Canonical;

/// <summary>A person who belongs to a company customer (Salesforce Contact, Odoo child partner of type contact).</summary>
public sealed record Contact
{
    /// <summary>The contact's canonical id, stable across systems; used as the external-id upsert key for the contact.</summary>
    public string? Id { get; init; }

    /// <summary>The contact's id in each system that holds it.</summary>
    public ImmutableArray<ExternalRef> ExternalRefs
    {
        get => _externalRefs;
        init => _externalRefs = value.IsDefault ? [] : value;
    }

    private readonly ImmutableArray<ExternalRef> _externalRefs = [];

    /// <summary>The display name.</summary>
    public required string Name { get; init; }

    /// <summary>The given (first) name, when the source splits names.</summary>
    public string? GivenName { get; init; }

    /// <summary>The family (last) name, when the source splits names.</summary>
    public string? FamilyName { get; init; }

    /// <summary>The job title or function.</summary>
    public string? JobTitle { get; init; }

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

    /// <summary>The preferred language, BCP 47 (for example <c>en-US</c>).</summary>
    public string? Language { get; init; }

    /// <inheritdoc />
    public bool Equals(Contact? other) =>
        other is not null
        && Id == other.Id
        && ExternalRefs.SequenceEqual(other.ExternalRefs)
        && Name == other.Name
        && GivenName == other.GivenName
        && FamilyName == other.FamilyName
        && JobTitle == other.JobTitle
        && Emails.SequenceEqual(other.Emails)
        && Phones.SequenceEqual(other.Phones)
        && Language == other.Language;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Id, Name, Emails.Length, Phones.Length);
}
