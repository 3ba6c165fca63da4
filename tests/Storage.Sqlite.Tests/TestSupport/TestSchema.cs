using Concord.Storage.Sqlite.Infrastructure;

namespace Concord.Storage.Sqlite.Tests.TestSupport;

/// <summary>A schema a test makes up: component <c>test</c> with the given migrations.</summary>
internal sealed class TestSchema(params SqliteMigration[] migrations) : ISqliteSchema
{
    public const string CreateNotes = "CREATE TABLE test_notes (id INTEGER NOT NULL PRIMARY KEY, text TEXT NOT NULL);";

    public string Component { get; init; } = "test";

    public IReadOnlyList<SqliteMigration> Migrations { get; } = migrations;

    public static TestSchema Notes() => new(new SqliteMigration(1, "create test_notes", CreateNotes));
}
