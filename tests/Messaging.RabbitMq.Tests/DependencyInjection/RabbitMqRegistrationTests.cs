using Concord.Canonical.DependencyInjection;
using Concord.Sync.Outbox;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Concord.Messaging.RabbitMq.Tests.DependencyInjection;

/// <summary>Options bound by the standard binder and validated at start, with messages that name the configuration path and never the URI.</summary>
public sealed class RabbitMqRegistrationTests
{
    [Fact]
    public void Options_are_bound_from_the_section()
    {
        using var provider = FromConfiguration(new()
        {
            ["Messaging:Events:Uri"] = "amqp://concord:pw@broker.internal:5672/sales",
            ["Messaging:Events:Exchange"] = "crm.customers",
            ["Messaging:Events:Mandatory"] = "false",
            ["Messaging:Events:ConfirmTimeout"] = "00:00:05",
        });

        var options = provider.GetRequiredService<IOptions<RabbitMqPublisherOptions>>().Value;

        Assert.Equal(("crm.customers", false, TimeSpan.FromSeconds(5)), (options.Exchange, options.Mandatory, options.ConfirmTimeout));
        Assert.NotNull(provider.GetRequiredService<IOutboxPublisher>());
    }

    [Fact]
    public void A_missing_uri_is_refused_at_start_naming_the_configuration_path()
    {
        using var provider = FromConfiguration(new() { ["Messaging:Events:Exchange"] = "crm.customers" });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<RabbitMqPublisherOptions>>().Value);

        Assert.Contains("Messaging:Events:Uri is required", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_uri_that_is_not_amqp_is_refused_without_repeating_it()
    {
        using var provider = FromConfiguration(new()
        {
            ["Messaging:Events:Uri"] = "https://concord:hunter2@broker.internal/",
            ["Messaging:Events:Exchange"] = "amq.topic",
            ["Messaging:Events:ConfirmTimeout"] = "00:00:00.010",
        });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<RabbitMqPublisherOptions>>().Value);

        Assert.Contains("Messaging:Events:Uri must be an absolute amqp:// or amqps:// URI", error.Message, StringComparison.Ordinal);
        Assert.Contains("Messaging:Events:Exchange must be at most 127 characters and not start with 'amq.'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Messaging:Events:ConfirmTimeout must be at least 100 ms", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_set_in_code_are_named_by_the_conventional_section()
    {
        var services = new ServiceCollection();
        services.AddConcord().AddRabbitMqPublisher(o => o.Uri = null);
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<RabbitMqPublisherOptions>>().Value);

        Assert.Contains("Concord:RabbitMq:Uri is required", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_publisher_replaces_another_and_registers_once()
    {
        var services = new ServiceCollection();
        var builder = services.AddConcord();
        services.AddSingleton<IOutboxPublisher, NoPublisher>();
        builder.AddRabbitMqPublisher(o => o.Uri = "amqp://127.0.0.1/");

        Assert.Single(services, d => d.ServiceType == typeof(IOutboxPublisher));
        Assert.Throws<InvalidOperationException>(() => builder.AddRabbitMqPublisher(o => o.Uri = "amqp://127.0.0.1/"));
    }

    private static ServiceProvider FromConfiguration(Dictionary<string, string?> values)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddConcord().AddRabbitMqPublisher(configuration.GetSection("Messaging:Events"));
        return services.BuildServiceProvider();
    }

    private sealed class NoPublisher : IOutboxPublisher
    {
        public Task PublishAsync(CloudNative.CloudEvents.CloudEvent cloudEvent, CancellationToken cancellationToken = default) => Task.CompletedTask;
    }
}
