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
                    database.Sql($"SELECT {PostgreSqlRateBudgetSchema.TakeFunction}(@lock, @budget, @segment, @window, @permits, @limit);"),
                    connection,
                    transaction);
                command.Parameters.AddWithValue("lock", PostgreSqlDatabase.Hash($"concord.rate_budget:{request.Budget}"));
                command.Parameters.AddWithValue("budget", request.Budget);
                command.Parameters.AddWithValue("segment", request.Segment);
                command.Parameters.AddWithValue("window", request.WindowSegments);
                command.Parameters.AddWithValue("permits", request.Permits);
                command.Parameters.AddWithValue("limit", request.Limit);
                return Convert.ToInt32(await command.ExecuteScalarAsync(ct).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
            },
            cancellationToken).ConfigureAwait(false);
    }
}
