using Concord.Canonical.Resilience;
using Concord.Storage.PostgreSql.Infrastructure;
using Npgsql;

namespace Concord.Storage.PostgreSql.RateBudget;

/// <summary>
/// <see cref="IRateBudgetStore"/> on the shared PostgreSQL schema: every host instance on the database draws from the same
/// counts. One round trip per draw (<c>concord_rate_budget_take</c>, see <see cref="PostgreSqlRateBudgetSchema"/>); the
/// database's failures surface as <c>ConcordException</c> (<c>Transient</c> when the server cannot be reached), so a
/// vendor call is never sent uncounted.
/// </summary>
internal sealed class PostgreSqlRateBudgetStore(PostgreSqlDatabase database) : IRateBudgetStore
{
    public async ValueTask<int> TakeAsync(RateBudgetRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        return await database.WriteAsync(
            "rate_budget.take",
            async (connection, transaction, ct) =>
            {
                await using var command = new NpgsqlCommand(
                    database.Sql($"SELECT {PostgreSqlRateBudgetSchema.TakeFunction}(@lock, @budget, @segment, @held, @window, @permits, @limit);"),
                    connection,
                    transaction);
                command.Parameters.AddWithValue("lock", LockKey(request.Budget));
                command.Parameters.AddWithValue("budget", request.Budget);
                command.Parameters.AddWithValue("segment", request.Segment);
                command.Parameters.AddWithValue("held", request.HeldSegment);
                command.Parameters.AddWithValue("window", request.WindowSegments);
                command.Parameters.AddWithValue("permits", request.Permits);
                command.Parameters.AddWithValue("limit", request.Limit);
                return Convert.ToInt32(await command.ExecuteScalarAsync(ct).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
            },
            cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask ReleaseAsync(string budget, long heldSegment, long segment, int permits, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(budget);
        ArgumentOutOfRangeException.ThrowIfLessThan(permits, 1);
        await database.WriteAsync(
            "rate_budget.release",
            async (connection, transaction, ct) =>
            {
                await using var command = new NpgsqlCommand(
                    database.Sql($"SELECT {PostgreSqlRateBudgetSchema.ReleaseFunction}(@lock, @budget, @held, @segment, @permits);"),
                    connection,
                    transaction);
                command.Parameters.AddWithValue("lock", LockKey(budget));
                command.Parameters.AddWithValue("budget", budget);
                command.Parameters.AddWithValue("held", heldSegment);
                command.Parameters.AddWithValue("segment", segment);
                command.Parameters.AddWithValue("permits", permits);
                await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    private static long LockKey(string budget) => PostgreSqlDatabase.Hash($"concord.rate_budget:{budget}");
}
