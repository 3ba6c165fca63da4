using System.Security.Cryptography;
using System.Text;
using System.Xml;

namespace Concord.AspNetCore.Webhooks.Verification;

/// <summary>
/// A Salesforce outbound message: a SOAP <c>notifications</c> element with the <c>OrganizationId</c> and up to 100
/// <c>Notification</c>s, each with its id (the same on every retry) and an <c>sObject</c>. Read without DTDs or external
/// entities; the optional <c>SessionId</c> is never read.
/// </summary>
internal sealed class SalesforceOutboundMessage
{
    internal const string OutboundNamespace = "http://soap.sforce.com/2005/09/outbound";

    /// <summary>The acknowledgement Salesforce waits for; without it, it retries for 24 hours.</summary>
    internal const string Acknowledgement =
        """<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound"><Ack>true</Ack></notificationsResponse></soapenv:Body></soapenv:Envelope>""";

    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreWhitespace = true,
        MaxCharactersInDocument = ConcordWebhookOptions.DefaultMaxBodyBytes * 4L,
    };

    public string? OrganizationId { get; private set; }

    public List<Notification> Notifications { get; } = [];

    internal sealed record Notification(string Id, string? ObjectType, string? ObjectId, string Xml);

    public static SalesforceOutboundMessage? TryRead(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var stream = new MemoryStream(body.ToArray(), writable: false);
            using var reader = XmlReader.Create(stream, Settings);
            var message = new SalesforceOutboundMessage();
            var inNotifications = false;
            var more = reader.Read();
            while (more)
            {
                // ReadElementContentAsString and ReadOuterXml leave the reader on the next node already: no Read after them.
                if (reader.NodeType == XmlNodeType.Element && reader.NamespaceURI == OutboundNamespace)
                {
                    if (reader.LocalName == "notifications")
                    {
                        inNotifications = true;
                    }
                    else if (inNotifications && reader.LocalName == "OrganizationId")
                    {
                        message.OrganizationId = reader.ReadElementContentAsString().Trim();
                        more = !reader.EOF;
                        continue;
                    }
                    else if (inNotifications && reader.LocalName == "Notification")
                    {
                        if (ReadNotification(reader) is not { } notification)
                        {
                            return null;
                        }

                        message.Notifications.Add(notification);
                        more = !reader.EOF;
                        continue;
                    }
                }

                more = reader.Read();
            }

            return inNotifications && message.OrganizationId is { Length: > 0 } && message.Notifications.Count > 0 ? message : null;
        }
        catch (XmlException)
        {
            return null;
        }
    }

    private static Notification? ReadNotification(XmlReader reader)
    {
        var xml = reader.ReadOuterXml();
        var element = new XmlDocument { XmlResolver = null };
        using (var inner = XmlReader.Create(new StringReader(xml), Settings))
        {
            element.Load(inner);
        }

        var ns = new XmlNamespaceManager(element.NameTable);
        ns.AddNamespace("o", OutboundNamespace);
        var id = element.SelectSingleNode("/o:Notification/o:Id", ns)?.InnerText.Trim();
        if (string.IsNullOrEmpty(id))
        {
            return null;
        }

        var sObject = element.SelectSingleNode("/o:Notification/o:sObject", ns) as XmlElement;
        var type = sObject?.GetAttribute("type", "http://www.w3.org/2001/XMLSchema-instance");
        var colon = type?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        string? objectId = null;
        if (sObject is not null)
        {
            foreach (XmlNode child in sObject.ChildNodes)
            {
                if (child.LocalName == "Id")
                {
                    objectId = child.InnerText.Trim();
                }
            }
        }

        return new Notification(id, string.IsNullOrEmpty(type) ? null : type[(colon + 1)..], objectId, xml);
    }
}

/// <summary>
/// Salesforce outbound messages carry no signature: the message must name the configured organization (compared on the
/// case-sensitive 15-character id, in constant time). Address allow-list and HTTPS are the host's other defences.
/// </summary>
internal sealed class SalesforceOrganizationVerifier(string organizationId) : IWebhookVerifier
{
    public WebhookRefusalReason? Verify(in WebhookRequest request, DateTimeOffset now)
    {
        var message = SalesforceOutboundMessage.TryRead(request.Body);
        if (message is null)
        {
            return WebhookRefusalReason.MalformedBody;
        }

        return SameOrganization(message.OrganizationId!, organizationId) ? null : WebhookRefusalReason.WrongOrganization;
    }

    internal static bool SameOrganization(string received, string configured)
    {
        if (received.Length is not (15 or 18) || configured.Length is not (15 or 18))
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(received[..15]), Encoding.ASCII.GetBytes(configured[..15]));
    }
}
