namespace Concord.AspNetCore.Webhooks.Quarantine;

/// <summary>Where refused deliveries go. The default keeps the latest ones in memory; a host can store them elsewhere.</summary>
public interface IWebhookQuarantine
{
    /// <summary>Keeps a refused delivery.</summary>
    /// <param name="delivery">The refused delivery.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when it is kept.</returns>
    ValueTask AddAsync(QuarantinedWebhook delivery, CancellationToken cancellationToken = default);

    /// <summary>The latest refused deliveries, newest first.</summary>
    /// <param name="max">The most to return.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Up to <paramref name="max"/> deliveries.</returns>
    ValueTask<IReadOnlyList<QuarantinedWebhook>> ListAsync(int max, CancellationToken cancellationToken = default);
}
