using System.Globalization;
using System.Text;
using Concord.Connectors.Odoo.Tests.Support;
using Concord.Testing.Odoo;

namespace Concord.Connectors.Odoo.Tests.Api;

/// <summary>
/// Issue 13 §3: every request reaches the server with a <c>Content-Length</c> and no chunked transfer encoding — a proxy
/// that reads only <c>Content-Length</c> in front of Odoo otherwise holds the call until Odoo's <c>limit_time_real</c>.
/// </summary>
public sealed class WireTests
{
    [Theory]
    [InlineData("18.0")]
    [InlineData("19.0")]
    public async Task Every_request_with_a_body_carries_its_length_and_is_not_chunked(string version)
    {
        await using var odoo = OdooFixture.Start(new OdooSimulatorOptions { ServerVersion = version });

        await odoo.Connector.UpsertManyAsync([Customers.Request(Customers.Company("wire-1", withBilling: true)), Customers.Request(Customers.Person("wire-2"))]);
        await odoo.Connector.FindAsync(new Canonical.Connectors.MatchKeys { Emails = ["ada@example.org"] });
        await foreach (var change in odoo.Connector.ReadChangesAsync(null))
        {
            Assert.NotNull(change.Cursor);
        }

        var posts = odoo.Simulator.Journal.Where(e => e.Method == "POST");
        Assert.True(posts.Count >= 8, $"Only {posts.Count} POST requests were sent.");
        Assert.All(posts, e =>
        {
            Assert.True(e.Headers.TryGetValue("Content-Length", out var length), $"{e.Path} was sent without Content-Length.");
            Assert.Equal(Encoding.UTF8.GetByteCount(e.Body ?? string.Empty).ToString(CultureInfo.InvariantCulture), length);
            Assert.False(e.Headers.ContainsKey("Transfer-Encoding"), $"{e.Path} was sent chunked.");
        });
    }
}
