using Concord.Storage.Sqlite.Infrastructure;

namespace Concord.Storage.Sqlite.Identity;

/// <summary>
/// The <c>concord_identity_links</c> table: one row per (canonical id, system). The unique (system, external id) index is
/// what makes a second canonical id for one external record impossible, whichever process writes it.
/// </summary>
internal sealed class SqliteIdentitySchema : ISqliteSchema
{
    public const string Table = "concord_identity_links";

    public string Component => "identity";

    public IReadOnlyList<SqliteMigration> Migrations { get; } =
    [
        new(1, $"create {Table}", $"""
            CREATE TABLE {Table} (
                canonical_id TEXT NOT NULL,
                system       TEXT NOT NULL,
                external_id  TEXT NOT NULL,
                fingerprint  TEXT,
                updated_at   TEXT NOT NULL,
                PRIMARY KEY (canonical_id, system)
            ) WITHOUT ROWID;
            CREATE UNIQUE INDEX ux_{Table}_reference ON {Table} (system, external_id);
            """),
    ];
}
