using Mote.Engine.Hub;

namespace Mote.Engine.Tests.Hub;

public sealed class QuantPickerTests
{
    [Theory]
    [InlineData("Llama-3.2-1B-Instruct-Q4_K_M.gguf", "Q4_K_M")]
    [InlineData("qwen2.5-0.5b-instruct-q8_0.gguf", "Q8_0")]
    [InlineData("tinyllama-1.1b-chat-v1.0.Q5_K_S.gguf", "Q5_K_S")]
    [InlineData("SmolLM2-135M-Instruct-IQ4_XS.gguf", "IQ4_XS")]
    [InlineData("model-f16.gguf", "F16")]
    [InlineData("model-BF16.gguf", "BF16")]
    [InlineData("sub/dir/Model-Q6_K.gguf", "Q6_K")]
    [InlineData("model.gguf", null)]
    public void QuantOf_FileName_FindsTheTag(string file, string? quant)
    {
        Assert.Equal(quant, QuantPicker.QuantOf(file));
    }

    [Fact]
    public void Pick_PrefersQ4KMThenQ8_0ThenFirstByName()
    {
        string[] all = ["m-Q2_K.gguf", "m-Q8_0.gguf", "m-Q4_K_M.gguf", "README.md"];

        Assert.Equal("m-Q4_K_M.gguf", QuantPicker.Pick(all));
        Assert.Equal("m-Q8_0.gguf", QuantPicker.Pick(["m-Q2_K.gguf", "m-Q8_0.gguf"]));
        Assert.Equal("m-Q2_K.gguf", QuantPicker.Pick(["m-Q3_K_S.gguf", "m-Q2_K.gguf"]));
        Assert.Null(QuantPicker.Pick(["README.md", "config.json"]));
    }

    [Fact]
    public void Pick_NeverChoosesShardsOrProjectors()
    {
        string[] files = ["m-Q4_K_M-00001-of-00002.gguf", "m-Q4_K_M-00002-of-00002.gguf", "mmproj-m-f16.gguf", "m-Q5_K_M.gguf"];

        Assert.Equal("m-Q5_K_M.gguf", QuantPicker.Pick(files));
        Assert.Equal(["m-Q5_K_M.gguf"], QuantPicker.Candidates(files));
    }
}
