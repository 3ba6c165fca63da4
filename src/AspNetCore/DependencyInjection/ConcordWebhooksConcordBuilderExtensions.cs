using Concord.AspNetCore.Webhooks;
using Concord.Sync.Inbox;
using Concord.AspNetCore.Webhooks.Internal;
using Concord.AspNetCore.Webhooks.Quarantine;
using Concord.Canonical.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Concord's webhook endpoints; map them with <c>app.MapConcordWebhooks("/concord/webhooks")</c>.</summary>
public static class ConcordWebhooksConcordBuilderExtensions
{
    /// <summary>The configuration path the options are documented under.</summary>
    private const string DefaultPath = "Concord:Webhooks";

    /// <summary>
    /// Adds the webhook endpoints, their options bound from <paramref name="section"/> (such as <c>Concord:Webhooks</c>)
    /// by the standard configuration binder and validated when the host starts, messages naming the configuration path.
    /// Verified events go to <see cref="IWebhookInbox"/> (in memory unless a storage package such as <c>UseSqlite</c> keeps it), refused deliveries
    /// to <see cref="IWebhookQuarantine"/>.
    /// </summary>
    /// <param name="builder">The Concord builder.</param>
    /// <param name="section">The configuration section.</param>
    /// <returns>The builder.</returns>
    public static IConcordBuilder AddConcordWebhooks(this IConcordBuilder builder, IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(section);
        return Add(builder, o => section.Bind(o), section.Path);
    }

    /// <summary>Adds the webhook endpoints configured by <paramref name="configure"/>; messages name <c>Concord:Webhooks</c>.</summary>
    /// <param name="builder">The Concord builder.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder.</returns>
    public static IConcordBuilder AddConcordWebhooks(this IConcordBuilder builder, Action<ConcordWebhookOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        return Add(builder, configure, DefaultPath);
    }

    private static IConcordBuilder Add(IConcordBuilder builder, Action<ConcordWebhookOptions> configure, string path)
    {
        var services = builder.AddSync().Services; // the inbox is part of Concord's state (in memory unless a storage package replaced it)
        services.AddOptions<ConcordWebhookOptions>().Configure(configure).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ConcordWebhookOptions>>(new ConcordWebhookOptionsValidator(path));
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<WebhookMetrics>();
        services.TryAddSingleton<IWebhookQuarantine, InMemoryWebhookQuarantine>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IWebhookSenderCatalog, WebhookSenderCatalog>()); // flows with OnWebhooks() check their sender against it
        return builder;
    }
}
