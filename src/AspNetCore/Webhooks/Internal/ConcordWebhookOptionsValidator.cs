using System.Text.RegularExpressions;
using Concord.AspNetCore.Webhooks.Verification;
using Microsoft.Extensions.Options;

namespace Concord.AspNetCore.Webhooks.Internal;

/// <summary>Checks <see cref="ConcordWebhookOptions"/> when the host starts; every message starts with the configuration path of the value and never shows a secret.</summary>
internal sealed partial class ConcordWebhookOptionsValidator(string path) : IValidateOptions<ConcordWebhookOptions>
{
    internal const int MinOdooSecretLength = 32;
    internal const int MaxBodyBytesLimit = 64 * 1024 * 1024;

    public ValidateOptionsResult Validate(string? name, ConcordWebhookOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.Senders.Count == 0)
        {
            errors.Add($"{path}:Senders must name at least one sender.");
        }

        if (options.MaxBodyBytes <= 0 || options.MaxBodyBytes > MaxBodyBytesLimit)
        {
            errors.Add($"{path}:MaxBodyBytes must be between 1 and {MaxBodyBytesLimit}; it is {options.MaxBodyBytes}.");
        }

        if (options.TimestampTolerance <= TimeSpan.Zero || options.TimestampTolerance > TimeSpan.FromHours(1))
        {
            errors.Add($"{path}:TimestampTolerance must be more than zero and at most one hour; it is {options.TimestampTolerance}.");
        }

        foreach (var (sender, o) in options.Senders)
        {
            var at = $"{path}:Senders:{sender}";
            if (!SenderName().IsMatch(sender))
            {
                errors.Add($"{at} is not a valid sender name: use lower-case letters, digits and '-' (it is a path segment).");
            }

            if (o.Kind is not { } kind || !Enum.IsDefined(kind))
            {
                errors.Add($"{at}:Kind is required: one of {string.Join(", ", Enum.GetNames<WebhookSenderKind>())}.");
                continue;
            }

            if (kind != WebhookSenderKind.SalesforceOutboundMessage && string.IsNullOrWhiteSpace(o.Secret))
            {
                errors.Add($"{at}:Secret is required for {kind}.");
            }
            else if (kind == WebhookSenderKind.Zendesk && o.Secret == ZendeskSignatureVerifier.TestOnlySecret)
            {
                errors.Add($"{at}:Secret is Zendesk's test-only signing secret; use the webhook's own signing secret.");
            }
            else if (kind == WebhookSenderKind.StandardWebhooks && StandardWebhooksVerifier.DecodeSecret(o.Secret!) is null)
            {
                errors.Add($"{at}:Secret must be 'whsec_' followed by the base64 key.");
            }
            else if (kind == WebhookSenderKind.Odoo && o.Secret!.Length < MinOdooSecretLength)
            {
                errors.Add($"{at}:Secret must be at least {MinOdooSecretLength} characters: it is the only thing that authenticates Odoo.");
            }

            if (kind == WebhookSenderKind.HubSpot
                && (o.PublicUrl is not { IsAbsoluteUri: true } url || (url.Scheme != Uri.UriSchemeHttps && !(url.Scheme == Uri.UriSchemeHttp && url.IsLoopback))))
            {
                errors.Add($"{at}:PublicUrl is required for HubSpot: the absolute https URL set as the app's target URL (HubSpot signs it).");
            }

            if (kind == WebhookSenderKind.SalesforceOutboundMessage && (o.OrganizationId is not { Length: 15 or 18 } org || !org.All(char.IsAsciiLetterOrDigit)))
            {
                errors.Add($"{at}:OrganizationId is required for Salesforce outbound messages: the 15- or 18-character organization id.");
            }

            for (var i = 0; i < o.AllowedAddresses.Count; i++)
            {
                if (!AddressAllowList.TryParse(o.AllowedAddresses[i], out _))
                {
                    errors.Add($"{at}:AllowedAddresses:{i} ('{o.AllowedAddresses[i]}') is not an IP address or a CIDR range.");
                }
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex SenderName();
}
