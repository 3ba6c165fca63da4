using System.Diagnostics.Metrics;
using Concord.Canonical.Diagnostics;

namespace Concord.AspNetCore.Webhooks.Internal;

/// <summary><c>concord.webhooks.deliveries</c>: deliveries by sender (<c>concord.system</c>), outcome and, when refused, reason.</summary>
internal sealed class WebhookMetrics
{
    internal const string DeliveriesName = "concord.webhooks.deliveries";
    internal const string ReasonTag = "concord.webhook.reason";

    private readonly Counter<long> _deliveries;

    public WebhookMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(new MeterOptions(ConcordTelemetry.Name) { Version = typeof(WebhookMetrics).Assembly.GetName().Version?.ToString() });
        _deliveries = meter.CreateCounter<long>(DeliveriesName, "{delivery}", "Webhook deliveries by sender and outcome (accepted, duplicate, refused with a reason, failed).");
    }

    public void Accepted(string sender, bool duplicate) =>
        _deliveries.Add(1, new(ConcordTelemetry.SystemTag, sender), new(ConcordTelemetry.OutcomeTag, duplicate ? "duplicate" : "accepted"));

    public void Refused(string sender, WebhookRefusalReason reason) =>
        _deliveries.Add(1, new(ConcordTelemetry.SystemTag, sender), new(ConcordTelemetry.OutcomeTag, "refused"), new(ReasonTag, ReasonName(reason)));

    public void Failed(string sender) =>
        _deliveries.Add(1, new(ConcordTelemetry.SystemTag, sender), new(ConcordTelemetry.OutcomeTag, "failed"));

    internal static string ReasonName(WebhookRefusalReason reason) => reason switch
    {
        WebhookRefusalReason.MissingSignature => "missing-signature",
        WebhookRefusalReason.InvalidSignature => "invalid-signature",
        WebhookRefusalReason.StaleTimestamp => "stale-timestamp",
        WebhookRefusalReason.InvalidSecret => "invalid-secret",
        WebhookRefusalReason.AddressNotAllowed => "address-not-allowed",
        WebhookRefusalReason.WrongOrganization => "wrong-organization",
        WebhookRefusalReason.BodyTooLarge => "body-too-large",
        WebhookRefusalReason.UnsupportedContentType => "unsupported-content-type",
        WebhookRefusalReason.MalformedBody => "malformed-body",
        _ => "other",
    };
}
