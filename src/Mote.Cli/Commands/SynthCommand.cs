using System.CommandLine;
using Mote.Evaluation.Synthesis;
using Spectre.Console;

namespace Mote.Cli.Commands;

/// <summary><c>mote synth</c>: write a random-weight model with a real model's exact shape (for benchmarks and tests).</summary>
internal static class SynthCommand
{
    public static Command Create()
    {
        var shape = new Option<string>("--shape") { Description = $"Model shape: {string.Join(", ", SyntheticShape.All.Keys)}", Required = true };
        shape.AcceptOnlyFromAmong([.. SyntheticShape.All.Keys]);
        var type = new Option<string>("--type") { Description = $"File type: {string.Join(", ", QuantRecipe.All.Keys)}", DefaultValueFactory = _ => "f16" };
        type.AcceptOnlyFromAmong([.. QuantRecipe.All.Keys]);
        var seed = new Option<ulong>("--seed") { Description = "Random seed (same seed, same file)", DefaultValueFactory = _ => 42 };
        var output = new Option<string>("--out", "-o") { Description = "Output GGUF file", Required = true };

        var command = new Command("synth", "Write a random-weight GGUF with the exact shapes and hyper-parameters of a real model");
        foreach (var option in new Option[] { shape, type, seed, output })
            command.Options.Add(option);
        command.SetAction(result => UserErrors.Run(result.InvocationConfiguration.Error, () =>
        {
            var chosenShape = SyntheticShape.All[result.GetValue(shape)!];
            var recipe = QuantRecipe.All[result.GetValue(type)!];
            var path = result.GetValue(output)!;
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(result.InvocationConfiguration.Error) });
            console.Progress().Start(context =>
            {
                var task = context.AddTask($"{chosenShape.Name} {recipe.Name}", maxValue: 1.0);
                ModelSynthesizer.Write(chosenShape, recipe, result.GetValue(seed), path, new Progress<double>(v => task.Value = v));
                task.Value = 1.0;
            });
            result.InvocationConfiguration.Output.WriteLine($"wrote {path} ({new FileInfo(path).Length:N0} bytes)");
            return 0;
        }));
        return command;
    }
}
