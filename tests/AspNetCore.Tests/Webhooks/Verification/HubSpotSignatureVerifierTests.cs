using Concord.AspNetCore.Webhooks;
using Concord.AspNetCore.Webhooks.Verification;
using static Concord.AspNetCore.Tests.Webhooks.Verification.Vectors;

namespace Concord.AspNetCore.Tests.Webhooks.Verification;

public sealed class HubSpotSignatureVerifierTests
{
    private static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    private static WebhookRefusalReason? V3(string url, string signature, DateTimeOffset now, string body = HubSpotBody, string timestamp = "1700000000000", bool legacy = false) =>
        new HubSpotSignatureVerifier(HubSpotSecret, Tolerance, legacy).Verify(
            Request("POST", url, body, (HubSpotSignatureVerifier.SignatureV3Header, signature), (HubSpotSignatureVerifier.TimestampHeader, timestamp)),
            now);

    [Fact]
    public void The_facts_page_v3_vector_verifies()
    {
        Assert.Null(V3("https://www.example.com/webhook_uri", "/pXDSgWeGksQpwCsgqd43P0eY6gBIse9UX0tfkudUrE=", HubSpotTimestamp.AddSeconds(30)));
    }

    [Fact]
    public void The_v3_vector_with_a_query_decodes_only_hubspots_reserved_escapes()
    {
        const string received = "https://www.example.com/webhook_uri?source=hub%3Aeu%2Ftest&x=a%20b";
        Assert.Equal("https://www.example.com/webhook_uri?source=hub:eu/test&x=a%20b", HubSpotSignatureVerifier.SignedUri(received));
        Assert.Null(V3(received, "HPbem+YPD4RxkDoKVp+Ey/AMF+Efho3FAVjv8xUtrHc=", HubSpotTimestamp));
    }

    [Fact]
    public void A_changed_body_url_or_signature_is_an_invalid_signature()
    {
        const string good = "/pXDSgWeGksQpwCsgqd43P0eY6gBIse9UX0tfkudUrE=";
        Assert.Equal(WebhookRefusalReason.InvalidSignature, V3("https://www.example.com/webhook_uri", good, HubSpotTimestamp, body: HubSpotBody.Replace("123", "124", StringComparison.Ordinal)));
        Assert.Equal(WebhookRefusalReason.InvalidSignature, V3("https://www.example.com/other", good, HubSpotTimestamp));
        Assert.Equal(WebhookRefusalReason.InvalidSignature, V3("https://www.example.com/webhook_uri", "/pXDSgWeGksQpwCsgqd43P0eY6gBIse9UX0tfkvdUrE=", HubSpotTimestamp));
        Assert.Equal(WebhookRefusalReason.InvalidSignature, V3("https://www.example.com/webhook_uri", "not base64!", HubSpotTimestamp));
    }

    [Theory]
    [InlineData(-301)]
    [InlineData(301)]
    public void A_timestamp_more_than_five_minutes_away_either_way_is_stale(int seconds)
    {
        Assert.Equal(WebhookRefusalReason.StaleTimestamp, V3("https://www.example.com/webhook_uri", "/pXDSgWeGksQpwCsgqd43P0eY6gBIse9UX0tfkudUrE=", HubSpotTimestamp.AddSeconds(-seconds)));
        Assert.Equal(WebhookRefusalReason.StaleTimestamp, V3("https://www.example.com/webhook_uri", "/pXDSgWeGksQpwCsgqd43P0eY6gBIse9UX0tfkudUrE=", HubSpotTimestamp, timestamp: "yesterday"));
    }

    [Fact]
    public void Legacy_v1_and_v2_signatures_are_refused_unless_allowed_and_then_match_hubspots_examples()
    {
        var v1 = Request("POST", "https://www.example.com/webhook_uri", HubSpotBody,
            (HubSpotSignatureVerifier.LegacySignatureHeader, "232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de"), (HubSpotSignatureVerifier.LegacyVersionHeader, "v1"));
        var v2Get = Request("GET", "https://www.example.com/webhook_uri", string.Empty,
            (HubSpotSignatureVerifier.LegacySignatureHeader, "eee2dddcc73c94d699f5e395f4b9d454a069a6855fbfa152e91e88823087200e"), (HubSpotSignatureVerifier.LegacyVersionHeader, "v2"));
        var v2Post = Request("POST", "https://www.example.com/webhook_uri", """{"example_field":"example_value"}""",
            (HubSpotSignatureVerifier.LegacySignatureHeader, "9569219f8ba981ffa6f6f16aa0f48637d35d728c7e4d93d0d52efaa512af7900"), (HubSpotSignatureVerifier.LegacyVersionHeader, "v2"));
        var strict = new HubSpotSignatureVerifier(HubSpotSecret, Tolerance, allowLegacy: false);
        var lenient = new HubSpotSignatureVerifier(HubSpotSecret, Tolerance, allowLegacy: true);

        Assert.Equal(WebhookRefusalReason.MissingSignature, strict.Verify(v1, HubSpotTimestamp));
        Assert.Null(lenient.Verify(v1, HubSpotTimestamp));
        Assert.Null(lenient.Verify(v2Get, HubSpotTimestamp));
        Assert.Null(lenient.Verify(v2Post, HubSpotTimestamp));
        Assert.Equal(WebhookRefusalReason.InvalidSignature, lenient.Verify(v2Post with { Method = "PUT" }, HubSpotTimestamp));
    }

    [Fact]
    public void No_signature_is_a_missing_signature()
    {
        Assert.Equal(WebhookRefusalReason.MissingSignature, new HubSpotSignatureVerifier(HubSpotSecret, Tolerance, false).Verify(Request("POST", "https://x.example/", HubSpotBody), HubSpotTimestamp));
    }
}
