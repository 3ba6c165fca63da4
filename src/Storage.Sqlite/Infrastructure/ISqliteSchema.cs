namespace Concord.Storage.Sqlite.Infrastructure;

/// <summary>
/// The tables one store contributes to the shared database, as numbered migrations. Register an implementation with
/// <c>services.TryAddEnumerable(ServiceDescriptor.Singleton&lt;ISqliteSchema, MySchema&gt;())</c>; <see cref="SqliteDatabase"/>
/// applies every registered schema the first time the database is used.
/// </summary>
internal interface ISqliteSchema
{
    /// <summary>The component's name in <c>concord_schema_migrations</c> (lower case, e.g. <c>idempotency</c>); versions are numbered per component.</summary>
    string Component { get; }

    /// <summary>The component's migrations, version 1 first.</summary>
    IReadOnlyList<SqliteMigration> Migrations { get; }
}
