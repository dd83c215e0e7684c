using System.Text.Json;
using Mote.Engine.ChatTemplates;

namespace Mote.Engine.Tests.ChatTemplates;

/// <summary>
/// Real Hugging Face chat templates rendered through <see cref="ChatTemplate"/> must produce exactly what Python Jinja2
/// (as transformers runs it) produced, and for llama.cpp's test templates, what llama.cpp's tests expect.
/// </summary>
public sealed class ChatTemplateGoldenTests
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var entry in TemplateData.Goldens)
            data.Add(entry.GetProperty("template").GetString()!, entry.GetProperty("scenario").GetString()!);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Render_RealTemplate_MatchesJinja2Golden(string template, string scenario)
    {
        var entry = TemplateData.Goldens.Single(e =>
            e.GetProperty("template").GetString() == template && e.GetProperty("scenario").GetString() == scenario);
        var chat = ChatTemplate.Parse(TemplateData.ReadTemplate(template), TemplateData.ClockOf(entry));
        var bos = entry.GetProperty("bos_token").GetString();
        var eos = entry.GetProperty("eos_token").GetString();
        var addGenerationPrompt = entry.GetProperty("add_generation_prompt").GetBoolean();
        var extra = TemplateData.Properties(entry.GetProperty("extra"));

        string actual;
        if (entry.GetProperty("raw").GetBoolean())
        {
            var variables = new Dictionary<string, object?>(extra)
            {
                ["messages"] = entry.GetProperty("messages"),
                ["add_generation_prompt"] = addGenerationPrompt,
                ["bos_token"] = bos,
                ["eos_token"] = eos,
            };
            variables.TryAdd("tools", null);
            variables.TryAdd("documents", null);
            actual = chat.RenderRaw(variables);
        }
        else
        {
            var messages = entry.GetProperty("messages").EnumerateArray()
                .Select(m => new ChatMessage(m.GetProperty("role").GetString()!, m.GetProperty("content").GetString()!))
                .ToList();
            actual = chat.Render(messages, addGenerationPrompt, bos, eos, extra);
        }

        Assert.Equal(entry.GetProperty("expected").GetString(), actual);
        Assert.Equal(entry.GetProperty("supports_system_role").GetBoolean(), chat.SupportsSystemRole);
    }

    [Fact]
    public void Goldens_CoverTheModelsMoteShipsAliasesFor()
    {
        var templates = TemplateData.Goldens.Select(e => e.GetProperty("template").GetString()).ToHashSet();
        string[] shipped =
        [
            "HuggingFaceTB-SmolLM2-135M-Instruct", "Qwen-Qwen2.5-0.5B-Instruct", "meta-llama-Llama-3.2-1B-Instruct",
            "microsoft-Phi-3-mini-4k-instruct", "google-gemma-2-2b-it", "TinyLlama-TinyLlama-1.1B-Chat-v1.0", "chatml",
        ];
        foreach (var name in shipped)
            Assert.Contains(name, templates);
        Assert.True(TemplateData.Goldens.Count >= 50, "goldens.json looks truncated");
    }

    [Fact]
    public void ChatMl_FallbackSource_IsTheTestedChatMlTemplate()
    {
        Assert.Equal(TemplateData.ReadTemplate("chatml"), ChatTemplate.ChatMl.Source);
    }

    [Fact]
    public void Render_Llama32WithSystemClock_UsesTodaysDate()
    {
        var chat = ChatTemplate.Parse(TemplateData.ReadTemplate("meta-llama-Llama-3.2-1B-Instruct"), new FixedClock(new DateTime(2031, 2, 3)));

        var prompt = chat.Render([new ChatMessage("user", "Hi")], true, "<|begin_of_text|>", "<|eot_id|>");

        Assert.Contains("Today Date: 03 Feb 2031\n\n", prompt, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ToolsAsJsonNode_RendersLikeJsonElement()
    {
        var chat = ChatTemplate.Parse(TemplateData.ReadTemplate("Qwen-Qwen2.5-0.5B-Instruct"));
        var entry = TemplateData.Goldens.Single(e =>
            e.GetProperty("template").GetString() == "Qwen-Qwen2.5-0.5B-Instruct" && e.GetProperty("scenario").GetString() == "tools");
        var toolsNode = System.Text.Json.Nodes.JsonNode.Parse(entry.GetProperty("extra").GetProperty("tools").GetRawText());
        var messages = entry.GetProperty("messages").EnumerateArray()
            .Select(m => new ChatMessage(m.GetProperty("role").GetString()!, m.GetProperty("content").GetString()!)).ToList();

        var actual = chat.Render(messages, true, "", "<|im_end|>", new Dictionary<string, object?> { ["tools"] = toolsNode });

        Assert.Equal(entry.GetProperty("expected").GetString(), actual);
    }
}
