namespace Concord.Testing.Odoo.Internal;

/// <summary>The kind of an Odoo field, as <c>fields_get</c> reports it.</summary>
internal enum FieldKind
{
    Char,
    Text,
    Html,
    Boolean,
    Integer,
    Selection,
    Many2One,
    One2Many,
    Many2Many,
    Datetime,
}

/// <summary>One field of a simulated model.</summary>
internal sealed record OdooField(string Name, FieldKind Kind, string Label, string? Relation = null, bool ReadOnly = false, bool Required = false)
{
    public IReadOnlyList<(string Key, string Label)> Selection { get; init; } = [];

    public bool IsRelational => Kind is FieldKind.Many2One or FieldKind.One2Many or FieldKind.Many2Many;
}

/// <summary>A simulated model: its name, label and fields (the magic ones included).</summary>
internal sealed class OdooModel
{
    public OdooModel(string name, string label, IEnumerable<OdooField> fields, string defaultOrder = "id asc")
    {
        Name = name;
        Label = label;
        DefaultOrder = defaultOrder;
        Fields = fields
            .Append(new OdooField("id", FieldKind.Integer, "ID", ReadOnly: true))
            .Append(new OdooField("display_name", FieldKind.Char, "Display Name", ReadOnly: true))
            .Append(new OdooField("create_date", FieldKind.Datetime, "Created on", ReadOnly: true))
            .Append(new OdooField("write_date", FieldKind.Datetime, "Last Updated on", ReadOnly: true))
            .ToDictionary(f => f.Name, StringComparer.Ordinal);
    }

    public string Name { get; }

    public string Label { get; }

    public string DefaultOrder { get; }

    public IReadOnlyDictionary<string, OdooField> Fields { get; }

    public bool HasActive => Fields.ContainsKey("active");

    public OdooField Field(string name) =>
        Fields.TryGetValue(name, out var field) ? field : throw OdooFault.Value($"Invalid field '{name}' on model '{Name}'");

    public static IReadOnlyDictionary<string, OdooModel> Create(Version version, IReadOnlyList<string> languages)
    {
        var partner = new List<OdooField>
        {
            new("name", FieldKind.Char, "Name"),
            new("complete_name", FieldKind.Char, "Complete Name", ReadOnly: true),
            new("is_company", FieldKind.Boolean, "Is a Company"),
            new("active", FieldKind.Boolean, "Active"),
            new("type", FieldKind.Selection, "Address Type")
            {
                Selection = version.Major == 16
                    ? [("contact", "Contact"), ("invoice", "Invoice Address"), ("delivery", "Delivery Address"), ("private", "Private Address"), ("other", "Other Address")]
                    : [("contact", "Contact"), ("invoice", "Invoice Address"), ("delivery", "Delivery Address"), ("other", "Other Address")],
            },
            new("parent_id", FieldKind.Many2One, "Related Company", "res.partner"),
            new("child_ids", FieldKind.One2Many, "Contact", "res.partner"),
            new("commercial_partner_id", FieldKind.Many2One, "Commercial Entity", "res.partner", ReadOnly: true),
            new("vat", FieldKind.Char, "Tax ID"),
            new("company_registry", FieldKind.Char, "Company ID"),
            new("ref", FieldKind.Char, "Reference"),
            new("website", FieldKind.Char, "Website Link"),
            new("email", FieldKind.Char, "Email"),
            new("email_normalized", FieldKind.Char, "Normalized Email", ReadOnly: true),
            new("phone", FieldKind.Char, "Phone"),
            new("lang", FieldKind.Selection, "Language") { Selection = [.. languages.Select(l => (l, l))] },
            new("comment", FieldKind.Html, "Notes"),
            new("function", FieldKind.Char, "Job Position"),
            new("street", FieldKind.Char, "Street"),
            new("street2", FieldKind.Char, "Street2"),
            new("zip", FieldKind.Char, "Zip"),
            new("city", FieldKind.Char, "City"),
            new("state_id", FieldKind.Many2One, "State", "res.country.state"),
            new("country_id", FieldKind.Many2One, "Country", "res.country"),
            new("country_code", FieldKind.Char, "Country Code", ReadOnly: true),
            new("category_id", FieldKind.Many2Many, "Tags", "res.partner.category"),
            new("user_id", FieldKind.Many2One, "Salesperson", "res.users"),
        };

        // mobile left in saas-18.2 and title in saas-18.1: absent from 19.0.
        if (version.Major < 18 || (version.Major == 18 && version.Minor < 2))
        {
            partner.Add(new OdooField("mobile", FieldKind.Char, "Mobile"));
        }

        if (version.Major < 18 || (version.Major == 18 && version.Minor < 1))
        {
            partner.Add(new OdooField("title", FieldKind.Many2One, "Title", "res.partner.title"));
        }

        var models = new[]
        {
            new OdooModel("res.partner", "Contact", partner, "complete_name asc, id desc"),
            new OdooModel("res.country", "Country", [new("name", FieldKind.Char, "Country Name", Required: true), new("code", FieldKind.Char, "Country Code")], "name asc"),
            new OdooModel("res.country.state", "Country state",
                [new("name", FieldKind.Char, "State Name", Required: true), new("code", FieldKind.Char, "State Code", Required: true), new("country_id", FieldKind.Many2One, "Country", "res.country", Required: true)], "country_id asc, code asc"),
            new OdooModel("res.partner.category", "Partner Tags",
                [new("name", FieldKind.Char, "Name", Required: true), new("active", FieldKind.Boolean, "Active"), new("parent_id", FieldKind.Many2One, "Parent Category", "res.partner.category")], "name asc"),
            new OdooModel("res.lang", "Languages",
                [new("name", FieldKind.Char, "Name", Required: true), new("code", FieldKind.Char, "Locale Code", Required: true), new("iso_code", FieldKind.Char, "ISO code"), new("active", FieldKind.Boolean, "Active")], "active desc, name asc"),
            new OdooModel("ir.model.data", "Model Data",
                [new("module", FieldKind.Char, "Module", Required: true), new("name", FieldKind.Char, "External Identifier", Required: true), new("model", FieldKind.Char, "Model Name", Required: true),
                 new("res_id", FieldKind.Integer, "Record ID"), new("noupdate", FieldKind.Boolean, "Non Updatable"), new("complete_name", FieldKind.Char, "Complete ID", ReadOnly: true)], "module asc, model asc, name asc"),
        };
        return models.ToDictionary(m => m.Name, StringComparer.Ordinal);
    }
}
