using System.Globalization;
using Concord.AspNetCore.Webhooks;
using Concord.AspNetCore.Webhooks.Verification;
using static Concord.AspNetCore.Tests.Webhooks.Verification.Vectors;

namespace Concord.AspNetCore.Tests.Webhooks.Verification;

public sealed class ZendeskSignatureVerifierTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse(ZendeskTimestamp, CultureInfo.InvariantCulture);

    private static WebhookRefusalReason? Verify(string signature, string body = ZendeskBody, string timestamp = ZendeskTimestamp, DateTimeOffset? now = null) =>
        new ZendeskSignatureVerifier(ZendeskSecret, TimeSpan.FromMinutes(5)).Verify(
            Request("POST", "https://x.example/zendesk", body, (ZendeskSignatureVerifier.SignatureHeader, signature), (ZendeskSignatureVerifier.TimestampHeader, timestamp)),
            now ?? Now);

    [Fact]
    public void The_facts_page_vector_verifies_with_the_secret_as_utf8_and_timestamp_before_body()
    {
        Assert.Null(Verify("+vJ0bWhau6LqWcafKYzE99os0Ai/A1UeA2tvehWuvhU="));
        Assert.Null(Verify("7/D31TB3DTaBwz2hN38WBbRlOPsy9rqhkEg42X8c05I=", body: string.Empty));
    }

    [Theory]
    [InlineData("Sqys9CLM7yKLrv3OuSLwi0yXPb9Iox1W4llCPfw23qQ=")] // body then timestamp
    [InlineData("PGP5uRmaPTUHUfxEcQN4cCeWkqekk3Soa9yusqZ4edo=")] // base64-decoded key
    [InlineData("7/D31TB3DTaBwz2hN38WBbRlOPsy9rqhkEg42X8c05I=")] // the empty body's signature on a body
    public void The_facts_page_negative_cases_are_invalid_signatures(string signature)
    {
        Assert.Equal(WebhookRefusalReason.InvalidSignature, Verify(signature));
    }

    [Fact]
    public void A_stale_or_unreadable_timestamp_is_refused_before_the_signature_is_checked()
    {
        Assert.Equal(WebhookRefusalReason.StaleTimestamp, Verify("+vJ0bWhau6LqWcafKYzE99os0Ai/A1UeA2tvehWuvhU=", now: Now.AddMinutes(6)));
        Assert.Equal(WebhookRefusalReason.StaleTimestamp, Verify("+vJ0bWhau6LqWcafKYzE99os0Ai/A1UeA2tvehWuvhU=", timestamp: "soon"));
    }
}

public sealed class StandardWebhooksVerifierTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1614265330);

    private static WebhookRefusalReason? Verify(string signature, string id = StandardId, string timestamp = StandardTimestamp, DateTimeOffset? now = null) =>
        new StandardWebhooksVerifier(StandardSecret, TimeSpan.FromMinutes(5)).Verify(
            Request("POST", "https://x.example/std", StandardBody,
                (StandardWebhooksVerifier.IdHeader, id), (StandardWebhooksVerifier.TimestampHeader, timestamp), (StandardWebhooksVerifier.SignatureHeader, signature)),
            now ?? Now);

    [Fact]
    public void The_specification_example_verifies_alone_or_among_other_signatures()
    {
        Assert.Null(Verify(StandardSignature));
        Assert.Null(Verify("v1,Zm9yZ2VkIHNpZ25hdHVyZSBvZiB0aGlydHkgdHdvIGJ5dGU= " + StandardSignature + " v2,abc"));
    }

    [Fact]
    public void Another_id_or_a_forged_signature_is_invalid_and_a_stale_timestamp_is_stale()
    {
        Assert.Equal(WebhookRefusalReason.InvalidSignature, Verify(StandardSignature, id: "msg_other"));
        Assert.Equal(WebhookRefusalReason.InvalidSignature, Verify("v1,Zm9yZ2VkIHNpZ25hdHVyZSBvZiB0aGlydHkgdHdvIGJ5dGU="));
        Assert.Equal(WebhookRefusalReason.InvalidSignature, Verify(StandardSignature.Replace("v1,", "v2,", StringComparison.Ordinal)));
        Assert.Equal(WebhookRefusalReason.StaleTimestamp, Verify(StandardSignature, now: Now.AddMinutes(-6)));
    }
}

