using System.Globalization;
using Microsoft.Extensions.Options;

namespace Concord.Messaging.RabbitMq.DependencyInjection.Internal;

/// <summary>
/// Checks <see cref="RabbitMqPublisherOptions"/> when the host starts. Each message starts with the configuration path of
/// the value (<c>Concord:RabbitMq:Uri is required: …</c>) and never repeats the URI, which holds the password.
/// </summary>
internal sealed class RabbitMqPublisherOptionsValidator(string path) : IValidateOptions<RabbitMqPublisherOptions>
{
    public ValidateOptionsResult Validate(string? name, RabbitMqPublisherOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Uri))
        {
            failures.Add($"{path}:Uri is required: the broker's AMQP URI (amqp://user:password@host:5672/vhost).");
        }
        else if (!Uri.TryCreate(options.Uri, UriKind.Absolute, out var uri) || (uri.Scheme != "amqp" && uri.Scheme != "amqps") || string.IsNullOrEmpty(uri.Host))
        {
            failures.Add($"{path}:Uri must be an absolute amqp:// or amqps:// URI with a host (amqp://user:password@host:5672/vhost).");
        }

        if (string.IsNullOrWhiteSpace(options.Exchange))
        {
            failures.Add($"{path}:Exchange is required: the topic exchange events are published to.");
        }
        else if (options.Exchange.Length > 127 || options.Exchange.StartsWith("amq.", StringComparison.Ordinal))
        {
            failures.Add($"{path}:Exchange must be at most 127 characters and not start with 'amq.' (reserved by the broker); it is '{options.Exchange}'.");
        }

        if (options.ConfirmTimeout < TimeSpan.FromMilliseconds(100))
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{path}:ConfirmTimeout must be at least 100 ms; it is {options.ConfirmTimeout}."));
        }

        if (string.IsNullOrWhiteSpace(options.ClientName))
        {
            failures.Add($"{path}:ClientName is required: the connection name the broker shows.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
