namespace Concord.Canonical;

/// <summary>The field groups of a <see cref="Canonical.CanonicalCustomer"/> that ownership and survivorship are declared on.</summary>
public enum CustomerField
{
    /// <summary>Company or person.</summary>
    Kind,

    /// <summary>The display name.</summary>
    Name,

    /// <summary>The legal name.</summary>
    LegalName,

    /// <summary>Active or archived.</summary>
    Status,

    /// <summary>The contacts.</summary>
    Contacts,

    /// <summary>The billing address.</summary>
    BillingAddress,

    /// <summary>The shipping address.</summary>
    ShippingAddress,

    /// <summary>Addresses with the role <see cref="Canonical.AddressRole.Other"/>.</summary>
    OtherAddresses,

    /// <summary>Tax and registry identifiers.</summary>
    TaxIds,

    /// <summary>Email addresses.</summary>
    Emails,

    /// <summary>Phone numbers.</summary>
    Phones,

    /// <summary>The website and its normalised domain.</summary>
    Website,

    /// <summary>The lifecycle stage.</summary>
    LifecycleStage,

    /// <summary>Marketing consent.</summary>
    Consents,

    /// <summary>The currency.</summary>
    Currency,

    /// <summary>The language.</summary>
    Language,

    /// <summary>The tags.</summary>
    Tags,

    /// <summary>The note.</summary>
    Notes,

    /// <summary>Custom attributes.</summary>
    CustomAttributes,

    /// <summary>The main (registered office or home) address.</summary>
    MainAddress,
}
