using System.Text;

namespace Mote.Evaluation.Benchmarks;

/// <summary>Prints a result as markdown: llama-bench's table, then the other figures as a two-column table.</summary>
public static class BenchMarkdown
{
    public static string Format(BenchResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var text = new StringBuilder();
        var columns = BenchReport.Columns;
        Line(text, columns);
        Line(text, BenchReport.NumericColumns.Select(numeric => numeric ? "---:" : "---").ToList());
        foreach (var row in BenchReport.Rows(result))
            Line(text, row);
        text.Append('\n');
        Line(text, ["figure", "value"]);
        Line(text, ["---", "---"]);
        foreach (var (name, value) in BenchReport.Details(result))
            Line(text, [name, value]);
        return text.ToString();
    }

    private static void Line(StringBuilder text, IReadOnlyList<string> cells)
    {
        text.Append('|');
        foreach (var cell in cells)
            text.Append(' ').Append(cell.Replace("|", "\\|", StringComparison.Ordinal)).Append(" |");
        text.Append('\n');
    }
}
