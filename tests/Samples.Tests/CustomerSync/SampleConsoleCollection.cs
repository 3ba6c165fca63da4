using Spectre.Console;

namespace Concord.Samples.Tests.CustomerSync;

/// <summary>
/// The sample writes to the static <c>AnsiConsole.Console</c>, which each test swaps for a <see cref="StringWriter"/>:
/// tests that run the sample share this collection so they run one after another, never writing into each other's output.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SampleConsoleCollection
{
    public const string Name = "sample console";

    /// <summary>Runs the sample with its console captured: the exit code and what it printed, whitespace collapsed to single spaces.</summary>
    public static async Task<(int ExitCode, string Text)> CaptureAsync(Func<Task<int>> run)
    {
        using var output = new StringWriter();
        var console = AnsiConsole.Console;
        AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No });
        AnsiConsole.Console.Profile.Width = 1_000; // one line per message
        int exitCode;
        try
        {
            exitCode = await run();
        }
        finally
        {
            AnsiConsole.Console = console;
        }

        return (exitCode, string.Join(' ', output.ToString().Split((char[])['\n', '\r', ' '], StringSplitOptions.RemoveEmptyEntries)));
    }
}
