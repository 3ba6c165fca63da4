namespace Concord.Storage.PostgreSql;

/// <summary>Where Concord keeps its state in a PostgreSQL database shared by every host instance. Validated when the host starts.</summary>
public sealed class PostgreSqlStorageOptions
{
    /// <summary>The Npgsql connection string (<c>Host=db;Database=concord;Username=concord;Password=...</c>).</summary>
    /// <value>Required unless the host registers an <c>NpgsqlDataSource</c> with <c>UsePostgreSql(dataSource)</c>.</value>
    public string? ConnectionString { get; set; }

    /// <summary>The schema that holds Concord's tables; created on first use.</summary>
    /// <value>The default value is <c>concord</c>. Lower-case letters, digits and underscores, starting with a letter, at most 63 characters.</value>
    public string Schema { get; set; } = "concord";
}
