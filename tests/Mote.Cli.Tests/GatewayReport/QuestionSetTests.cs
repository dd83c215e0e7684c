using Mote.Cli.GatewayReport;
using Mote.Contracts;

namespace Mote.Cli.Tests.GatewayReport;

public sealed class QuestionSetTests
{
    [Fact]
    public void Parse_PlainText_OneUserMessagePerNonBlankLine()
    {
        var questions = QuestionSet.Parse(["What is 2 + 2?", "   ", " Who wrote Hamlet? "], "q.txt");

        Assert.Equal([(1, "What is 2 + 2?"), (3, "Who wrote Hamlet?")], questions.Select(q => (q.Line, q.Text)));
        var message = Assert.Single(questions[1].Messages);
        Assert.Equal(ChatRoles.User, message.Role);
        Assert.Equal("Who wrote Hamlet?", message.Content!.GetText());
    }

    [Fact]
    public void Parse_Jsonl_TakesQuestionsAndOpenAiMessages()
    {
        var questions = QuestionSet.Parse(
        [
            """{"question": "Capital of France?"}""",
            "",
            """{"messages": [{"role": "system", "content": "Answer in one word."}, {"role": "user", "content": "Largest planet?"}]}""",
        ], "q.jsonl");

        Assert.Equal(2, questions.Count);
        Assert.Equal("Capital of France?", questions[0].Text);
        Assert.Equal((3, "Largest planet?"), (questions[1].Line, questions[1].Text));
        Assert.Equal([ChatRoles.System, ChatRoles.User], questions[1].Messages.Select(m => m.Role));
        Assert.Equal("Answer in one word.", questions[1].Messages[0].Content!.GetText());
    }

    [Theory]
    [InlineData("""{"question": 3}""", "q.jsonl line 2: \"question\" must be a string.")]
    [InlineData("""{"prompt": "x"}""", "q.jsonl line 2: expected {\"question\": \"...\"} or {\"messages\": [...]}.")]
    [InlineData("{\"question\": \"x", "q.jsonl line 2: invalid JSON")]
    public void Parse_BadJsonlLine_NamesTheLine(string line, string message)
    {
        var e = Assert.Throws<ReportException>(() => QuestionSet.Parse(["""{"question": "fine"}""", line], "q.jsonl"));

        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
    }
}
