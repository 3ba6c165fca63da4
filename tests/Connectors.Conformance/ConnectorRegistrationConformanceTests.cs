using System.Reflection;
using Concord.Canonical.Connectors;
using Concord.Canonical.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit;

namespace Concord.Connectors.Conformance;

/// <summary>The public registration overloads every connector has, named so a test can say which one it calls.</summary>
public enum RegistrationOverload
{
    /// <summary><c>builder.AddXxxConnector(Action&lt;TOptions&gt;)</c>.</summary>
    BuilderDelegate,

    /// <summary><c>builder.AddXxxConnector(IConfigurationSection)</c>.</summary>
    BuilderSection,

    /// <summary><c>builder.AddXxxConnector(string name, Action&lt;TOptions&gt;)</c>.</summary>
    BuilderNamedDelegate,

    /// <summary><c>builder.AddXxxConnector(string name, IConfigurationSection)</c>.</summary>
    BuilderNamedSection,

    /// <summary><c>services.AddXxxConnector(Action&lt;TOptions&gt;)</c>.</summary>
    ServicesDelegate,

    /// <summary><c>services.AddXxxConnector(IConfigurationSection)</c>.</summary>
    ServicesSection,

    /// <summary><c>services.AddXxxConnector(string name, Action&lt;TOptions&gt;)</c>.</summary>
    ServicesNamedDelegate,

    /// <summary><c>services.AddXxxConnector(string name, IConfigurationSection)</c>.</summary>
    ServicesNamedSection,
}

