using Concord.Canonical.Errors;
using Concord.Testing.Salesforce;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Concord.Connectors.Salesforce.Tests.Auth;

public sealed class TokenRefusalTests
{
    [Fact]
    public async Task Refused_credentials_are_not_asked_again_for_thirty_seconds()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
        using var sim = new SalesforceSimulator();
        await using var sf = sim.CreateConnector(o => o.ClientSecret = "wrong", services: s => s.AddSingleton<TimeProvider>(clock));

        for (var i = 0; i < 5; i++)
        {
            var error = await Assert.ThrowsAsync<ConcordException>(() => sf.Connector.GetAsync("001SIM000000001AAA"));
            Assert.Equal(ErrorCategory.Authentication, error.Category);
        }

        Assert.Equal(1, sim.TokenRequests);
        clock.Advance(TimeSpan.FromSeconds(31));
        await Assert.ThrowsAsync<ConcordException>(() => sf.Connector.GetAsync("001SIM000000001AAA"));
        Assert.Equal(2, sim.TokenRequests);
    }
}
