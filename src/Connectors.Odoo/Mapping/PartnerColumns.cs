namespace Concord.Connectors.Odoo.Mapping;

/// <summary>
/// The <c>load</c> columns of one level. Contacts never carry address columns (writing an address on a contact child
/// overwrites its parent's), and <c>mobile</c> is left out on servers that no longer have it (saas-18.2+, 19.0).
/// </summary>
internal sealed class PartnerColumns
{
    private PartnerColumns(PartnerLevel level, IReadOnlyList<string> fields)
    {
        Level = level;
        Fields = fields;
        Accessors = [.. fields.Select(PartnerVals.Accessor)];
    }

    public PartnerLevel Level { get; }

    /// <summary>The value columns, without the key column (<c>id</c> or <c>.id</c>), which comes first in every row.</summary>
    public IReadOnlyList<string> Fields { get; }

    /// <summary>The cell readers of <see cref="Fields"/>, in order.</summary>
    public Func<PartnerVals, string>[] Accessors { get; }

    public static PartnerColumns For(PartnerLevel level, bool hasMobile) => (level, hasMobile) switch
    {
        (PartnerLevel.Root, true) => RootWithMobile,
        (PartnerLevel.Root, false) => Root,
        (PartnerLevel.Contact, true) => ContactWithMobile,
        (PartnerLevel.Contact, false) => Contact,
        _ => Address,
    };

    /// <summary>The header for <c>load</c>: the key column, then <see cref="Fields"/>.</summary>
    public string[] Header(string keyColumn)
    {
        var header = new string[Fields.Count + 1];
        header[0] = keyColumn;
        for (var i = 0; i < Fields.Count; i++)
        {
            header[i + 1] = Fields[i];
        }

        return header;
    }

    private static readonly PartnerColumns Root = new(PartnerLevel.Root,
    [
        "name", "is_company", "vat", "company_registry", "ref", "website", "email", "phone", "lang", "comment",
        "street", "street2", "zip", "city", "country_id/.id", "state_id/.id", "category_id/.id", "active",
    ]);

    private static readonly PartnerColumns RootWithMobile = new(PartnerLevel.Root, [.. Root.Fields, "mobile"]);

    private static readonly PartnerColumns Contact = new(PartnerLevel.Contact,
    [
        "parent_id/.id", "type", "is_company", "name", "function", "email", "phone", "lang", "active",
    ]);

    private static readonly PartnerColumns ContactWithMobile = new(PartnerLevel.Contact, [.. Contact.Fields, "mobile"]);

    private static readonly PartnerColumns Address = new(PartnerLevel.Address,
    [
        "parent_id/.id", "type", "is_company", "name", "street", "street2", "zip", "city", "country_id/.id", "state_id/.id", "active",
    ]);
}

/// <summary>The levels of an upsert, written in this order so that every parent exists before its children.</summary>
internal enum PartnerLevel
{
    /// <summary>Companies and standalone persons.</summary>
    Root,

    /// <summary>People of a company (<c>type</c> contact, no address).</summary>
    Contact,

    /// <summary>Billing, shipping and other addresses (<c>type</c> invoice, delivery, other).</summary>
    Address,
}
