using Concord.Canonical;
using Concord.Canonical.Connectors;
using Concord.Connectors.Odoo.Api;
using Concord.Connectors.Odoo.Api.Dtos;
using Concord.Connectors.Odoo.Mapping;

namespace Concord.Connectors.Odoo.Matching;

/// <summary>
/// One entry's <see cref="MatchKeys"/> as <c>res.partner</c> conditions: <c>vat in</c> its tax ids (company registry
/// numbers go to <c>company_registry in</c>), <c>email =ilike</c> each email, <c>website ilike</c> its domain and
/// <c>ref =</c> its reference. The same conditions are evaluated on the server (as a domain) and here (on the rows it
/// returns), so that one search for many entries can be split back into each entry's matches.
/// </summary>
internal sealed class PartnerMatchCriteria
{
    private PartnerMatchCriteria(MatchKeys keys)
    {
        Keys = keys;
        var taxIds = keys.TaxIds.IsDefaultOrEmpty ? [] : keys.TaxIds.Where(t => !string.IsNullOrWhiteSpace(t.Value)).ToArray();
        Vats = [.. taxIds.Where(t => t.Type != TaxIdType.CompanyRegistry).Select(t => t.Value).Distinct(StringComparer.Ordinal)];
        Registries = [.. taxIds.Where(t => t.Type == TaxIdType.CompanyRegistry).Select(t => t.Value).Distinct(StringComparer.Ordinal)];
        Emails = keys.Emails.IsDefaultOrEmpty ? [] : [.. keys.Emails.Where(e => !string.IsNullOrWhiteSpace(e)).Distinct(StringComparer.OrdinalIgnoreCase)];
        Domain = string.IsNullOrWhiteSpace(keys.Domain) ? null : keys.Domain;
        Reference = string.IsNullOrWhiteSpace(keys.Reference) ? null : keys.Reference;
    }

    public MatchKeys Keys { get; }

    public string[] Vats { get; }

    public string[] Registries { get; }

    public string[] Emails { get; }

    public string? Domain { get; }

    public string? Reference { get; }

    /// <summary>Whether there is no condition (blank values are no key): the entry matches nothing and costs no call.</summary>
    public bool IsEmpty => Vats.Length == 0 && Registries.Length == 0 && Emails.Length == 0 && Domain is null && Reference is null;

    /// <summary>The leaves this entry adds to a union domain besides the shared <c>in</c> lists: one per email and one for the domain.</summary>
    public int OwnLeaves => Emails.Length + (Domain is null ? 0 : 1);

    public static PartnerMatchCriteria From(MatchKeys keys) => new(keys);

    /// <summary>
    /// The alternatives of a search for every entry at once: the tax ids, registry numbers and references of all entries
    /// as one <c>in</c> leaf each, and one leaf per distinct email and domain (case-insensitively distinct, as the
    /// operators are).
    /// </summary>
    public static List<OdooDomain> Alternatives(IReadOnlyCollection<PartnerMatchCriteria> entries)
    {
        var alternatives = new List<OdooDomain>();
        var vats = entries.SelectMany(e => e.Vats).Distinct(StringComparer.Ordinal).ToArray();
        if (vats.Length > 0)
        {
            alternatives.Add(OdooDomain.Empty.WhereIn("vat", vats));
        }

        var registries = entries.SelectMany(e => e.Registries).Distinct(StringComparer.Ordinal).ToArray();
        if (registries.Length > 0)
        {
            alternatives.Add(OdooDomain.Empty.WhereIn("company_registry", registries));
        }

        foreach (var email in entries.SelectMany(e => e.Emails).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            alternatives.Add(OdooDomain.Empty.Where("email", "=ilike", email));
        }

        foreach (var domain in entries.Select(e => e.Domain).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase))
        {
            alternatives.Add(OdooDomain.Empty.Where("website", "ilike", domain));
        }

        var references = entries.Select(e => e.Reference).OfType<string>().Distinct(StringComparer.Ordinal).ToArray();
        if (references.Length > 0)
        {
            // ref = a OR ref = b is ref in [a, b] for non-empty values.
            alternatives.Add(OdooDomain.Empty.WhereIn("ref", references));
        }

        return alternatives;
    }

    /// <summary>Whether the server would return <paramref name="row"/> for this entry's conditions alone (the operators' SQL semantics).</summary>
    public bool Matches(PartnerRecord row)
    {
        if (row.Vat is { } vat && Vats.Contains(vat, StringComparer.Ordinal))
        {
            return true;
        }

        if (row.CompanyRegistry is { } registry && Registries.Contains(registry, StringComparer.Ordinal))
        {
            return true;
        }

        if (row.Email is { } email && Emails.Any(pattern => SqlLike.EqualsIgnoreCase(email, pattern)))
        {
            return true;
        }

        if (Domain is not null && SqlLike.ContainsIgnoreCase(row.Website, Domain))
        {
            return true;
        }

        return Reference is not null && string.Equals(row.Ref, Reference, StringComparison.Ordinal);
    }

    /// <summary>How well <paramref name="customer"/> matches: tax id and country 8, email 4, domain 2, reference 1, summed (best first).</summary>
    public int Score(CanonicalCustomer customer)
    {
        var score = 0;
        if (!Keys.TaxIds.IsDefaultOrEmpty && customer.TaxIds.Any(t => Keys.TaxIds.Any(k => k.Value == t.Value && k.Country == t.Country)))
        {
            score += 8;
        }

        if (!Keys.Emails.IsDefaultOrEmpty && customer.Emails.Any(e => Keys.Emails.Contains(e.Address)))
        {
            score += 4;
        }

        if (Keys.Domain is not null && customer.Domain == Keys.Domain)
        {
            score += 2;
        }

        if (Keys.Reference is not null && customer.CustomAttributes.TryGetValue(PartnerMapper.ReferenceAttribute, out var reference) && reference == Keys.Reference)
        {
            score += 1;
        }

        return score;
    }
}
