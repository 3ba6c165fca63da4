namespace Concord.Testing.HubSpot.Internal;

/// <summary>The standard company and contact properties of facts page §6, with the types and options the simulator checks.</summary>
internal static class StandardProperties
{
    /// <summary>HubSpot's default lifecycle stages, in order; writes may only move forward.</summary>
    public static readonly string[] LifecycleStages =
        ["subscriber", "lead", "marketingqualifiedlead", "salesqualifiedlead", "opportunity", "customer", "evangelist", "other"];

    /// <summary>A subset of HubSpot's industry option values (uppercase codes).</summary>
    public static readonly string[] Industries =
    [
        "ACCOUNTING", "AIRLINES_AVIATION", "AUTOMOTIVE", "BANKING", "BIOTECHNOLOGY", "CHEMICALS", "COMPUTER_HARDWARE",
        "COMPUTER_SOFTWARE", "CONSTRUCTION", "CONSUMER_GOODS", "EDUCATION_MANAGEMENT", "FINANCIAL_SERVICES", "FOOD_BEVERAGES",
        "HOSPITAL_HEALTH_CARE", "INFORMATION_TECHNOLOGY_AND_SERVICES", "INSURANCE", "INTERNET", "LOGISTICS_AND_SUPPLY_CHAIN",
        "MACHINERY", "MANAGEMENT_CONSULTING", "MARKETING_AND_ADVERTISING", "MECHANICAL_OR_INDUSTRIAL_ENGINEERING", "RETAIL",
        "TELECOMMUNICATIONS", "UTILITIES",
    ];

    public static readonly string[] LegalBases =
    [
        "Legitimate interest – prospect/lead", "Legitimate interest - existing customer", "Legitimate interest - other",
        "Performance of a contract", "Freely given consent from contact", "Not applicable",
    ];

    public static IEnumerable<SimProperty> Companies()
    {
        const string Group = "companyinformation";
        foreach (var name in new[] { "name", "domain", "website", "phone", "address", "address2", "city", "state", "zip", "country", "description", "hs_additional_domains" })
        {
            yield return Text(name, Group);
        }

        yield return Enumeration("industry", Group, Industries);
        yield return Enumeration("lifecyclestage", Group, LifecycleStages);
        yield return Text("hubspot_owner_id", Group);
        yield return Number("numberofemployees", Group);
        yield return Number("annualrevenue", Group);
        foreach (var system in System(Group, "hs_lastmodifieddate"))
        {
            yield return system;
        }

        yield return new SimProperty { Name = "num_associated_contacts", Type = "number", FieldType = "number", GroupName = Group, ReadOnly = true };
    }

    public static IEnumerable<SimProperty> Contacts()
    {
        const string Group = "contactinformation";
        yield return new SimProperty { Name = "email", Type = "string", FieldType = "text", GroupName = Group, HasUniqueValue = true };
        foreach (var name in new[] { "firstname", "lastname", "phone", "mobilephone", "company", "jobtitle", "address", "city", "state", "zip", "country", "hs_additional_emails", "hs_language" })
        {
            yield return Text(name, Group);
        }

        yield return Enumeration("lifecyclestage", Group, LifecycleStages);
        yield return Text("hubspot_owner_id", Group);
        yield return new SimProperty { Name = "hs_email_optout", Type = "bool", FieldType = "booleancheckbox", GroupName = Group };
        yield return new SimProperty { Name = "hs_legal_basis", Type = "enumeration", FieldType = "checkbox", GroupName = Group, Options = LegalBases };
        yield return new SimProperty { Name = "associatedcompanyid", Type = "number", FieldType = "number", GroupName = Group, ReadOnly = true };
        foreach (var system in System(Group, "lastmodifieddate"))
        {
            yield return system;
        }
    }

    private static IEnumerable<SimProperty> System(string group, string lastModified)
    {
        yield return new SimProperty { Name = "createdate", Type = "datetime", FieldType = "date", GroupName = group, ReadOnly = true };
        yield return new SimProperty { Name = lastModified, Type = "datetime", FieldType = "date", GroupName = group, ReadOnly = true };
        yield return new SimProperty { Name = "hs_object_id", Type = "number", FieldType = "number", GroupName = group, ReadOnly = true, HasUniqueValue = true };
        yield return new SimProperty { Name = "hs_merged_object_ids", Type = "enumeration", FieldType = "checkbox", GroupName = group, ReadOnly = true };
    }

    private static SimProperty Text(string name, string group) => new() { Name = name, Type = "string", FieldType = "text", GroupName = group };

    private static SimProperty Number(string name, string group) => new() { Name = name, Type = "number", FieldType = "number", GroupName = group };

    private static SimProperty Enumeration(string name, string group, string[] options) =>
        new() { Name = name, Type = "enumeration", FieldType = "select", GroupName = group, Options = options };
}
