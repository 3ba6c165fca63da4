using Microsoft.Extensions.DependencyInjection;

namespace Concord.Canonical.DependencyInjection;

/// <summary>Configures Concord: connectors, stores and flows are added through extension methods on this builder.</summary>
public interface IConcordBuilder
{
    /// <summary>The service collection Concord registers into.</summary>
    IServiceCollection Services { get; }
}
