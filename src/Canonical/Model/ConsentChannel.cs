using System.Text.Json.Serialization;

namespace Concord.Canonical;

/// <summary>A marketing channel that consent is given or refused for.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ConsentChannel>))]
public enum ConsentChannel
{
    /// <summary>Marketing email.</summary>
    [JsonStringEnumMemberName("email")]
    Email,

    /// <summary>Text messages.</summary>
    [JsonStringEnumMemberName("sms")]
    Sms,

    /// <summary>Phone calls.</summary>
    [JsonStringEnumMemberName("phone")]
    Phone,

    /// <summary>Postal mail.</summary>
    [JsonStringEnumMemberName("post")]
    Post,
}
