using Concord.Canonical.Connectors;
using Xunit;

namespace Concord.Canonical.Tests.Connectors;

public sealed class ConnectorTokenStoreTests
{
    [Fact]
    public async Task The_in_memory_store_keeps_the_newest_tokens_per_connector()
    {
        var store = new InMemoryConnectorTokenStore();
        var first = new ConnectorTokens("access-1", DateTimeOffset.UnixEpoch, "refresh-1", null);
        var second = new ConnectorTokens("access-2", null, "refresh-2", null);

        await store.SaveAsync("zendesk", first);
        await store.SaveAsync("zendesk", second);
        await store.SaveAsync("eu", first);

        Assert.Same(second, await store.GetAsync("zendesk"));
        Assert.Same(first, await store.GetAsync("eu"));
        Assert.Null(await store.GetAsync("other"));
    }

    [Fact]
    public void Tokens_never_show_in_their_text_form()
    {
        var tokens = new ConnectorTokens("secret-access", DateTimeOffset.UnixEpoch, "secret-refresh", DateTimeOffset.UnixEpoch);

        var text = tokens.ToString();

        Assert.DoesNotContain("secret", text, StringComparison.Ordinal);
        Assert.Contains("1970-01-01", text, StringComparison.Ordinal);
        Assert.Contains("HasRefreshToken = True", text, StringComparison.Ordinal);
    }
}
