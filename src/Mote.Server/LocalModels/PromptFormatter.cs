using Microsoft.Extensions.Logging;
using Mote.Contracts;
using Mote.Engine;
using Mote.Engine.ChatTemplates;
using Mote.Tokenizers;
using TemplateMessage = Mote.Engine.ChatTemplates.ChatMessage;

namespace Mote.Server.LocalModels;

/// <summary>
/// Turns requests into prompt tokens: chat messages through the model's own chat template (ChatML when it has
/// none or it does not parse), raw completion prompts as text. A trailing assistant message is continued, not
/// answered (prefill): the rest is rendered with the generation prompt and its text appended.
/// </summary>
internal sealed class PromptFormatter
{
    private readonly Tokenizer _tokenizer;
    private readonly ChatTemplate _template;
    private readonly string? _bos;
    private readonly string? _eos;
    private readonly int _bosId;
    private readonly bool _addsBos;

    public PromptFormatter(Model model, string name, ILogger logger)
    {
        _tokenizer = model.Tokenizer;
        var vocabulary = _tokenizer.Vocabulary;
        _template = ParseTemplate(vocabulary.ChatTemplate, name, logger);
        _bosId = vocabulary.BosId;
        _bos = vocabulary.BosId >= 0 ? vocabulary.Tokens[vocabulary.BosId] : null;
        _eos = vocabulary.EosId >= 0 ? vocabulary.Tokens[vocabulary.EosId] : null;
        var empty = _tokenizer.Encode("", addSpecial: true);
        _addsBos = _bosId >= 0 && empty.Length > 0 && empty[0] == _bosId;
    }

    /// <summary>The chat template in use.</summary>
    public ChatTemplate Template => _template;

    /// <exception cref="PromptException">A message the model cannot read, or the template refused the conversation.</exception>
    public int[] Chat(IReadOnlyList<Contracts.ChatMessage> messages)
    {
        var converted = new List<TemplateMessage>(messages.Count);
        for (var i = 0; i < messages.Count; i++)
            converted.Add(Convert(messages[i], i));
        string? prefill = null;
        if (converted.Count > 1 && converted[^1].Role == ChatRoles.Assistant)
        {
            prefill = converted[^1].Content;
            converted.RemoveAt(converted.Count - 1);
        }

        string text;
        try
        {
            text = _template.Render(converted, addGenerationPrompt: true, _bos, _eos) + prefill;
        }
        catch (ChatTemplateException e)
        {
            throw new PromptException($"The model's chat template refused the conversation: {e.Message}", "messages");
        }
        // Rendered text carries the template's special tokens (and usually BOS) as text.
        var tokens = _tokenizer.Encode(text, addSpecial: false, parseSpecial: true);
        return WithBos(tokens);
    }

    /// <summary>A raw completion prompt, tokenized as llama.cpp's server does (BOS added, special tokens parsed).</summary>
    public int[] Text(string prompt) => _tokenizer.Encode(prompt, addSpecial: true, parseSpecial: true);

    /// <summary>A completion prompt given as token ids: BOS is added when the model wants it and it is missing.</summary>
    public int[] Tokens(IReadOnlyList<int> ids) => WithBos([.. ids]);

    private int[] WithBos(int[] tokens) =>
        _addsBos && (tokens.Length == 0 || tokens[0] != _bosId) ? [_bosId, .. tokens] : tokens;

    private static TemplateMessage Convert(Contracts.ChatMessage message, int index)
    {
        var role = message.Role == ChatRoles.Developer ? ChatRoles.System : message.Role!;
        var content = message.Content;
        if (content is not null && !content.IsTextOnly)
            throw new PromptException($"messages[{index}] has non-text content; local models read text only.", $"messages[{index}].content");
        return new TemplateMessage(role, content?.GetText() ?? "");
    }

    private static ChatTemplate ParseTemplate(string? source, string name, ILogger logger)
    {
        if (string.IsNullOrWhiteSpace(source))
            return ChatTemplate.ChatMl;
        try
        {
            return ChatTemplate.Parse(source);
        }
        catch (ChatTemplateException e)
        {
            LocalModelLog.TemplateFallback(logger, name, e.Message);
            return ChatTemplate.ChatMl;
        }
    }
}
