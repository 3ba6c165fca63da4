using Concord.Canonical.Errors;
using Concord.Connectors.Zendesk.Api;
using Concord.Connectors.Zendesk.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Concord.Connectors.Zendesk.Internal;

/// <summary>
/// Makes sure the organization and user fields the mapping writes exist before the first write: read once; a missing
/// one is created (as a text field) when <see cref="ZendeskConnectorOptions.CreateMissingFields"/> allows and the token
/// may, otherwise the write fails with a Configuration error naming the field and its option.
/// </summary>
internal sealed class FieldSetup(ZendeskApiClient api, ZendeskConnectorOptions options, string path, ILogger logger)
{
    private readonly Lock _gate = new();
    private Task? _setup;

    /// <summary>Checks (once, single-flight; again after a failure) that the fields exist, creating them if allowed.</summary>
    public Task EnsureAsync(IReadOnlyList<string> organizationKeys, IReadOnlyList<string> userKeys, CancellationToken cancellationToken)
    {
        if (organizationKeys.Count == 0 && userKeys.Count == 0)
        {
            return Task.CompletedTask;
        }

        Task setup;
        lock (_gate)
        {
            if (_setup is null || _setup.IsFaulted || _setup.IsCanceled)
            {
                _setup = SetUpAsync(organizationKeys, userKeys);
            }

            setup = _setup;
        }

        return setup.IsCompleted ? setup : setup.WaitAsync(cancellationToken);
    }

    private async Task SetUpAsync(IReadOnlyList<string> organizationKeys, IReadOnlyList<string> userKeys)
    {
        // Not bound to one caller's cancellation: every concurrent write waits for the same check.
        await Task.Yield();
        var cancellationToken = CancellationToken.None;
        if (organizationKeys.Count > 0)
        {
            var existing = await api.SendAsync(HttpMethod.Get, "api/v2/organization_fields.json", null, ZendeskJsonContext.Default.OrganizationFieldsEnvelope, "setup-fields", "organization fields", idempotent: true, cancellationToken).ConfigureAwait(false);
            var keys = (existing.Value?.OrganizationFields ?? []).Select(f => f.Key).ToHashSet(StringComparer.Ordinal);
            foreach (var key in organizationKeys.Where(k => !keys.Contains(k)))
            {
                await CreateAsync("organization", key, cancellationToken).ConfigureAwait(false);
            }
        }

        if (userKeys.Count > 0)
        {
            var existing = await api.SendAsync(HttpMethod.Get, "api/v2/user_fields.json", null, ZendeskJsonContext.Default.UserFieldsEnvelope, "setup-fields", "user fields", idempotent: true, cancellationToken).ConfigureAwait(false);
            var keys = (existing.Value?.UserFields ?? []).Select(f => f.Key).ToHashSet(StringComparer.Ordinal);
            foreach (var key in userKeys.Where(k => !keys.Contains(k)))
            {
                await CreateAsync("user", key, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task CreateAsync(string resource, string key, CancellationToken cancellationToken)
    {
        var option = resource == "organization" ? $"{path}:OrganizationFields (or CustomFieldMappings)" : $"{path}:JobTitleUserField";
        if (!options.CreateMissingFields)
        {
            throw new ConcordException(
                ErrorCategory.Configuration,
                $"The Zendesk account has no {resource} field '{key}', which {option} names. Create it in Admin Center (People, Configuration, {resource} fields), clear the option, or set {path}:CreateMissingFields.")
            {
                System = api.ConnectorName,
                Operation = "setup-fields",
            };
        }

        var field = new FieldWrite { Key = key, Title = key, Type = "text" };
        var (uri, body) = resource == "organization"
            ? ("api/v2/organization_fields.json", ZendeskApiClient.Serialize(new OrganizationFieldWriteEnvelope { OrganizationField = field }, ZendeskJsonContext.Default.OrganizationFieldWriteEnvelope))
            : ("api/v2/user_fields.json", ZendeskApiClient.Serialize(new UserFieldWriteEnvelope { UserField = field }, ZendeskJsonContext.Default.UserFieldWriteEnvelope));
        try
        {
            await api.SendAsync<System.Text.Json.JsonElement>(HttpMethod.Post, uri, body, null, "setup-fields", $"{resource} field {key}", idempotent: false, cancellationToken).ConfigureAwait(false);
            Log.FieldCreated(logger, api.ConnectorName, resource, key);
        }
        catch (ConcordException ex) when (ex.Category == ErrorCategory.Conflict)
        {
            // Created meanwhile by another process: it exists, which is all that matters.
        }
        catch (ConcordException ex) when (ex.Category is ErrorCategory.Authorization or ErrorCategory.Authentication)
        {
            throw new ConcordException(
                ErrorCategory.Configuration,
                $"The Zendesk account has no {resource} field '{key}' ({option}) and the token may not create it ({ex.VendorErrorCode ?? "HTTP " + ex.StatusCode}); create it in Admin Center or grant the token the write scope of an admin.",
                ex)
            {
                System = api.ConnectorName,
                Operation = "setup-fields",
            };
        }
    }
}
