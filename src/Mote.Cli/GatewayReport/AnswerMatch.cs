using System.Text;

namespace Mote.Cli.GatewayReport;

/// <summary>
/// Agreement of two answers by normalized exact match: trimmed, case-folded, whitespace runs collapsed to one space,
/// trailing punctuation removed. Strict on purpose — it suits short-answer question sets (a name, a number, a
/// label); long free-form answers almost never match and need a judge instead.
/// </summary>
internal static class AnswerMatch
{
    public static bool Agree(string? a, string? b) => a is not null && b is not null && Normalize(a) == Normalize(b);

    public static string Normalize(string text)
    {
        var normalized = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var c in text.Trim())
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = true;
                continue;
            }
            if (pendingSpace && normalized.Length > 0)
                normalized.Append(' ');
            pendingSpace = false;
            normalized.Append(char.ToLowerInvariant(c));
        }
        var end = normalized.Length;
        while (end > 0 && (char.IsPunctuation(normalized[end - 1]) || normalized[end - 1] == ' '))
            end--;
        return normalized.ToString(0, end);
    }
}
