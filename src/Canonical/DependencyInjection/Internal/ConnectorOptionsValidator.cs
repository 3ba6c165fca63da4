using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Concord.Canonical.Connectors;
using Concord.Canonical.Resilience;
using Microsoft.Extensions.Options;

namespace Concord.Canonical.DependencyInjection.Internal;

/// <summary>
/// Validates the options of one connector instance at start: the rules every connector shares (<see cref="ConnectorOptions"/>),
/// then the connector's own. Each message starts with the configuration path of the value it is about.
/// </summary>
internal sealed class ConnectorOptionsValidator<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions, TConnector>(string instanceName, string path, ConnectorDefinition<TOptions, TConnector> definition)
    : IValidateOptions<TOptions>
    where TOptions : ConnectorOptions
    where TConnector : class, ICustomerConnector
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        if (!string.Equals(name, instanceName, StringComparison.Ordinal))
        {
            return ValidateOptionsResult.Skip;
        }

        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        ConnectorOptionsRules.Validate(path, options, definition.BaseAddressExample, failures);
        failures.AddRange(definition.Validate(path, options));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>The rules of <see cref="ConnectorOptions"/>, in the one message format: <c>path:Option (value) must …</c>.</summary>
internal static class ConnectorOptionsRules
{
    public static void Validate(string path, ConnectorOptions options, string baseAddressExample, List<string> failures)
    {
        var baseAddress = options.BaseAddress;
        var at = $"{path}:{nameof(ConnectorOptions.BaseAddress)}";
        if (baseAddress is null)
        {
            failures.Add($"{at} is required: the vendor's address, such as {baseAddressExample}.");
        }
        else if (!baseAddress.IsAbsoluteUri || (baseAddress.Scheme != Uri.UriSchemeHttps && baseAddress.Scheme != Uri.UriSchemeHttp))
        {
            failures.Add($"{at} ({baseAddress}) must be an absolute https:// URL, such as {baseAddressExample}.");
        }
        else if (baseAddress.Scheme == Uri.UriSchemeHttp && !options.AllowInsecureHttp)
        {
            failures.Add($"{at} ({baseAddress}) uses http://, which sends credentials in clear text: use https://, or set {path}:{nameof(ConnectorOptions.AllowInsecureHttp)} for a test server on a loopback host.");
        }
        else if (baseAddress.Scheme == Uri.UriSchemeHttp && !ConnectorOptions.IsLoopback(baseAddress))
        {
            failures.Add($"{at} ({baseAddress}) uses http:// to a host that is not loopback: {path}:{nameof(ConnectorOptions.AllowInsecureHttp)} allows http:// only to 127.0.0.0/8, ::1 and localhost, so that credentials never cross a network in clear text; use https://.");
        }

        if (options.BatchSize < 1 || options.BatchSize > options.BatchSizeLimit)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{path}:{nameof(ConnectorOptions.BatchSize)} ({options.BatchSize}) must be between 1 and {options.BatchSizeLimit}."));
        }

        if (options.Resilience is null)
        {
            failures.Add($"{path}:{nameof(ConnectorOptions.Resilience)} is required.");
        }
        else if (new ConnectorResilienceOptionsValidator($"{path}:{nameof(ConnectorOptions.Resilience)}").Validate(null, options.Resilience) is { Failed: true, Failures: { } resilience })
        {
            failures.AddRange(resilience);
        }
    }
}
