using Microsoft.Extensions.Options;

namespace Concord.Storage.Sqlite.DependencyInjection.Internal;

/// <summary>Checks the attribute rules on <see cref="SqliteStorageOptions"/> (generated).</summary>
[OptionsValidator]
internal sealed partial class SqliteStorageOptionsValidator : IValidateOptions<SqliteStorageOptions>;
