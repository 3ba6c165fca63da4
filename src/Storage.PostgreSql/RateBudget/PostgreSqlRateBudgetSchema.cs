using Concord.Storage.PostgreSql.Infrastructure;

namespace Concord.Storage.PostgreSql.RateBudget;

/// <summary>
/// The <c>concord_rate_budget</c> table (permits counted per budget and time slice) and the functions on it, each under a
/// transaction-scoped advisory lock on the budget, so a call is one statement from the client and atomic across instances:
/// <c>concord_rate_budget_take</c> forgets slices older than the window, sums the rest and adds what it grants to the hold
/// slice; <c>concord_rate_budget_release</c> moves released permits from their hold slice to the slice of completion.
/// </summary>
internal sealed class PostgreSqlRateBudgetSchema : IPostgreSqlSchema
{
    public const string Table = "{schema}.concord_rate_budget";
    public const string TakeFunction = "{schema}.concord_rate_budget_take";
    public const string ReleaseFunction = "{schema}.concord_rate_budget_release";

    public string Component => "rate_budget";

    public IReadOnlyList<PostgreSqlMigration> Migrations { get; } =
    [
        new(1, "create concord_rate_budget, concord_rate_budget_take and concord_rate_budget_release", $$"""
            CREATE TABLE {{Table}} (
                budget  text    NOT NULL,
                segment bigint  NOT NULL,
                permits integer NOT NULL,
                PRIMARY KEY (budget, segment)
            );
            CREATE FUNCTION {{TakeFunction}}(p_lock bigint, p_budget text, p_segment bigint, p_held bigint, p_window integer, p_permits integer, p_limit integer)
            RETURNS integer LANGUAGE plpgsql VOLATILE AS $take$
            DECLARE
                v_oldest  bigint := p_segment - p_window + 1;
                v_used    integer;
                v_granted integer;
            BEGIN
                PERFORM pg_advisory_xact_lock(p_lock);
                DELETE FROM {{Table}} WHERE budget = p_budget AND segment < v_oldest;
                SELECT coalesce(sum(permits), 0) INTO v_used FROM {{Table}} WHERE budget = p_budget AND segment >= v_oldest;
                v_granted := least(p_permits, p_limit - v_used);
                IF v_granted <= 0 THEN
                    RETURN 0;
                END IF;
                INSERT INTO {{Table}} AS t (budget, segment, permits) VALUES (p_budget, p_held, v_granted)
                ON CONFLICT (budget, segment) DO UPDATE SET permits = t.permits + excluded.permits;
                RETURN v_granted;
            END
            $take$;
            CREATE FUNCTION {{ReleaseFunction}}(p_lock bigint, p_budget text, p_held bigint, p_segment bigint, p_permits integer)
            RETURNS void LANGUAGE plpgsql VOLATILE AS $release$
            DECLARE
                v_held  integer;
                v_moved integer;
            BEGIN
                PERFORM pg_advisory_xact_lock(p_lock);
                SELECT permits INTO v_held FROM {{Table}} WHERE budget = p_budget AND segment = p_held;
                v_moved := least(coalesce(v_held, 0), p_permits);
                IF v_moved <= 0 THEN
                    RETURN;
                END IF;
                UPDATE {{Table}} SET permits = permits - v_moved WHERE budget = p_budget AND segment = p_held;
                INSERT INTO {{Table}} AS t (budget, segment, permits) VALUES (p_budget, p_segment, v_moved)
                ON CONFLICT (budget, segment) DO UPDATE SET permits = t.permits + excluded.permits;
            END
            $release$;
            """),
    ];
}
