namespace Concord.Storage.PostgreSql.Infrastructure;

/// <summary>
/// The tables one store contributes to the shared schema, as numbered migrations. Table names in the SQL are written
/// <c>{schema}.concord_...</c>: <c>{schema}</c> is replaced by the configured, quoted schema name before the SQL runs.
/// </summary>
internal interface IPostgreSqlSchema
{
    /// <summary>The component's name in <c>concord_schema_migrations</c> (lower case, e.g. <c>idempotency</c>).</summary>
    string Component { get; }

    /// <summary>The component's migrations, version 1 first.</summary>
    IReadOnlyList<PostgreSqlMigration> Migrations { get; }
}

/// <summary>One numbered step of a component's schema. Once released, a migration's SQL never changes: add the next version instead.</summary>
/// <param name="Version">The step's number within its component: 1, 2, 3, ... without gaps.</param>
/// <param name="Name">What the step does.</param>
/// <param name="Sql">The statements (with <c>{schema}</c> placeholders), run inside the migration transaction.</param>
internal sealed record PostgreSqlMigration(int Version, string Name, string Sql);
