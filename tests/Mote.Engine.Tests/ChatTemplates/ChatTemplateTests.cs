using Mote.Engine.ChatTemplates;

namespace Mote.Engine.Tests.ChatTemplates;

/// <summary>The public behaviour around rendering: errors, system-prompt folding, fallbacks and leniency.</summary>
public sealed class ChatTemplateTests
{
    private static readonly ChatMessage[] s_conversation =
    [
        new("system", "Be brief."),
        new("user", "Hi"),
    ];

    [Fact]
    public void RenderRaw_GemmaWithSystemMessage_ThrowsTheTemplatesOwnMessage()
    {
        var gemma = ChatTemplate.Parse(TemplateData.ReadTemplate("google-gemma-2-2b-it"));
        var variables = new Dictionary<string, object?>
        {
            ["messages"] = s_conversation,
            ["bos_token"] = "<bos>",
            ["add_generation_prompt"] = true,
        };

        var e = Assert.Throws<ChatTemplateRaisedException>(() => gemma.RenderRaw(variables));

        Assert.Equal("System role not supported", e.Message);
        Assert.Equal(1, e.Line);
    }

    [Fact]
    public void Render_GemmaWithSystemMessage_FoldsItIntoTheFirstUserTurn()
    {
        var gemma = ChatTemplate.Parse(TemplateData.ReadTemplate("google-gemma-2-2b-it"));

        var prompt = gemma.Render(s_conversation, addGenerationPrompt: true, "<bos>", "<eos>");

        Assert.False(gemma.SupportsSystemRole);
        Assert.Equal("<bos><start_of_turn>user\nBe brief.\nHi<end_of_turn>\n<start_of_turn>model\n", prompt);
    }

    [Fact]
    public void Render_AlternationViolation_ThrowsRaisedException()
    {
        var gemma = ChatTemplate.Parse(TemplateData.ReadTemplate("google-gemma-2-2b-it"));

        var e = Assert.Throws<ChatTemplateRaisedException>(() =>
            gemma.Render([new("user", "a"), new("user", "b")], true, "<bos>", "<eos>"));

        Assert.Equal("Conversation roles must alternate user/assistant/user/assistant/...", e.Message);
    }

    [Fact]
    public void ChatMl_Render_ProducesImStartTurnsAndGenerationPrompt()
    {
        var prompt = ChatTemplate.ChatMl.Render(s_conversation, addGenerationPrompt: true, null, null);

        Assert.Equal("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n", prompt);
        Assert.True(ChatTemplate.ChatMl.SupportsSystemRole);
    }

    [Fact]
    public void Parse_UnclosedIf_ReportsTheMissingEndTagAndLine()
    {
        var e = Assert.Throws<ChatTemplateException>(() => ChatTemplate.Parse("a\n{% if x %}\nb"));

        Assert.Contains("endif", e.Message, StringComparison.Ordinal);
        Assert.True(e.Line >= 2, $"line {e.Line}");
    }

    [Fact]
    public void Parse_UnknownTag_NamesIt()
    {
        var e = Assert.Throws<ChatTemplateException>(() => ChatTemplate.Parse("{% include 'x.jinja' %}"));

        Assert.Contains("include", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_RuntimeError_ReportsTheStatementLine()
    {
        var template = ChatTemplate.Parse("first\nsecond\n{{ messages[0].content + 1 }}");

        var e = Assert.Throws<ChatTemplateException>(() => template.Render([new("user", "x")], false, null, null));

        Assert.Equal(3, e.Line);
        Assert.Contains("concatenate", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_AttributeOfUndefined_IsEmptyRatherThanAnError()
    {
        // Jinja2 raises here; Mote stays lenient so a template reading an absent nested field still renders.
        var template = ChatTemplate.Parse("[{{ nope.attr.deeper }}][{{ nope['k'] }}]");

        Assert.Equal("[][]", template.RenderRaw(new Dictionary<string, object?>()));
    }

    [Fact]
    public void Render_Extra_OverridesDefaultsAndAddsVariables()
    {
        var template = ChatTemplate.Parse("{{ bos_token }}|{{ tools is none }}|{{ custom }}|{{ messages|length }}");

        var text = template.Render([new("user", "x")], false, "<s>", "</s>",
            new Dictionary<string, object?> { ["bos_token"] = "<B>", ["custom"] = 42 });

        Assert.Equal("<B>|True|42|1", text);
    }

    [Fact]
    public void Render_NullTokens_RenderAsEmpty()
    {
        var template = ChatTemplate.Parse("[{{ bos_token }}{{ eos_token }}]");

        Assert.Equal("[]", template.Render([], false, null, null));
    }

    [Fact]
    public void Render_DeepMacroRecursion_FailsCleanly()
    {
        var template = ChatTemplate.Parse("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}");

        var e = Assert.Throws<ChatTemplateException>(() => template.RenderRaw(new Dictionary<string, object?>()));

        Assert.Contains("nested deeper", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_HugeRange_FailsCleanly()
    {
        var template = ChatTemplate.Parse("{% for i in range(100000000) %}x{% endfor %}");

        Assert.Throws<ChatTemplateException>(() => template.RenderRaw(new Dictionary<string, object?>()));
    }

    [Fact]
    public void Parse_PathologicalNesting_FailsCleanlyInsteadOfOverflowingTheStack()
    {
        var source = "{{ " + new string('(', 5000) + "1" + new string(')', 5000) + " }}";

        var e = Assert.Throws<ChatTemplateException>(() => ChatTemplate.Parse(source));

        Assert.Contains("nested deeper", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_RunawayNestedLoops_FailCleanly()
    {
        var template = ChatTemplate.Parse("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}");

        var e = Assert.Throws<ChatTemplateException>(() => template.RenderRaw(new Dictionary<string, object?>()));

        Assert.Contains("loop iterations", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ConcurrentRenders_AgreeWithASerialRender()
    {
        var template = ChatTemplate.Parse(TemplateData.ReadTemplate("Qwen-Qwen2.5-0.5B-Instruct"));
        var expected = template.Render(s_conversation, true, null, "<|im_end|>");

        var results = new string[32];
        Parallel.For(0, results.Length, i => results[i] = template.Render(s_conversation, true, null, "<|im_end|>"));

        Assert.All(results, r => Assert.Equal(expected, r));
    }
}
