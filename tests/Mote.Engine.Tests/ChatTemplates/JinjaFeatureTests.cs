using Mote.Engine.ChatTemplates;

namespace Mote.Engine.Tests.ChatTemplates;

/// <summary>Each interpreter feature snippet renders exactly as Python Jinja2 rendered it, or fails where Jinja2 failed.</summary>
public sealed class JinjaFeatureTests
{
    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var entry in TemplateData.Features)
            data.Add(entry.GetProperty("name").GetString()!);
        return data;
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Render_FeatureSnippet_MatchesJinja2(string name)
    {
        var entry = TemplateData.Features.Single(e => e.GetProperty("name").GetString() == name);
        var source = entry.GetProperty("template").GetString()!;
        var variables = TemplateData.Properties(entry.GetProperty("context"));

        string Render() => ChatTemplate.Parse(source, TemplateData.ClockOf(entry)).RenderRaw(variables);

        if (entry.TryGetProperty("expected", out var expected))
        {
            Assert.Equal(expected.GetString(), Render());
            return;
        }
        var error = entry.GetProperty("error").GetString();
        if (error == "raised")
        {
            var raised = Assert.Throws<ChatTemplateRaisedException>(Render);
            Assert.Equal(entry.GetProperty("message").GetString(), raised.Message);
        }
        else
        {
            var failure = Assert.ThrowsAny<ChatTemplateException>(Render);
            Assert.IsNotType<ChatTemplateRaisedException>(failure);
        }
    }
}
