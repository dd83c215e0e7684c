using System.Text.Json;
using Mote.Contracts;

namespace Mote.Cli.GatewayReport;

/// <summary>
/// Reads the questions of a report. Two formats, told apart by the first non-blank line:
/// <list type="bullet">
/// <item>plain text: one question per line, sent as one user message; blank lines are skipped;</item>
/// <item>JSONL (the first line starts with <c>{</c>): one object per line, either <c>{"question": "..."}</c> or
/// <c>{"messages": [...]}</c> in OpenAI form (system prompts, few-shot turns); blank lines are skipped.</item>
/// </list>
/// </summary>
internal static class QuestionSet
{
    public static IReadOnlyList<ReportQuestion> Load(string path)
    {
        if (!File.Exists(path))
            throw new ReportException($"questions file not found: {path}");
        var lines = File.ReadAllLines(path);
        var questions = Parse(lines, path);
        return questions.Count > 0 ? questions : throw new ReportException($"{path} holds no questions (one per line, or JSONL with \"question\" or \"messages\").");
    }

    public static List<ReportQuestion> Parse(IReadOnlyList<string> lines, string source)
    {
        var jsonl = lines.FirstOrDefault(l => !string.IsNullOrWhiteSpace(l))?.TrimStart().StartsWith('{') == true;
        var questions = new List<ReportQuestion>();
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0)
                continue;
            questions.Add(jsonl ? FromJson(line, i + 1, source) : new ReportQuestion(i + 1, line, [User(line)]));
        }
        return questions;
    }

    private static ReportQuestion FromJson(string line, int number, string source)
    {
        ChatCompletionRequest? parsed;
        string? question = null;
        try
        {
            using var document = JsonDocument.Parse(line);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new ReportException($"{source} line {number}: expected a JSON object.");
            if (document.RootElement.TryGetProperty("question", out var text))
            {
                question = text.ValueKind == JsonValueKind.String ? text.GetString()
                    : throw new ReportException($"{source} line {number}: \"question\" must be a string.");
            }
            parsed = question is null ? document.RootElement.Deserialize(MoteJsonContext.Default.ChatCompletionRequest) : null;
        }
        catch (JsonException e)
        {
            throw new ReportException($"{source} line {number}: invalid JSON: {e.Message}", e);
        }

        if (question is not null)
        {
            return string.IsNullOrWhiteSpace(question)
                ? throw new ReportException($"{source} line {number}: \"question\" is empty.")
                : new ReportQuestion(number, question.Trim(), [User(question)]);
        }
        if (parsed?.Messages is not { Count: > 0 } messages)
            throw new ReportException($"{source} line {number}: expected {{\"question\": \"...\"}} or {{\"messages\": [...]}}.");
        // The row is named by the last user message: the question the conversation ends with.
        var last = messages.LastOrDefault(m => m.Role == ChatRoles.User) ?? messages[^1];
        return new ReportQuestion(number, last.Content?.GetText().Trim() ?? "", messages);
    }

    private static ChatMessage User(string text) => new() { Role = ChatRoles.User, Content = text };
}
