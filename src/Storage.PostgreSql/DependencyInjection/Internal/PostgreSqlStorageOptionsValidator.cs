using Concord.Storage.PostgreSql.Infrastructure;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Concord.Storage.PostgreSql.DependencyInjection.Internal;

/// <summary>Checks <see cref="PostgreSqlStorageOptions"/> when the host starts; messages name the option.</summary>
internal sealed class PostgreSqlStorageOptionsValidator(PostgreSqlExternalDataSource? external = null) : IValidateOptions<PostgreSqlStorageOptions>
{
    public ValidateOptionsResult Validate(string? name, PostgreSqlStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new ValidateOptionsResultBuilder();
        if (external is null)
        {
            if (string.IsNullOrWhiteSpace(options.ConnectionString))
            {
                builder.AddError(
                    "is required: set it to the Npgsql connection string of the database Concord should use (or call UsePostgreSql(NpgsqlDataSource)).",
                    $"{nameof(PostgreSqlStorageOptions)}.{nameof(PostgreSqlStorageOptions.ConnectionString)}");
            }
            else
            {
                try
                {
                    _ = new NpgsqlConnectionStringBuilder(options.ConnectionString);
                }
                catch (ArgumentException exception)
                {
                    builder.AddError(
                        $"is not a valid Npgsql connection string: {exception.Message}",
                        $"{nameof(PostgreSqlStorageOptions)}.{nameof(PostgreSqlStorageOptions.ConnectionString)}");
                }
            }
        }

        if (!PostgreSqlDatabase.IsValidSchemaName(options.Schema))
        {
            builder.AddError(
                $"must be a lower-case schema name (letters, digits and underscores, starting with a letter, at most 63 characters); it is '{options.Schema}'.",
                $"{nameof(PostgreSqlStorageOptions)}.{nameof(PostgreSqlStorageOptions.Schema)}");
        }

        return builder.Build();
    }
}
