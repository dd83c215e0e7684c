using Mote.Engine.Loading;
using Mote.Engine.Runtime;
using Mote.Gguf;
using Mote.Numerics.Kernels;
using Mote.Numerics.Kernels.Quantized;
using Mote.Testing;

namespace Mote.Engine.Tests.Runtime;

/// <summary>
/// A model whose q4_0/q4_1/q5_0/q5_1/q8_0 matrices were interleaved into panels at load computes what the file's layout
/// computes, checked against llama.cpp's logits for the same files.
/// </summary>
public sealed class PanelWeightsTests
{
    [FixtureTheory]
    [InlineData("q4_0")]
    [InlineData("q4_1")]
    [InlineData("q5_0")]
    [InlineData("q5_1")]
    [InlineData("q8_0")]
    public void Prefill_PanelWeights_AsCloseToLlamaCppAsTheFilesLayout(string type)
    {
        var golden = GoldenRun.Load(Fixtures.Path("golden", $"golden-stories260K-{type}.json"));
        using var panels = Model.Load(Fixtures.Path("stories260K", $"stories260K-{type}.gguf"));
        using var rows = Model.Load(Fixtures.Path("stories260K", $"stories260K-{type}.gguf"), interleaveWeights: false);
        if (WeightPanels.Preferred && GgufFile.CanReleasePages)
        {
            var interleaved = panels.Weights.Layers.SelectMany(l => new[] { l.Query, l.Key, l.Value, l.Output, l.Gate, l.Up, l.Down })
                .Where(m => m.Layout == WeightLayout.Panels8).ToList();
            Assert.NotEmpty(interleaved);
            Assert.Throws<InvalidOperationException>(() => interleaved[0].Row(0));
        }
        Assert.All(rows.Weights.Layers, l => Assert.Equal(WeightLayout.RowMajor, l.Query.Layout));
        float worstPanels = 0, worstRows = 0;
        foreach (var prompt in golden.Prompts)
        {
            worstPanels = Math.Max(worstPanels, MaxAbsDifference(panels, prompt));
            worstRows = Math.Max(worstRows, MaxAbsDifference(rows, prompt));
        }
        // llama.cpp's run used an f16 cache and flash attention: both layouts are ~0.3 off it (measured 0.26–0.31), and
        // an activation rounded the other way by float noise moves a logit by up to ~0.02, never more here.
        Assert.True(worstPanels <= 0.5f, $"{type}: panels max |Δlogit| {worstPanels} vs llama.cpp");
        Assert.True(worstPanels <= worstRows + 0.02f, $"{type}: panels {worstPanels}, file layout {worstRows} off llama.cpp");
    }

    private static float MaxAbsDifference(Model model, GoldenPrompt prompt)
    {
        var logits = new InferenceSession(model, new SessionOptions { ContextLength = 512 }).Prefill(prompt.TokensWithSpecial);
        var worst = 0f;
        for (var i = 0; i < logits.Length; i++)
            worst = Math.Max(worst, Math.Abs(logits[i] - prompt.LastPromptLogits[i]));
        return worst;
    }

    [FixtureFact]
    public void DequantizeRow_PanelMatrix_EqualsTheFilesRow()
    {
        if (!WeightPanels.Preferred || !GgufFile.CanReleasePages)
            return; // nothing is interleaved on this machine: the row-major path is covered by every other test
        using var panels = Model.Load(Fixtures.Path("stories260K/stories260K-q8_0.gguf"));
        using var rows = Model.Load(Fixtures.Path("stories260K/stories260K-q8_0.gguf"), interleaveWeights: false);
        var layer = panels.Weights.Layers.Select((l, i) => (l.Query, i)).First(p => p.Query.Layout == WeightLayout.Panels8);
        var reference = rows.Weights.Layers[layer.i].Query;
        var expected = new float[reference.Columns];
        var actual = new float[reference.Columns];
        for (var r = 0; r < reference.Rows; r++)
        {
            reference.DequantizeRow(r, expected);
            layer.Query.DequantizeRow(r, actual);
            Assert.Equal(expected, actual);
        }
    }
}
