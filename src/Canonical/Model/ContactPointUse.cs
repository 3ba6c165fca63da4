using System.Text.Json.Serialization;

namespace Concord.Canonical;

/// <summary>What an email address or phone number is used for.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ContactPointUse>))]
public enum ContactPointUse
{
    /// <summary>Work or main contact point.</summary>
    [JsonStringEnumMemberName("work")]
    Work,

    /// <summary>Private contact point.</summary>
    [JsonStringEnumMemberName("home")]
    Home,

    /// <summary>Mobile phone.</summary>
    [JsonStringEnumMemberName("mobile")]
    Mobile,

    /// <summary>Fax line.</summary>
    [JsonStringEnumMemberName("fax")]
    Fax,

    /// <summary>Anything else.</summary>
    [JsonStringEnumMemberName("other")]
    Other,
}
