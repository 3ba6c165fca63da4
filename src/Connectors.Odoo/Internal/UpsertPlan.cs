using Concord.Canonical;
using Concord.Canonical.Connectors;
using Concord.Canonical.Errors;
using Concord.Connectors.Odoo.Api.Dtos;
using Concord.Connectors.Odoo.Mapping;

namespace Concord.Connectors.Odoo.Internal;

/// <summary>One partner to write (a customer's root, one of its contacts or addresses) and what is known about it in Odoo.</summary>
internal class PartnerPlan
{
    public PartnerPlan(PartnerLevel level, string xmlName, string path)
    {
        Level = level;
        XmlName = xmlName;
        Path = path;
    }

    public PartnerLevel Level { get; }

    /// <summary>The <c>ir.model.data</c> name (without the module).</summary>
    public string XmlName { get; }

    /// <summary>The canonical JSON path of what this partner holds (<c>$</c>, <c>$.contacts[1]</c>, <c>$.addresses[2]</c>).</summary>
    public string Path { get; }

    public PartnerVals? Vals { get; set; }

    /// <summary>The partner in Odoo, once known (resolved, adopted or written).</summary>
    public long? PartnerId { get; set; }

    /// <summary>The partner as Odoo holds it now, when it exists.</summary>
    public PartnerRecord? Current { get; set; }

    /// <summary>Whether our external id already pointed at the partner before this call.</summary>
    public bool HasExternalId { get; set; }

    /// <summary>Whether the partner existed before this call (by external id or adopted).</summary>
    public bool Existed { get; set; }

    /// <summary>How an existing partner without our external id was matched (<c>vat</c>, <c>email</c>, ...), when adopted.</summary>
    public string? AdoptedBy { get; set; }

    public bool Written { get; set; }

    /// <summary>Whether the customer's language was left out because Odoo has not installed it (an existing partner keeps its own).</summary>
    public bool LanguageDropped { get; set; }

    public ConcordException? Failure { get; set; }
}

/// <summary>One customer of an upsert: its root partner, its children and its result.</summary>
internal sealed class CustomerPlan : PartnerPlan
{
    public CustomerPlan(int index, UpsertRequest request, CanonicalCustomer customer, string canonicalId)
        : base(PartnerLevel.Root, ExternalIdNames.Customer(canonicalId), "$")
    {
        Index = index;
        Request = request;
        Customer = customer;
        CanonicalId = canonicalId;
    }

    public int Index { get; }

    public UpsertRequest Request { get; }

    public CanonicalCustomer Customer { get; }

    public string CanonicalId { get; }

    public List<ChildPlan> Children { get; } = [];

    public IEnumerable<PartnerPlan> All => Children.Prepend<PartnerPlan>(this);
}

/// <summary>A contact or an address of a customer.</summary>
internal sealed class ChildPlan : PartnerPlan
{
    public ChildPlan(CustomerPlan owner, PartnerLevel level, string xmlName, string path)
        : base(level, xmlName, path)
    {
        Owner = owner;
    }

    public CustomerPlan Owner { get; }

    public Contact? Contact { get; init; }

    public PostalAddress? Address { get; init; }
}
