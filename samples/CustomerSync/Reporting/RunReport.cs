using System.Globalization;
using Concord.Sync.Flows;
using Spectre.Console;

namespace Concord.Samples.CustomerSync.Reporting;

/// <summary>What one run did: the flow's summary, the events published and the vendor requests sent.</summary>
internal sealed record RunResult(string Label, FlowRunSummary Summary, IReadOnlyDictionary<string, int> Events, IReadOnlyDictionary<string, long> VendorRequests);

/// <summary>One row per run: what the flow read and did, the events it published and the vendor requests it cost.</summary>
internal static class RunReport
{
    public static void Write(string title, IReadOnlyList<RunResult> runs)
    {
        var table = new Table().Border(TableBorder.Rounded).Title(title);
        table.AddColumn(string.Empty);
        foreach (var run in runs)
        {
            table.AddColumn(new TableColumn(Markup.Escape(run.Label)).RightAligned());
        }

        Row(table, "read", runs, r => N(r.Summary.Read));
        Row(table, "created", runs, r => N(r.Summary.Created));
        Row(table, "updated", runs, r => N(r.Summary.Updated));
        Row(table, "unchanged", runs, r => N(r.Summary.Unchanged));
        Row(table, "refused by ownership", runs, r => N(r.Summary.RefusedByOwnership));
        Row(table, "dead-lettered", runs, r => N(r.Summary.DeadLettered));
        Row(table, "deferred", runs, r => N(r.Summary.Deferred));
        Row(table, "duplicates avoided", runs, r => N(r.Summary.DuplicatesAvoided));
        Row(table, "events published", runs, r => N(r.Events.Values.Sum()));
        foreach (var system in runs.SelectMany(r => r.VendorRequests.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            Row(table, system + " requests", runs, r => r.VendorRequests.GetValueOrDefault(system).ToString("N0", CultureInfo.InvariantCulture));
        }

        Row(table, "elapsed", runs, r => string.Create(CultureInfo.InvariantCulture, $"{r.Summary.Elapsed.TotalSeconds:0.00} s"));
        AnsiConsole.Write(table);

        foreach (var (label, s, events, _) in runs)
        {
            var published = events.Count == 0 ? "none" : string.Join(", ", events.Select(e => $"{e.Value} {e.Key}"));
            AnsiConsole.MarkupLine($"[grey]{Markup.Escape(label)}: correlation id {Markup.Escape(s.CorrelationId)}; events: {Markup.Escape(published)}[/]");
            if (s.Stopped)
            {
                AnsiConsole.MarkupLine($"[red]{Markup.Escape(label)} stopped early: {Markup.Escape(s.StopReason ?? "no reason given")}[/]");
            }
        }
    }

    private static void Row(Table table, string metric, IReadOnlyList<RunResult> runs, Func<RunResult, string> value) =>
        table.AddRow([metric, .. runs.Select(value)]);

    private static string N(int value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
