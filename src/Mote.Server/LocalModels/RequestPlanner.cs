using System.Text.Json;
using Mote.Contracts;
using Mote.Engine.Sampling;
using Mote.Server.LocalModels.Json;
using Mote.Server.LocalModels.Scheduling;

namespace Mote.Server.LocalModels;

/// <summary>
/// Maps OpenAI request fields to a prompt and <see cref="GenerationSettings"/>, refusing with a 400 what a local
/// model cannot honour (a prompt longer than the context, more tokens than the context holds, more choices than
/// slots, an unusable schema). Unset sampling fields take llama.cpp's defaults; llama.cpp's own extra fields
/// (<c>top_k</c>, <c>min_p</c>, <c>repeat_penalty</c>, <c>ignore_eos</c>) are honoured too.
/// </summary>
internal static class RequestPlanner
{
    public static (int[] Prompt, GenerationSettings Settings) ForChat(LoadedModel model, ChatCompletionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ToolChoice is { ValueKind: JsonValueKind.Object } || request.ToolChoice is { ValueKind: JsonValueKind.String } choice && choice.GetString() == "required")
            throw LocalErrors.BadRequest("Local models do not call tools; 'tool_choice' cannot require one.", "tool_choice");

        int[] prompt;
        try
        {
            prompt = model.Formatter.Chat(request.Messages ?? []);
        }
        catch (PromptException e)
        {
            throw LocalErrors.BadRequest(e.Message, e.Param);
        }

        var grammar = Grammar(request.ResponseFormat);
        var settings = Common(model, prompt.Length, request.EffectiveMaxTokens, request.MaxCompletionTokens is null ? "max_tokens" : "max_completion_tokens",
            request.N, request.Temperature, request.TopP, request.Seed, request.PresencePenalty, request.FrequencyPenalty,
            request.Stop, request.ExtensionData) with
        {
            Logprobs = request.Logprobs == true,
            TopLogprobs = request.Logprobs == true ? request.TopLogprobs ?? 0 : 0,
            Grammar = grammar,
            Trie = grammar is null ? null : model.Trie,
        };
        return (prompt, settings);
    }

    public static (int[] Prompt, GenerationSettings Settings) ForCompletion(LoadedModel model, CompletionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Prompt is not { } input)
            throw LocalErrors.BadRequest("'prompt' is required.", "prompt");
        var count = input.Texts?.Count ?? input.TokenLists?.Count ?? 0;
        if (count != 1)
            throw LocalErrors.BadRequest("Local models take exactly one prompt per request.", "prompt");
        int[] prompt;
        if (input.TokenLists is { } lists)
        {
            foreach (var id in lists[0])
                if ((uint)id >= (uint)model.VocabularySize)
                    throw LocalErrors.BadRequest($"Token id {id} is outside the vocabulary of {model.VocabularySize}.", "prompt");
            prompt = model.Formatter.Tokens(lists[0]);
        }
        else
        {
            prompt = model.Formatter.Text(input.Texts![0]);
        }
        if (prompt.Length == 0)
            throw LocalErrors.BadRequest("The prompt is empty and this model adds no BOS token; send some text.", "prompt");
        if (request.Logprobs is < 0 or > 20)
            throw LocalErrors.BadRequest("'logprobs' must be between 0 and 20.", "logprobs");
        if (request.N is < 1 or > 128)
            throw LocalErrors.BadRequest("'n' must be between 1 and 128.", "n");
        if (request.MaxTokens is < 1)
            throw LocalErrors.BadRequest("'max_tokens' must be at least 1.", "max_tokens");

        var settings = Common(model, prompt.Length, request.MaxTokens, "max_tokens", request.N, request.Temperature, request.TopP,
            request.Seed, request.PresencePenalty, request.FrequencyPenalty, request.Stop, request.ExtensionData) with
        {
            Logprobs = request.Logprobs is not null,
            TopLogprobs = request.Logprobs ?? 0,
        };
        return (prompt, settings);
    }

    private static GenerationSettings Common(LoadedModel model, int promptTokens, int? maxTokens, string maxTokensName, int? n,
        double? temperature, double? topP, long? seed, double? presence, double? frequency, StopSequences? stop,
        Dictionary<string, JsonElement>? extra)
    {
        var context = model.ContextLength;
        if (maxTokens > context)
            throw LocalErrors.BadRequest(
                $"'{maxTokensName}' is too large: {maxTokens}. This model's context holds {context} tokens, prompt included (serve it with a larger --ctx for more).",
                maxTokensName, "max_tokens_too_large");
        if (promptTokens >= context)
            throw LocalErrors.ContextLength(model.Name, context, promptTokens);
        var choices = n ?? 1;
        if (choices > model.Slots)
            throw LocalErrors.BadRequest(
                $"'n' is {choices} but this server decodes at most {model.Slots} sequences at once (start it with --parallel {choices} or more).", "n");

        var defaults = new SamplingOptions();
        var sampling = new SamplingOptions
        {
            Temperature = (float)(temperature ?? defaults.Temperature),
            TopP = (float)(topP ?? defaults.TopP),
            TopK = Extra(extra, "top_k", defaults.TopK, static e => e.GetInt32()),
            MinP = Extra(extra, "min_p", defaults.MinP, static e => e.GetSingle()),
            RepeatPenalty = Extra(extra, "repeat_penalty", defaults.RepeatPenalty, static e => e.GetSingle()),
            PresencePenalty = (float)(presence ?? 0),
            FrequencyPenalty = (float)(frequency ?? 0),
            Seed = seed is { } s ? unchecked((ulong)s) : null,
        };
        return new GenerationSettings
        {
            Choices = choices,
            MaxTokens = maxTokens ?? context - promptTokens,
            Sampling = sampling,
            Stop = stop?.Values ?? [],
            IgnoreEndOfGeneration = Extra(extra, "ignore_eos", false, static e => e.GetBoolean()),
        };
    }

    private static JsonGrammar? Grammar(ResponseFormat? format)
    {
        if (format is null || !format.WantsJson)
            return null;
        if (format.Type == ResponseFormat.JsonObjectType || format.JsonSchema?.Schema is not { } schema)
            return JsonGrammar.AnyObject();
        try
        {
            return JsonSchemaCompiler.Compile(schema);
        }
        catch (Exception e) when (e is JsonSchemaException or InvalidOperationException or FormatException)
        {
            throw LocalErrors.BadRequest($"Unusable response_format schema: {e.Message}", "response_format.json_schema.schema");
        }
    }

    private static T Extra<T>(Dictionary<string, JsonElement>? extra, string name, T fallback, Func<JsonElement, T> read)
    {
        if (extra is null || !extra.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return fallback;
        try
        {
            return read(value);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw LocalErrors.BadRequest($"'{name}' has the wrong type.", name);
        }
    }
}