/// <summary>
/// How every connector registers, as xunit facts (in the manner of Aspire's conformance tests): the default instance
/// is named after the vendor family, a named instance under the name given, every shared option binds from
/// configuration, a value the binder cannot convert and a value validation refuses both name their configuration
/// path, http:// is refused to anything but a loopback host, and one name cannot be registered twice.
/// A connector's test project derives one class, maps <see cref="RegistrationOverload"/> to its <c>AddXxxConnector</c>
/// overloads and gives one valid configuration; every fact is inherited.
/// </summary>
/// <typeparam name="TOptions">The connector's options.</typeparam>
/// <typeparam name="TConnector">The connector's interface.</typeparam>
public abstract class ConnectorRegistrationConformanceTests<TOptions, TConnector>
    where TOptions : ConnectorOptions
    where TConnector : class, ICustomerConnector
{
    private const string Named = "eu";

    private static readonly Dictionary<string, string> NoValues = [];

    /// <summary>The vendor family: the default instance's name (<c>odoo</c>).</summary>
    protected abstract string DefaultName { get; }

    /// <summary>The default instance's configuration section (<c>Concord:Odoo</c>).</summary>
    protected abstract string SectionName { get; }

    /// <summary>An https base address the connector accepts (<c>https://acme.odoo.com</c>).</summary>
    protected abstract Uri ValidBaseAddress { get; }

    /// <summary>
    /// The connector's own settings that make valid options with <see cref="ValidBaseAddress"/>, as configuration keys
    /// relative to the section (<c>Database</c>, <c>Login</c>, <c>ApiKey</c>).
    /// </summary>
    protected abstract IReadOnlyDictionary<string, string> ValidSettings { get; }

    /// <summary>A key of <see cref="ValidSettings"/> the connector requires (<c>Database</c>).</summary>
    protected abstract string RequiredSetting { get; }

    /// <summary>
    /// The base address new options start with, for a vendor with one API root for every account (HubSpot:
    /// <c>https://api.hubapi.com</c>); <see langword="null"/> (the default) when the host must give it. With a default, a
    /// section without <c>BaseAddress</c> keeps the default; setting the address to null is still refused.
    /// </summary>
    protected virtual Uri? DefaultBaseAddress => null;

    /// <summary>Sets <see cref="ValidSettings"/> on <paramref name="options"/>, as a host's delegate would.</summary>
    /// <param name="options">The options.</param>
    protected abstract void ConfigureValid(TOptions options);

    /// <summary>Calls the connector's <paramref name="overload"/>; <paramref name="name"/> and <paramref name="section"/> or <paramref name="configure"/> as the overload takes them.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="overload">Which overload.</param>
    /// <param name="name">The instance name (named overloads).</param>
    /// <param name="configure">The delegate (delegate overloads).</param>
    /// <param name="section">The section (section overloads).</param>
    protected abstract void Add(IServiceCollection services, RegistrationOverload overload, string name, Action<TOptions> configure, IConfigurationSection section);

    [Fact]
    public void The_options_class_is_sealed_and_carries_DefaultName_and_SectionName()
    {
        Assert.True(typeof(TOptions).IsSealed);
        Assert.Equal(DefaultName, Constant("DefaultName"));
        Assert.Equal(SectionName, Constant("SectionName"));
        Assert.Equal($"Concord:{SectionName["Concord:".Length..]}", SectionName);

        static object? Constant(string name) =>
            typeof(TOptions).GetField(name, BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } field ? field.GetRawConstantValue() : null;
    }

    [Fact]
    public void The_default_instance_is_registered_under_the_vendor_family_name()
    {
        var services = new ServiceCollection();
        Add(services, RegistrationOverload.BuilderDelegate, DefaultName, Valid, EmptySection());
        using var provider = services.BuildServiceProvider();

        var registration = Assert.Single(provider.GetServices<ConnectorRegistration>());
        var connector = provider.GetRequiredKeyedService<ICustomerConnector>(DefaultName);

        Assert.Equal((DefaultName, DefaultName), (registration.Name, registration.System));
        Assert.Equal(DefaultName, connector.Name);
        Assert.Same(connector, provider.GetRequiredKeyedService<TConnector>(DefaultName));
    }

    [Fact]
    public void A_named_instance_is_registered_under_the_name_given_and_nothing_else()
    {
        var services = new ServiceCollection();
        Add(services, RegistrationOverload.BuilderNamedDelegate, Named, Valid, EmptySection());
        using var provider = services.BuildServiceProvider();

        var registration = Assert.Single(provider.GetServices<ConnectorRegistration>());
        var connector = provider.GetRequiredKeyedService<ICustomerConnector>(Named);

        Assert.Equal((Named, DefaultName), (registration.Name, registration.System));
        Assert.Equal(Named, connector.Name);
        Assert.Same(connector, provider.GetRequiredKeyedService<TConnector>(Named));
        Assert.Null(provider.GetKeyedService<ICustomerConnector>(DefaultName));
        Assert.Null(provider.GetKeyedService<ICustomerConnector>($"{DefaultName}-{Named}"));
        Assert.Equal(ValidBaseAddress, Options(provider, Named).BaseAddress);
    }

    [Theory]
    [InlineData(RegistrationOverload.BuilderDelegate)]
    [InlineData(RegistrationOverload.BuilderSection)]
    [InlineData(RegistrationOverload.BuilderNamedDelegate)]
    [InlineData(RegistrationOverload.BuilderNamedSection)]
    [InlineData(RegistrationOverload.ServicesDelegate)]
    [InlineData(RegistrationOverload.ServicesSection)]
    [InlineData(RegistrationOverload.ServicesNamedDelegate)]
    [InlineData(RegistrationOverload.ServicesNamedSection)]
    public void Every_overload_registers_its_instance_with_valid_options(RegistrationOverload overload)
    {
        var named = IsNamed(overload);
        var key = named ? Named : DefaultName;
        var services = new ServiceCollection();
        Add(services, overload, key, Valid, Section(named ? $"{SectionName}:{Named}" : SectionName, NoValues));
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IStartupValidator>().Validate();

        Assert.Equal(key, provider.GetRequiredKeyedService<ICustomerConnector>(key).Name);
        Assert.Equal(ValidBaseAddress, Options(provider, key).BaseAddress);
    }

    [Theory]
    [InlineData(RegistrationOverload.BuilderDelegate, RegistrationOverload.BuilderSection)]
    [InlineData(RegistrationOverload.BuilderNamedDelegate, RegistrationOverload.BuilderNamedDelegate)]
    [InlineData(RegistrationOverload.ServicesNamedSection, RegistrationOverload.BuilderNamedDelegate)]
    public void Two_registrations_under_one_name_are_refused(RegistrationOverload first, RegistrationOverload second)
    {
        var key = IsNamed(first) ? Named : DefaultName;
        var services = new ServiceCollection();
        Add(services, first, key, Valid, Section(SectionName, NoValues));

        var error = Assert.Throws<InvalidOperationException>(() => Add(services, second, key, Valid, Section(SectionName, NoValues)));

        Assert.Contains($"'{key}'", error.Message, StringComparison.Ordinal);
        Assert.Single(services, d => d.ServiceType == typeof(ConnectorRegistration));
    }

    [Fact]
    public void Every_shared_option_binds_from_configuration()
    {
        var path = $"{SectionName}:{Named}";
        var values = new Dictionary<string, string>
        {
            ["BaseAddress"] = "http://127.0.0.1:8069/",
            ["AllowInsecureHttp"] = "true",
            ["BatchSize"] = "7",
            ["Resilience:TotalRequestTimeout"] = "00:03:00",
            ["Resilience:AttemptTimeout"] = "00:00:45",
            ["Resilience:MaxRetryAttempts"] = "5",
            ["Resilience:BaseDelay"] = "00:00:02",
            ["Resilience:MaxDelay"] = "00:00:40",
            ["Resilience:UseJitter"] = "false",
            ["Resilience:FailureRatio"] = "0.25",
            ["Resilience:MinimumThroughput"] = "11",
            ["Resilience:SamplingDuration"] = "00:00:50",
            ["Resilience:BreakDuration"] = "00:00:42",
            ["Resilience:PermitLimit"] = "3",
            ["Resilience:Window"] = "00:00:02",
            ["Resilience:QueueLimit"] = "9",
        };
        var services = new ServiceCollection();
        Add(services, RegistrationOverload.BuilderNamedSection, Named, Valid, Section(path, values));
        using var provider = services.BuildServiceProvider();

        var options = Options(provider, Named);
        var resilience = options.Resilience;

        Assert.Equal(new Uri("http://127.0.0.1:8069/"), options.BaseAddress);
        Assert.True(options.AllowInsecureHttp);
        Assert.Equal(7, options.BatchSize);
        Assert.Equal(TimeSpan.FromMinutes(3), resilience.TotalRequestTimeout);
        Assert.Equal(TimeSpan.FromSeconds(45), resilience.AttemptTimeout);
        Assert.Equal(5, resilience.MaxRetryAttempts);
        Assert.Equal(TimeSpan.FromSeconds(2), resilience.BaseDelay);
        Assert.Equal(TimeSpan.FromSeconds(40), resilience.MaxDelay);
        Assert.False(resilience.UseJitter);
        Assert.Equal(0.25, resilience.FailureRatio);
        Assert.Equal(11, resilience.MinimumThroughput);
        Assert.Equal(TimeSpan.FromSeconds(50), resilience.SamplingDuration);
        Assert.Equal(TimeSpan.FromSeconds(42), resilience.BreakDuration);
        Assert.Equal(3, resilience.PermitLimit);
        Assert.Equal(TimeSpan.FromSeconds(2), resilience.Window);
        Assert.Equal(9, resilience.QueueLimit);
        Assert.Equal(7, provider.GetRequiredKeyedService<ICustomerConnector>(Named).Capabilities.MaxBatchSize);
    }

    [Theory]
    [InlineData("BatchSize", "abc")]
    [InlineData("AllowInsecureHttp", "sometimes")]
    [InlineData("Resilience:FailureRatio", "half")]
    [InlineData("Resilience:BreakDuration", "15 seconds")]
    [InlineData("Resilience:UseJitter", "maybe")]
    [InlineData("Resilience:MaxRetryAttempts", "3.5")]
    public void A_value_the_binder_cannot_convert_stops_the_host_naming_its_configuration_path(string key, string value)
    {
        var path = $"{SectionName}:{Named}";
        var services = new ServiceCollection();
        Add(services, RegistrationOverload.BuilderNamedSection, Named, Valid, Section(path, new Dictionary<string, string> { [key] = value }));
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains($"'{value}' at '{path}:{key}'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("BatchSize", "0", "BatchSize (0) must be between 1 and ")]
    [InlineData("BaseAddress", "acme", "BaseAddress (acme) must be an absolute https:// URL")]
    [InlineData("BaseAddress", "ftp://acme.example.com/", "BaseAddress (ftp://acme.example.com/) must be an absolute https:// URL")]
    [InlineData("Resilience:FailureRatio", "0", "Resilience:FailureRatio (0) must be above 0 and at most 1")]
    [InlineData("Resilience:AttemptTimeout", "00:05:00", "Resilience:AttemptTimeout (00:05:00) must be below ")]
    [InlineData("Resilience:BreakDuration", "00:00:00.1", "Resilience:BreakDuration (00:00:00.1000000) must be between")]
    public void A_value_validation_refuses_stops_the_host_naming_its_configuration_path(string key, string value, string expected)
    {
        var path = $"{SectionName}:{Named}";
        var services = new ServiceCollection();
        Add(services, RegistrationOverload.BuilderNamedSection, Named, Valid, Section(path, new Dictionary<string, string> { [key] = value }));
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(error.Failures, f => f.StartsWith($"{path}:{expected}", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(RegistrationOverload.BuilderSection, false)]
    [InlineData(RegistrationOverload.BuilderNamedSection, false)]
    [InlineData(RegistrationOverload.BuilderDelegate, false)]
    [InlineData(RegistrationOverload.BuilderNamedDelegate, false)]
    [InlineData(RegistrationOverload.BuilderNamedSection, true)]
    [InlineData(RegistrationOverload.BuilderNamedDelegate, true)]
    public void A_missing_required_value_stops_the_host_naming_its_configuration_path(RegistrationOverload overload, bool connectorSetting)
    {
        var named = IsNamed(overload);
        var key = named ? Named : DefaultName;
        var path = named ? $"{SectionName}:{Named}" : SectionName; // a delegate's messages name the conventional section
        var missing = connectorSetting ? RequiredSetting : "BaseAddress";
        var settings = ValidSettingsWithBaseAddress().Where(s => s.Key != missing).ToDictionary();
        var services = new ServiceCollection();
        Add(services, overload, key, o =>
        {
            Valid(o);
            if (connectorSetting)
            {
                Clear(o, missing);
            }
            else
            {
                o.BaseAddress = null;
            }
        }, Section(path, settings, replace: true));
        using var provider = services.BuildServiceProvider();
        if (!connectorSetting && DefaultBaseAddress is { } fallback && IsSection(overload))
        {
            // Nothing in the section clears the address: the vendor's one API root stays.
            provider.GetRequiredService<IStartupValidator>().Validate();
            Assert.Equal(fallback, Options(provider, key).BaseAddress);
            return;
        }

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(error.Failures, f => f.StartsWith($"{path}:{missing} is required", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("http://erp.example.com/")]
    [InlineData("http://10.0.0.5:8069/")]
    [InlineData("http://192.168.1.20/")]
    [InlineData("http://0.0.0.0:8069/")]
    [InlineData("http://localhost.example.com/")]
    [InlineData("http://[fe80::1]/")]
    public void Http_to_a_remote_host_is_refused_even_with_AllowInsecureHttp(string address)
    {
        var failures = Failures(o =>
        {
            o.BaseAddress = new Uri(address);
            o.AllowInsecureHttp = true;
        });

        Assert.Contains(failures, f => f.StartsWith($"{SectionName}:BaseAddress ({address}) uses http:// to a host that is not loopback", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("http://127.0.0.1:8069/")]
    [InlineData("http://localhost:8069/")]
    public void Http_to_loopback_is_refused_without_the_opt_in(string address)
    {
        var failures = Failures(o => o.BaseAddress = new Uri(address));

        Assert.Contains(failures, f => f.StartsWith($"{SectionName}:BaseAddress ({address}) uses http://, which sends credentials in clear text", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("http://127.0.0.1:8069/")]
    [InlineData("http://127.1.2.3:8069/")]
    [InlineData("http://localhost:8069/")]
    [InlineData("http://[::1]:8069/")]
    public void Http_to_loopback_is_allowed_with_the_opt_in(string address)
    {
        var failures = Failures(o =>
        {
            o.BaseAddress = new Uri(address);
            o.AllowInsecureHttp = true;
        });

        Assert.Empty(failures);
    }

    [Fact]
    public void Options_are_validated_when_the_host_starts()
    {
        var services = new ServiceCollection();
        Add(services, RegistrationOverload.BuilderDelegate, DefaultName, o =>
        {
            Valid(o);
            o.BaseAddress = null;
        }, EmptySection());
        using var provider = services.BuildServiceProvider();

        // IStartupValidator is what the generic host runs at start: ValidateOnStart registered the options with it.
        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
    }

    private void Valid(TOptions options)
    {
        options.BaseAddress = ValidBaseAddress;
        ConfigureValid(options);
    }

    private IReadOnlyList<string> Failures(Action<TOptions> change)
    {
        var services = new ServiceCollection();
        Add(services, RegistrationOverload.BuilderDelegate, DefaultName, o =>
        {
            Valid(o);
            change(o);
        }, EmptySection());
        using var provider = services.BuildServiceProvider();
        try
        {
            _ = Options(provider, DefaultName);
            return [];
        }
        catch (OptionsValidationException error)
        {
            return [.. error.Failures];
        }
    }

    private static TOptions Options(IServiceProvider provider, string name) => provider.GetRequiredService<IOptionsMonitor<TOptions>>().Get(name);

    private static bool IsNamed(RegistrationOverload overload) =>
        overload is RegistrationOverload.BuilderNamedDelegate or RegistrationOverload.BuilderNamedSection
            or RegistrationOverload.ServicesNamedDelegate or RegistrationOverload.ServicesNamedSection;

    private static bool IsSection(RegistrationOverload overload) =>
        overload is RegistrationOverload.BuilderSection or RegistrationOverload.BuilderNamedSection
            or RegistrationOverload.ServicesSection or RegistrationOverload.ServicesNamedSection;

    private static void Clear(TOptions options, string setting)
    {
        var property = typeof(TOptions).GetProperty(setting) ?? throw new InvalidOperationException($"{typeof(TOptions).Name} has no property {setting}.");
        property.SetValue(options, null);
    }

    private static IConfigurationSection EmptySection() => new ConfigurationBuilder().Build().GetSection("Unused");

    private Dictionary<string, string> ValidSettingsWithBaseAddress()
    {
        var settings = ValidSettings.ToDictionary();
        settings["BaseAddress"] = ValidBaseAddress.ToString();
        return settings;
    }

    /// <summary>The section at <paramref name="path"/>: the valid settings, then <paramref name="values"/> over them (or <paramref name="values"/> alone).</summary>
    private IConfigurationSection Section(string path, IReadOnlyDictionary<string, string> values, bool replace = false)
    {
        var settings = replace ? new Dictionary<string, string>() : ValidSettingsWithBaseAddress();
        foreach (var (key, value) in values)
        {
            settings[key] = value;
        }

        var data = settings.ToDictionary(s => $"{path}:{s.Key}", s => (string?)s.Value);
        return new ConfigurationBuilder().AddInMemoryCollection(data).Build().GetSection(path);
    }
}
