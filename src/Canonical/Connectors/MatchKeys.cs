using System.Collections.Immutable;

namespace Concord.Canonical.Connectors;

/// <summary>The keys a record is matched on to find an existing twin: tax ids, domain, emails and a reference.</summary>
public sealed record MatchKeys
{
    /// <summary>Tax identifiers (value and country match together).</summary>
    public ImmutableArray<TaxIdentifier> TaxIds { get; init; } = [];

    /// <summary>The normalised domain.</summary>
    public string? Domain { get; init; }

    /// <summary>Normalised email addresses.</summary>
    public ImmutableArray<string> Emails { get; init; } = [];

    /// <summary>A business reference the systems share (Odoo <c>ref</c>, an account number).</summary>
    public string? Reference { get; init; }

    /// <summary>Whether there is no key at all.</summary>
    public bool IsEmpty => TaxIds.IsDefaultOrEmpty && Domain is null && Emails.IsDefaultOrEmpty && Reference is null;

    /// <summary>The match keys of <paramref name="customer"/>: its tax ids, domain and emails.</summary>
    /// <param name="customer">The customer.</param>
    /// <returns>The keys.</returns>
    public static MatchKeys From(CanonicalCustomer customer)
    {
        ArgumentNullException.ThrowIfNull(customer);
        return new MatchKeys
        {
            TaxIds = customer.TaxIds,
            Domain = string.IsNullOrWhiteSpace(customer.Domain) ? null : customer.Domain,
            Emails = [.. customer.Emails.Select(e => e.Address)],
        };
    }

    /// <inheritdoc />
    public bool Equals(MatchKeys? other) =>
        other is not null && TaxIds.SequenceEqual(other.TaxIds) && Domain == other.Domain && Emails.SequenceEqual(other.Emails) && Reference == other.Reference;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Domain, Reference, TaxIds.Length, Emails.Length);
}
