using Mote.Evaluation.Synthesis;
using Mote.Testing;

namespace Mote.Server.Tests.LocalModels;

/// <summary>Model files for the local-model tests.</summary>
internal static class TestModels
{
    private static readonly Lazy<string> s_tiny = new(() =>
    {
        var path = Path.Combine(RepoPaths.NewTempDirectory(), "tiny-chat.gguf");
        ModelSynthesizer.Write(SyntheticShape.All["tiny"], QuantRecipe.All["q8_0"], 42, path);
        return path;
    });

    /// <summary>Karpathy's stories260K (f32), with llama.cpp goldens.</summary>
    public static string Stories => Fixtures.Path("stories260K", "stories260K-f32.gguf");

    public static string StoriesGolden => Fixtures.Path("golden", "golden-stories260K-f32-kvf32-noFA.json");

    /// <summary>
    /// A random-weight model made by <c>mote synth</c> (tiny shape, Q8_0): a byte-level BPE vocabulary with ChatML
    /// control tokens and a ChatML chat template. Its answers are noise, which is what constrained decoding must survive.
    /// </summary>
    public static string TinyChat => s_tiny.Value;
}