public sealed class OdooAndSalesforceVerifierTests
{
    private const string Secret = "0123456789abcdef0123456789abcdef";

    [Fact]
    public void The_odoo_url_secret_must_match_exactly()
    {
        var verifier = new OdooUrlSecretVerifier(Secret);
        var request = Request("POST", "https://x.example/odoo", "{}");
        Assert.Null(verifier.Verify(request with { RouteSecret = Secret }, DateTimeOffset.UnixEpoch));
        Assert.Equal(WebhookRefusalReason.InvalidSecret, verifier.Verify(request with { RouteSecret = Secret[..^1] }, DateTimeOffset.UnixEpoch));
        Assert.Equal(WebhookRefusalReason.InvalidSecret, verifier.Verify(request with { RouteSecret = Secret + "0" }, DateTimeOffset.UnixEpoch));
        Assert.Equal(WebhookRefusalReason.InvalidSecret, verifier.Verify(request, DateTimeOffset.UnixEpoch));
    }

    [Fact]
    public void The_allow_list_takes_addresses_and_ranges_and_maps_ipv4_in_ipv6()
    {
        var list = new AddressAllowList(["203.0.113.10", "198.51.100.0/24"]);
        Assert.True(list.Allows(System.Net.IPAddress.Parse("203.0.113.10")));
        Assert.True(list.Allows(System.Net.IPAddress.Parse("198.51.100.77")));
        Assert.True(list.Allows(System.Net.IPAddress.Parse("::ffff:198.51.100.77")));
        Assert.False(list.Allows(System.Net.IPAddress.Parse("203.0.113.11")));
        Assert.False(list.Allows(null));
        Assert.True(new AddressAllowList([]).Allows(null));
    }

    [Fact]
    public void A_salesforce_message_must_name_the_configured_organization_by_its_15_character_id()
    {
        var message = Salesforce.Message("00D000000000001AAA", ("04l000000000001AAA", "001000000000001AAA"));
        Assert.Null(new SalesforceOrganizationVerifier("00D000000000001").Verify(Request("POST", "https://x.example/sf", message), DateTimeOffset.UnixEpoch));
        Assert.Equal(WebhookRefusalReason.WrongOrganization, new SalesforceOrganizationVerifier("00D000000000002AAA").Verify(Request("POST", "https://x.example/sf", message), DateTimeOffset.UnixEpoch));
        Assert.Equal(WebhookRefusalReason.WrongOrganization, new SalesforceOrganizationVerifier("00d000000000001AAA").Verify(Request("POST", "https://x.example/sf", message), DateTimeOffset.UnixEpoch));
        Assert.Equal(WebhookRefusalReason.MalformedBody, new SalesforceOrganizationVerifier("00D000000000001AAA").Verify(Request("POST", "https://x.example/sf", "<notxml"), DateTimeOffset.UnixEpoch));
    }

    [Fact]
    public void A_salesforce_message_with_a_dtd_is_refused_unread()
    {
        var message = """<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>""" + Salesforce.Message("00D000000000001AAA", ("04l000000000001AAA", "001000000000001AAA"))[38..];
        Assert.Equal(WebhookRefusalReason.MalformedBody, new SalesforceOrganizationVerifier("00D000000000001AAA").Verify(Request("POST", "https://x.example/sf", message), DateTimeOffset.UnixEpoch));
    }
}

internal static class Salesforce
{
    public static string Message(string organizationId, params (string NotificationId, string AccountId)[] notifications) =>
        """<?xml version="1.0" encoding="UTF-8"?>"""
        + """<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>"""
        + """<notifications xmlns="http://soap.sforce.com/2005/09/outbound">"""
        + $"<OrganizationId>{organizationId}</OrganizationId><ActionId>04k000000000001AAA</ActionId><SessionId xsi:nil=\"true\"/>"
        + "<EnterpriseUrl>https://example.my.salesforce.com/services/Soap/c/62.0/00D000000000001</EnterpriseUrl>"
        + string.Concat(notifications.Select(n =>
            $"<Notification><Id>{n.NotificationId}</Id><sObject xsi:type=\"sf:Account\" xmlns:sf=\"urn:sobject.enterprise.soap.sforce.com\"><sf:Id>{n.AccountId}</sf:Id><sf:Name>Acme</sf:Name></sObject></Notification>"))
        + "</notifications></soapenv:Body></soapenv:Envelope>";
}
