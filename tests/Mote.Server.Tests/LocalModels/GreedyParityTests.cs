using System.Text.Json;
using Mote.Testing;
using Mote.Tokenizers;

namespace Mote.Server.Tests.LocalModels;

/// <summary>
/// Greedy answers through the HTTP server are llama.cpp's: the golden stories260K continuations, one at a time and
/// eight at once (continuous batching must not change a single token).
/// </summary>
public sealed class GreedyParityTests(StoriesServerFixture fixture) : IClassFixture<StoriesServerFixture>
{
    private LocalServer Server => fixture.Server;

    [FixtureFact]
    public async Task Completions_GoldenPrompts_GreedyTextMatchesLlamaCpp()
    {
        // Two prompts one at a time (all eight run concurrently below): plain text, and byte-fallback UTF-8.
        var golden = GoldenRun.Load(TestModels.StoriesGolden);
        foreach (var prompt in golden.Prompts.Where(p => p.Id is "sentence_numbers" or "byte_fallback_newline"))
        {
            var (status, body) = await Server.JsonAsync("/v1/completions", Request(prompt.TokensWithSpecial));

            Assert.Equal(200, status);
            Assert.Equal(Expected(prompt.GreedyIds), body.GetProperty("choices")[0].GetProperty("text").GetString());
            Assert.Equal(64, body.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
            Assert.Equal(prompt.TokensWithSpecial.Length, body.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        }
    }

    [FixtureFact]
    public async Task Completions_EightGoldenPromptsAtOnce_AllMatchLlamaCppAndShareForwardSteps()
    {
        var golden = GoldenRun.Load(TestModels.StoriesGolden);
        var batchedBefore = Server.Stats.BatchedSteps;

        var answers = await Task.WhenAll(golden.Prompts.Select(p => Server.JsonAsync("/v1/completions", Request(p.TokensWithSpecial))));

        for (var i = 0; i < answers.Length; i++)
        {
            Assert.Equal(200, answers[i].Status);
            Assert.Equal(Expected(golden.Prompts[i].GreedyIds), answers[i].Body.GetProperty("choices")[0].GetProperty("text").GetString());
        }
        Assert.True(Server.Stats.BatchedSteps > batchedBefore, "no forward step carried more than one sequence");
        Assert.True(Server.Stats.MaxSequencesInStep > 1);
    }

    [FixtureFact]
    public async Task Completions_TextPrompt_TokenizedWithBosLikeLlamaCpp()
    {
        var prompt = GoldenRun.Load(TestModels.StoriesGolden).Prompts.First(p => p.Id == "once_upon_a_time");
        var body = $$"""{"model":"{{Server.Model}}","prompt":{{JsonSerializer.Serialize(prompt.Text)}},"max_tokens":64,"temperature":0,"ignore_eos":true}""";

        var (status, answer) = await Server.JsonAsync("/v1/completions", body);

        Assert.Equal(200, status);
        Assert.Equal(prompt.TokensWithSpecial.Length, answer.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(Expected(prompt.GreedyIds), answer.GetProperty("choices")[0].GetProperty("text").GetString());
    }

    private string Request(int[] tokens) =>
        $$"""{"model":"{{Server.Model}}","prompt":{{JsonSerializer.Serialize(tokens)}},"max_tokens":64,"temperature":0,"ignore_eos":true}""";

    /// <summary>llama.cpp's greedy ids as text, decoded the way the server streams them.</summary>
    private string Expected(int[] ids)
    {
        var decoder = new StreamingDecoder(Server.Catalog.Hosts.Single().Get().Model.Tokenizer);
        var text = string.Concat(ids.Select(decoder.Append));
        return text + decoder.Flush();
    }
}
