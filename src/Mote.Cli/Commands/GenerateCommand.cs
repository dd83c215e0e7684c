using System.CommandLine;
using System.Text.Json;
using Mote.Engine;
using Mote.Engine.Generation;
using Mote.Engine.Runtime;
using Mote.Engine.Sampling;
using Mote.Numerics.Threading;
using Mote.Cli.Output;

namespace Mote.Cli.Commands;

/// <summary><c>mote generate</c>: stream a completion of a prompt to stdout.</summary>
internal static class GenerateCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model", "-m") { Description = "GGUF model file", Required = true };
        var prompt = new Option<string>("--prompt", "-p") { Description = "Prompt text", DefaultValueFactory = _ => "" };
        var maxTokens = new Option<int>("--max-tokens", "-n") { Description = "Tokens to generate (-1: until the context is full)", DefaultValueFactory = _ => 256 };
        var temperature = new Option<float>("--temperature", "--temp") { Description = "Sampling temperature; 0 = greedy", DefaultValueFactory = _ => 0.8f };
        var topK = new Option<int>("--top-k") { Description = "Keep the k most likely tokens (0: off)", DefaultValueFactory = _ => 40 };
        var topP = new Option<float>("--top-p") { Description = "Nucleus threshold (1: off)", DefaultValueFactory = _ => 0.95f };
        var minP = new Option<float>("--min-p") { Description = "Minimum probability relative to the best token (0: off)", DefaultValueFactory = _ => 0.05f };
        var repeatPenalty = new Option<float>("--repeat-penalty") { Description = "Penalty for repeated tokens (1: off)", DefaultValueFactory = _ => 1f };
        var seed = new Option<ulong?>("--seed", "-s") { Description = "RNG seed (default: random)" };
        var ctx = new Option<int>("--ctx", "-c") { Description = "Context length (default: the model's, at most 4096)" };
        var ignoreEos = new Option<bool>("--ignore-eos") { Description = "Do not stop at end-of-generation tokens" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object {prompt_tokens, tokens, text}" };
        var threads = ThreadsOption.Create();
        var cacheType = CacheTypeOption.Create();

        var command = new Command("generate", "Generate text from a prompt with a local GGUF model");
        foreach (var option in new Option[] { model, prompt, maxTokens, temperature, topK, topP, minP, repeatPenalty, seed, ctx, threads, cacheType, ignoreEos, json })
            command.Options.Add(option);

        command.SetAction((result, cancellationToken) =>
        {
            var output = result.InvocationConfiguration.Output;
            var error = result.InvocationConfiguration.Error;
            return Task.FromResult(UserErrors.Run(error, () =>
            {
                var max = result.GetValue(maxTokens);
                var options = new GenerationOptions
                {
                    MaxTokens = max < 0 ? null : max,
                    IgnoreEndOfGeneration = result.GetValue(ignoreEos),
                    Sampling = new SamplingOptions
                    {
                        Temperature = result.GetValue(temperature),
                        TopK = result.GetValue(topK),
                        TopP = result.GetValue(topP),
                        MinP = result.GetValue(minP),
                        RepeatPenalty = result.GetValue(repeatPenalty),
                        Seed = result.GetValue(seed),
                    },
                };
                using var pool = ThreadsOption.CreatePool(result.GetValue(threads));
                return Run(result.GetValue(model)!, result.GetValue(prompt) ?? "", result.GetValue(ctx), options,
                    result.GetValue(json), output, error, cancellationToken, pool, result.GetValue(cacheType));
            }));
        });
        return command;
    }

    internal static int Run(string modelPath, string prompt, int contextLength, GenerationOptions options, bool json,
        TextWriter output, TextWriter error, CancellationToken cancellationToken, WorkerPool? pool = null,
        KvCacheType cacheType = KvCacheType.F32)
    {
        using var model = Model.Load(modelPath);
        var session = new InferenceSession(model, new SessionOptions { ContextLength = contextLength, CacheType = cacheType, Pool = pool });
        var promptTokens = model.Tokenizer.Encode(prompt, addSpecial: true);
        var generator = new TextGenerator(session);
        var tokens = new List<int>();
        var text = new System.Text.StringBuilder();
        foreach (var step in generator.Generate(promptTokens, options, cancellationToken))
        {
            if (!step.IsTextOnly)
                tokens.Add(step.Id);
            text.Append(step.Text);
            if (!json)
            {
                output.Write(step.Text);
                output.Flush();
            }
        }

        if (json)
        {
            var result = new GenerateResult(promptTokens, tokens.ToArray(), text.ToString(), FinishReasonName(generator.FinishReason));
            output.WriteLine(JsonSerializer.Serialize(result, CliJsonContext.Default.GenerateResult));
        }
        else
        {
            output.WriteLine();
        }
        if (generator.FinishReason == FinishReason.ContextFull)
            error.WriteLine($"note: stopped because the context of {session.ContextLength} tokens is full (use --ctx to raise it).");
        return 0;
    }

    private static string FinishReasonName(FinishReason? reason) => reason switch
    {
        FinishReason.Stop => "stop",
        FinishReason.Length => "length",
        FinishReason.ContextFull => "context_full",
        FinishReason.Cancelled => "cancelled",
        _ => "unknown",
    };
}
