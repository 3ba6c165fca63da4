using Concord.Storage.PostgreSql.Infrastructure;

namespace Concord.Storage.PostgreSql.Identity;

/// <summary>
/// The <c>concord_identity_links</c> table: one row per (canonical id, system). The unique (system, external id) index
/// makes a second canonical id for one external record impossible, whichever instance writes it.
/// </summary>
internal sealed class PostgreSqlIdentitySchema : IPostgreSqlSchema
{
    public const string Table = "{schema}.concord_identity_links";

    public string Component => "identity";

    public IReadOnlyList<PostgreSqlMigration> Migrations { get; } =
    [
        new(1, "create concord_identity_links", $"""
            CREATE TABLE {Table} (
                canonical_id text COLLATE "C" NOT NULL,
                system       text COLLATE "C" NOT NULL,
                external_id  text        NOT NULL,
                fingerprint  text,
                updated_at   timestamptz NOT NULL,
                PRIMARY KEY (canonical_id, system)
            );
            CREATE UNIQUE INDEX ux_concord_identity_links_reference ON {Table} (system, external_id);
            """),
    ];
}
