using System.Text;
using Concord.AspNetCore.Webhooks.Verification;
using Microsoft.AspNetCore.Http;

namespace Concord.AspNetCore.Tests.Webhooks.Verification;

/// <summary>The facts pages' test vectors.</summary>
internal static class Vectors
{
    public const string HubSpotSecret = "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy";

    public const string HubSpotBody = """[{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,"changeSource":"CRM","changeFlag":"NEW","appId":54321}]""";

    public static readonly DateTimeOffset HubSpotTimestamp = DateTimeOffset.FromUnixTimeMilliseconds(1700000000000);

    public const string ZendeskSecret = "dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==";

    public const string ZendeskTimestamp = "2025-01-15T10:00:00Z";

    public const string ZendeskBody = """{"type":"zen:event-type:organization.created","account_id":123456,"id":"evt-1","time":"2025-01-15T10:00:00Z","zendesk_event_version":"2022-06-20","subject":"zen:organization:42","detail":{"id":"42","name":"Acme GmbH","external_id":"odoo-42"},"event":{}}""";

    // The Standard Webhooks specification's example (also Svix's documentation example).
    public const string StandardSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    public const string StandardId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    public const string StandardTimestamp = "1614265330";
    public const string StandardBody = """{"test": 2432232314}""";
    public const string StandardSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    public static WebhookRequest Request(string method, string url, string body, params (string Name, string Value)[] headers)
    {
        var dictionary = new HeaderDictionary();
        foreach (var (name, value) in headers)
        {
            dictionary[name] = value;
        }

        return new WebhookRequest(method, url, dictionary, Encoding.UTF8.GetBytes(body));
    }
}
