using Concord.Canonical.DependencyInjection;
using Concord.Sync.Inbox;
using Microsoft.Extensions.Options;

namespace Concord.Sync.Flows.Internal;

/// <summary>
/// Checks a flow's declaration at start: a source, at least one target, every connector it names registered, and the
/// numeric options in range. Messages name the flow, the option and the connector.
/// </summary>
internal sealed class FlowOptionsValidator(IEnumerable<ConnectorRegistration> connectors, IEnumerable<FlowRegistration> flows, IEnumerable<IWebhookSenderCatalog> webhookSenders) : IValidateOptions<FlowOptions>
{
    public ValidateOptionsResult Validate(string? name, FlowOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (name is null || !flows.Any(f => f.Name == name))
        {
            return ValidateOptionsResult.Skip;
        }

        var registered = connectors.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var known = registered.Count == 0 ? "none" : string.Join(", ", registered.Order(StringComparer.Ordinal));
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Source))
        {
            failures.Add($"Flow '{name}' has no source: call From(\"<connector>\") or FromHost(\"<system>\").");
        }
        else if (options.SourceKind == FlowSourceKind.ChangeFeed && !registered.Contains(options.Source))
        {
            failures.Add($"Flow '{name}' reads from connector '{options.Source}', which is not registered (registered connectors: {known}).");
        }

        if (options.Targets.Count == 0)
        {
            failures.Add($"Flow '{name}' has no target: call To(\"<connector>\").");
        }

        foreach (var target in options.Targets)
        {
            if (!registered.Contains(target))
            {
                failures.Add($"Flow '{name}' writes to connector '{target}', which is not registered (registered connectors: {known}).");
            }
            else if (string.Equals(target, options.Source, StringComparison.Ordinal))
            {
                failures.Add($"Flow '{name}' writes to its own source '{target}'.");
            }
        }

        if (options.Targets.Distinct(StringComparer.Ordinal).Count() != options.Targets.Count)
        {
            failures.Add($"Flow '{name}' names a target twice.");
        }

        if (options.PageSize is < 1 or > 5_000)
        {
            failures.Add($"Flow '{name}': FlowOptions.PageSize must be between 1 and 5000 (was {options.PageSize}).");
        }

        if (options.MaxDeliveryAttempts is < 1 or > 100)
        {
            failures.Add($"Flow '{name}': FlowOptions.MaxDeliveryAttempts must be between 1 and 100 (was {options.MaxDeliveryAttempts}).");
        }

        if (options.PollInterval is { } interval && interval < TimeSpan.FromMilliseconds(100))
        {
            failures.Add($"Flow '{name}': FlowOptions.PollInterval must be at least 100 ms (was {interval}).");
        }

        if (options.ProbeInterval < TimeSpan.FromSeconds(1))
        {
            failures.Add($"Flow '{name}': FlowOptions.ProbeInterval must be at least one second (was {options.ProbeInterval}).");
        }

        if (options.WriteLease < TimeSpan.FromSeconds(1))
        {
            failures.Add($"Flow '{name}': FlowOptions.WriteLease must be at least one second (was {options.WriteLease}).");
        }

        if (options.FeedLease < TimeSpan.FromSeconds(1) || options.FeedLease > TimeSpan.FromHours(1))
        {
            failures.Add($"Flow '{name}': FlowOptions.FeedLease must be between one second and one hour (was {options.FeedLease}).");
        }

        if (string.IsNullOrWhiteSpace(options.Actor))
        {
            failures.Add($"Flow '{name}': FlowOptions.Actor must not be empty.");
        }

        if (options.ReactsToWebhooks)
        {
            ValidateWebhooks(name, options, failures);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private void ValidateWebhooks(string name, FlowOptions options, List<string> failures)
    {
        if (options.SourceKind != FlowSourceKind.ChangeFeed)
        {
            failures.Add($"Flow '{name}' reacts to webhooks but takes host-submitted records: OnWebhooks() needs From(\"<connector>\").");
            return;
        }

        var sender = options.WebhookSender ?? options.Source;
        var endpoints = webhookSenders.SelectMany(c => c.Senders).ToHashSet(StringComparer.Ordinal);
        if (sender is not null && !endpoints.Contains(sender))
        {
            failures.Add(
                $"Flow '{name}' reacts to webhooks from '{sender}', but no webhook endpoint is registered for that sender " +
                $"(registered: {(endpoints.Count == 0 ? "none" : string.Join(", ", endpoints.Order(StringComparer.Ordinal)))}): add it with " +
                $"AddConcordWebhooks (Concord:Webhooks:Senders:{sender}) and map it with MapConcordWebhooks, or name the sender in OnWebhooks(\"<sender>\").");
        }

        if (options.PollInterval is null)
        {
            failures.Add($"Flow '{name}' reacts to webhooks and must keep polling as its safety net: FlowOptions.PollInterval must be set.");
        }

        if (options.WebhookInterval < TimeSpan.FromMilliseconds(100) || (options.PollInterval is { } poll && options.WebhookInterval > poll))
        {
            failures.Add($"Flow '{name}': FlowOptions.WebhookInterval must be at least 100 ms and at most FlowOptions.PollInterval (was {options.WebhookInterval}).");
        }
    }
}
