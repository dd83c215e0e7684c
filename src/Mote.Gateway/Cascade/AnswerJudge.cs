using System.Globalization;
using System.Text.Json;
using Mote.Contracts;
using Mote.Gateway.Configuration;

namespace Mote.Gateway.Cascade;

/// <summary>
/// Judges a cheap model's answer by its own confidence: the mean and the minimum token log-probability (a low
/// minimum flags the one token where the model guessed), plus "does it parse" when JSON was asked for, and
/// "was it cut off" always. The FrugalGPT-style scorer without a trained model.
/// </summary>
internal static class AnswerJudge
{
    public static Verdict Judge(ChatCompletionResponse response, CascadeConfig config, bool wantsJson)
    {
        if (response.Choices.Count == 0)
            return new Verdict(false, null, null, null, "no_choices");
        var choice = response.Choices[0];
        var text = choice.Message.Content?.GetText() ?? "";

        bool? jsonValid = null;
        if (wantsJson && config.CheckJson)
            jsonValid = IsJson(text);

        double? mean = null, min = null;
        if (choice.Logprobs?.Content is { Count: > 0 } tokens)
        {
            var sum = 0.0;
            var lowest = double.PositiveInfinity;
            foreach (var token in tokens)
            {
                sum += token.Logprob;
                lowest = Math.Min(lowest, token.Logprob);
            }
            mean = sum / tokens.Count;
            min = lowest;
        }

        if (choice.FinishReason == FinishReasons.Length)
            return new Verdict(false, mean, min, jsonValid, "truncated");
        if (text.Length == 0 && choice.Message.ToolCalls is not { Count: > 0 })
            return new Verdict(false, mean, min, jsonValid, "empty");
        if (jsonValid == false)
            return new Verdict(false, mean, min, jsonValid, "invalid_json");
        if (mean is null)
            return config.EscalateWithoutLogprobs
                ? new Verdict(false, null, null, jsonValid, "no_logprobs")
                : new Verdict(true, null, null, jsonValid, "unjudged");
        if (config.MinMeanLogprob is { } meanThreshold && mean < meanThreshold)
            return new Verdict(false, mean, min, jsonValid, $"mean_logprob<{Format(meanThreshold)}");
        if (config.MinTokenLogprob is { } minThreshold && min < minThreshold)
            return new Verdict(false, mean, min, jsonValid, $"min_logprob<{Format(minThreshold)}");
        return new Verdict(true, mean, min, jsonValid, "confident");
    }

    private static bool IsJson(string text)
    {
        var trimmed = text.AsSpan().Trim();
        if (trimmed.Length == 0 || trimmed[0] is not ('{' or '['))
            return false;
        try
        {
            using var _ = JsonDocument.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
