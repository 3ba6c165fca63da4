namespace Concord.Canonical.Serialization.Internal;

/// <summary>
/// The JSON names of the canonical enums, as their <c>JsonStringEnumMemberName</c> attributes spell them, without
/// reflection (a test checks every value against System.Text.Json).
/// </summary>
internal static class EnumNames
{
    public static string Of(CustomerKind value) => value switch
    {
        CustomerKind.Company => "company",
        CustomerKind.Person => "person",
        _ => Unknown(value),
    };

    public static string Of(CustomerStatus value) => value switch
    {
        CustomerStatus.Active => "active",
        CustomerStatus.Archived => "archived",
        _ => Unknown(value),
    };

    public static string Of(AddressRole value) => value switch
    {
        AddressRole.Billing => "billing",
        AddressRole.Shipping => "shipping",
        AddressRole.Other => "other",
        AddressRole.Main => "main",
        _ => Unknown(value),
    };

    public static string Of(ContactPointUse value) => value switch
    {
        ContactPointUse.Work => "work",
        ContactPointUse.Home => "home",
        ContactPointUse.Mobile => "mobile",
        ContactPointUse.Fax => "fax",
        ContactPointUse.Other => "other",
        _ => Unknown(value),
    };

    public static string Of(TaxIdType value) => value switch
    {
        TaxIdType.Vat => "vat",
        TaxIdType.Gst => "gst",
        TaxIdType.Ein => "ein",
        TaxIdType.CompanyRegistry => "company_registry",
        TaxIdType.Other => "other",
        _ => Unknown(value),
    };

    public static string Of(LifecycleStage value) => value switch
    {
        LifecycleStage.Subscriber => "subscriber",
        LifecycleStage.Lead => "lead",
        LifecycleStage.MarketingQualifiedLead => "marketing_qualified_lead",
        LifecycleStage.SalesQualifiedLead => "sales_qualified_lead",
        LifecycleStage.Opportunity => "opportunity",
        LifecycleStage.Customer => "customer",
        LifecycleStage.Evangelist => "evangelist",
        LifecycleStage.Former => "former",
        LifecycleStage.Other => "other",
        _ => Unknown(value),
    };

    public static string Of(ConsentChannel value) => value switch
    {
        ConsentChannel.Email => "email",
        ConsentChannel.Sms => "sms",
        ConsentChannel.Phone => "phone",
        ConsentChannel.Post => "post",
        _ => Unknown(value),
    };

    public static string Of(ConsentStatus value) => value switch
    {
        ConsentStatus.Unknown => "unknown",
        ConsentStatus.Pending => "pending",
        ConsentStatus.Granted => "granted",
        ConsentStatus.Denied => "denied",
        ConsentStatus.Withdrawn => "withdrawn",
        _ => Unknown(value),
    };

    // An undefined enum value (a cast integer) has no JSON name; it is written as its number so it still counts as content.
    private static string Unknown<T>(T value)
        where T : struct, Enum => Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
