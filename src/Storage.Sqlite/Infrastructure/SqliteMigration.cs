namespace Concord.Storage.Sqlite.Infrastructure;

/// <summary>One numbered step of a component's schema. Once released, a migration's SQL never changes: add the next version instead.</summary>
/// <param name="Version">The step's number within its component: 1, 2, 3, ... without gaps.</param>
/// <param name="Name">What the step does, for the migrations table and logs (<c>create concord_idempotency</c>).</param>
/// <param name="Sql">The statements, run inside the migration's write transaction.</param>
internal sealed record SqliteMigration(int Version, string Name, string Sql);
