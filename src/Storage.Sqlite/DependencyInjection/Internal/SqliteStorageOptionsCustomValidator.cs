using Microsoft.Extensions.Options;

namespace Concord.Storage.Sqlite.DependencyInjection.Internal;

/// <summary>Checks the rules on <see cref="SqliteStorageOptions"/> that attributes cannot express under AOT.</summary>
internal sealed class SqliteStorageOptionsCustomValidator : IValidateOptions<SqliteStorageOptions>
{
    internal static readonly TimeSpan MaxBusyTimeout = TimeSpan.FromMinutes(10);

    public ValidateOptionsResult Validate(string? name, SqliteStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new ValidateOptionsResultBuilder();

        var path = options.DatabasePath?.Trim();
        if (string.Equals(path, ":memory:", StringComparison.OrdinalIgnoreCase) || (path?.StartsWith("file:", StringComparison.OrdinalIgnoreCase) ?? false))
        {
            builder.AddError(
                $"must be a file path; in-memory and URI databases are not supported (each connection would see its own database). It is '{path}'.",
                $"{nameof(SqliteStorageOptions)}.{nameof(SqliteStorageOptions.DatabasePath)}");
        }

        if (options.BusyTimeout < TimeSpan.Zero || options.BusyTimeout > MaxBusyTimeout)
        {
            builder.AddError(
                $"must be between 0 and {MaxBusyTimeout}; it is {options.BusyTimeout}.",
                $"{nameof(SqliteStorageOptions)}.{nameof(SqliteStorageOptions.BusyTimeout)}");
        }

        if (!Enum.IsDefined(options.Synchronous))
        {
            builder.AddError(
                $"must be {nameof(SqliteSynchronousMode.Normal)} or {nameof(SqliteSynchronousMode.Full)}; it is {(int)options.Synchronous}.",
                $"{nameof(SqliteStorageOptions)}.{nameof(SqliteStorageOptions.Synchronous)}");
        }

        return builder.Build();
    }
}
