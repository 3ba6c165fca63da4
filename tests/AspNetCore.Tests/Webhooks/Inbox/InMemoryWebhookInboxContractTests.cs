using Concord.StoreContracts.Tests;
using Concord.Sync.Inbox;
using Microsoft.Extensions.DependencyInjection;

namespace Concord.AspNetCore.Tests.Webhooks.Inbox;

/// <summary>The webhook inbox contract, kept by the in-memory inbox <c>AddSync</c> registers.</summary>
public sealed class InMemoryWebhookInboxContractTests : WebhookInboxContractTests
{
    protected override IWebhookInbox CreateInbox() =>
        new ServiceCollection().AddConcord().AddSync().Services.BuildServiceProvider().GetRequiredService<IWebhookInbox>();

    protected override IWebhookInbox Reopen(IWebhookInbox inbox) => inbox;
}
