using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Mote.Cli.Output;
using Mote.Engine;
using Mote.Engine.Loading;
using Mote.Evaluation.Perplexity;
using Mote.Numerics.Threading;

namespace Mote.Cli.Commands;

/// <summary><c>mote perplexity</c>: perplexity over a text file, optionally KL divergence from a reference model.</summary>
internal static class PerplexityCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model", "-m") { Description = "GGUF model file", Required = true };
        var file = new Option<string>("--file", "-f") { Description = "Text file to evaluate", Required = true };
        var ctx = new Option<int>("--ctx", "-c") { Description = "Tokens per chunk", DefaultValueFactory = _ => 512 };
        var reference = new Option<string?>("--reference") { Description = "Reference model (e.g. the f32 original) for KL divergence" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object" };
        var threads = ThreadsOption.Create();

        var command = new Command("perplexity", "Measure perplexity (and KL divergence from a reference model) the way llama-perplexity does");
        foreach (var option in new Option[] { model, file, ctx, reference, threads, json })
            command.Options.Add(option);
        command.SetAction((result, cancellationToken) => Task.FromResult(UserErrors.Run(result.InvocationConfiguration.Error, () =>
        {
            using var pool = ThreadsOption.CreatePool(result.GetValue(threads));
            return Run(result.GetValue(model)!, result.GetValue(file)!, result.GetValue(ctx), result.GetValue(reference), result.GetValue(json),
                result.InvocationConfiguration.Output, result.InvocationConfiguration.Error, cancellationToken, pool);
        })));
        return command;
    }

    internal static int Run(string modelPath, string textPath, int contextLength, string? referencePath, bool json,
        TextWriter output, TextWriter error, CancellationToken cancellationToken, WorkerPool? pool = null)
    {
        var text = File.ReadAllText(textPath);
        using var model = Model.Load(modelPath);
        var evaluator = new PerplexityEvaluator(model, contextLength, pool);
        var tokens = evaluator.Tokenize(text);
        KldBase? kldBase = null;
        if (referencePath is not null)
        {
            using var reference = Model.Load(referencePath);
            if (reference.HyperParameters.VocabularySize != model.HyperParameters.VocabularySize)
                throw new ModelLoadException($"{referencePath}: the reference has {reference.HyperParameters.VocabularySize} tokens, the model {model.HyperParameters.VocabularySize}.");
            if (!json)
                error.WriteLine($"computing reference log-probabilities with {referencePath} ...");
            kldBase = new PerplexityEvaluator(reference, contextLength, pool).ComputeBase(tokens, cancellationToken);
        }
        if (!json)
            evaluator.ChunkDone += (done, total, running) =>
            {
                if (done % 10 == 0 || done == total)
                    error.Write(string.Create(CultureInfo.InvariantCulture, $"\rchunk {done}/{total}  ppl {running:F4}   "));
            };
        var result = evaluator.Evaluate(tokens, kldBase, cancellationToken);
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(result, CliJsonContext.Default.PerplexityResult));
            return 0;
        }
        error.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"PPL = {result.Perplexity:F4} +/- {result.PerplexityError:F5}  ({result.ScoredTokens} tokens scored in {result.Chunks} chunks of {result.ContextLength})"));
        if (result.KlDivergenceMean is { } kld)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Reference PPL = {result.ReferencePerplexity:F4}"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Mean KLD = {kld:F6} +/- {result.KlDivergenceError:F6}"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Same top token = {result.SameTopPercent:F2} %"));
        }
        return 0;
    }
}
