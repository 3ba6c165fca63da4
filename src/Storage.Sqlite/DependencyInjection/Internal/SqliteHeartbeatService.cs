using Concord.Storage.Sqlite.Infrastructure;
using Microsoft.Extensions.Hosting;

namespace Concord.Storage.Sqlite.DependencyInjection.Internal;

/// <summary>Keeps this host's claim on the SQLite file while it is idle: renews its heartbeat every <see cref="SqliteHosts.HeartbeatInterval"/>.</summary>
internal sealed class SqliteHeartbeatService(SqliteDatabase database, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(SqliteHosts.HeartbeatInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await database.RenewHeartbeatAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
