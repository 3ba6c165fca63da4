using Concord.Storage.PostgreSql.Infrastructure;

namespace Concord.Storage.PostgreSql.Audit;

/// <summary>The <c>concord_audit</c> table: append-only, in append order (<c>seq</c>); the changed fields are a text array, the refused ones JSON.</summary>
internal sealed class PostgreSqlAuditSchema : IPostgreSqlSchema
{
    public const string Table = "{schema}.concord_audit";

    public string Component => "audit";

    public IReadOnlyList<PostgreSqlMigration> Migrations { get; } =
    [
        new(1, "create concord_audit", $"""
            CREATE TABLE {Table} (
                seq                bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                id                 text        NOT NULL UNIQUE,
                at                 timestamptz NOT NULL,
                flow               text        NOT NULL,
                source_system      text        NOT NULL,
                source_external_id text,
                target_system      text,
                target_external_id text,
                canonical_id       text,
                actor              text        NOT NULL,
                correlation_id     text        NOT NULL,
                outcome            text        NOT NULL,
                fields_changed     text[],
                fields_refused     text,
                detail             text
            );
            CREATE INDEX ix_concord_audit_canonical ON {Table} (canonical_id, seq);
            CREATE INDEX ix_concord_audit_correlation ON {Table} (correlation_id, seq);
            CREATE INDEX ix_concord_audit_at ON {Table} (at);
            """),
    ];
}
