using System.Text.Json.Serialization;

namespace Concord.Canonical;

/// <summary>The state of marketing consent on one channel.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ConsentStatus>))]
public enum ConsentStatus
{
    /// <summary>Never asked, or not known to the source.</summary>
    [JsonStringEnumMemberName("unknown")]
    Unknown,

    /// <summary>Asked, awaiting confirmation (double opt-in).</summary>
    [JsonStringEnumMemberName("pending")]
    Pending,

    /// <summary>Consent given.</summary>
    [JsonStringEnumMemberName("granted")]
    Granted,

    /// <summary>Consent refused when asked.</summary>
    [JsonStringEnumMemberName("denied")]
    Denied,

    /// <summary>Consent given earlier and withdrawn since (unsubscribed, opted out).</summary>
    [JsonStringEnumMemberName("withdrawn")]
    Withdrawn,
}
