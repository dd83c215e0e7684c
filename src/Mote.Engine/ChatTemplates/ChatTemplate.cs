using Mote.Engine.ChatTemplates.Jinja;

namespace Mote.Engine.ChatTemplates;

/// <summary>
/// A model's chat template (the Jinja text in GGUF <c>tokenizer.chat_template</c>), parsed once and rendered per request
/// the way Hugging Face's <c>apply_chat_template</c> renders it: Jinja2 with <c>trim_blocks</c> and
/// <c>lstrip_blocks</c>, Python value semantics, transformers' <c>tojson</c>, <c>raise_exception</c> and
/// <c>strftime_now</c>. Instances are immutable and safe to render from several threads.
/// </summary>
public sealed class ChatTemplate
{
    /// <summary>The ChatML template used when a model ships none (transformers' former default template).</summary>
    public const string ChatMlSource =
        "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}"
        + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}";

    private const string SystemNeedle = "<System Needle>";

    private readonly IReadOnlyList<Node> _body;
    private readonly TimeProvider _clock;
    private readonly Lazy<bool> _supportsSystemRole;

    private ChatTemplate(string source, IReadOnlyList<Node> body, TimeProvider clock)
    {
        Source = source;
        _body = body;
        _clock = clock;
        _supportsSystemRole = new Lazy<bool>(ProbeSystemRole);
    }

    /// <summary>The fallback for models without a template: ChatML (<c>&lt;|im_start|&gt;role\ncontent&lt;|im_end|&gt;\n</c>).</summary>
    public static ChatTemplate ChatMl { get; } = Parse(ChatMlSource);

    /// <summary>The template text as given.</summary>
    public string Source { get; }

    /// <summary>
    /// Whether the template renders a system message. Templates that reject one (Gemma raises "System role not
    /// supported") or silently drop it get the system prompt folded into the first user message by <see cref="Render"/>.
    /// </summary>
    public bool SupportsSystemRole => _supportsSystemRole.Value;

    /// <summary>Parses template text; throws <see cref="ChatTemplateException"/> with the line of any syntax error.</summary>
    /// <param name="source">The Jinja template text.</param>
    /// <param name="clock">Where <c>strftime_now</c> reads the local time; the system clock by default.</param>
    public static ChatTemplate Parse(string source, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        return new ChatTemplate(source, Parser.Parse(source), clock ?? TimeProvider.System);
    }

    /// <summary>
    /// Renders a conversation into the prompt text the model expects. The template sees <c>messages</c> (dicts with
    /// <c>role</c> and <c>content</c>), <c>add_generation_prompt</c>, <c>bos_token</c>, <c>eos_token</c>,
    /// <c>tools</c> and <c>documents</c> (none unless given) and every entry of <paramref name="extra"/>, which may
    /// override those (e.g. <c>tools</c> as a JSON array, <c>date_string</c>). When the template cannot take a system
    /// message, system messages are joined onto the next user message with a newline, as llama.cpp does.
    /// </summary>
    /// <exception cref="ChatTemplateRaisedException">The template called <c>raise_exception</c>.</exception>
    /// <exception cref="ChatTemplateException">The template failed while rendering.</exception>
    public string Render(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt, string? bosToken, string? eosToken,
        IReadOnlyDictionary<string, object?>? extra = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var sent = SupportsSystemRole ? messages : FoldSystemMessages(messages);
        return RenderMessages(sent, addGenerationPrompt, bosToken, eosToken, extra);
    }

    /// <summary>
    /// Renders with exactly the given variables and nothing else (no defaults, no system-message folding): the
    /// equivalent of <c>template.render(**variables)</c>. Values may be strings, numbers, booleans, null,
    /// dictionaries, sequences, <see cref="System.Text.Json.JsonElement"/> or JSON nodes.
    /// </summary>
    public string RenderRaw(IReadOnlyDictionary<string, object?> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        return Run(variables.Select(p => new KeyValuePair<string, object?>(p.Key, ValueConverter.From(p.Value))));
    }

    private string RenderMessages(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt, string? bosToken, string? eosToken,
        IReadOnlyDictionary<string, object?>? extra)
    {
        var variables = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["messages"] = messages.Select(m => ValueConverter.From(m)).ToList(),
            ["tools"] = null,
            ["documents"] = null,
            ["add_generation_prompt"] = addGenerationPrompt,
            ["bos_token"] = bosToken ?? "",
            ["eos_token"] = eosToken ?? "",
        };
        if (extra is not null)
        {
            foreach (var (name, value) in extra)
                variables[name] = ValueConverter.From(value);
        }
        return Run(variables);
    }

    private string Run(IEnumerable<KeyValuePair<string, object?>> variables)
    {
        try
        {
            return new Interpreter(_clock).Render(_body, variables);
        }
        catch (Exception e) when (e is InvalidCastException or IndexOutOfRangeException or ArgumentOutOfRangeException
                                      or InvalidOperationException or OverflowException or FormatException or KeyNotFoundException)
        {
            throw new ChatTemplateException($"chat template failed: {e.Message}", e);
        }
    }

    private bool ProbeSystemRole()
    {
        try
        {
            var probe = new[] { new ChatMessage("system", SystemNeedle), new ChatMessage("user", "Hey") };
            return RenderMessages(probe, false, "", "", null).Contains(SystemNeedle, StringComparison.Ordinal);
        }
        catch (ChatTemplateException)
        {
            return false;
        }
    }

    private static List<ChatMessage> FoldSystemMessages(IReadOnlyList<ChatMessage> messages)
    {
        var folded = new List<ChatMessage>(messages.Count);
        string? pending = null;
        foreach (var message in messages)
        {
            if (message.Role == "system")
            {
                pending = pending is null ? message.Content : pending + "\n" + message.Content;
                continue;
            }
            if (message.Role == "user" && pending is not null)
            {
                folded.Add(message with { Content = message.Content.Length == 0 ? pending : pending + "\n" + message.Content });
                pending = null;
                continue;
            }
            folded.Add(message);
        }
        if (pending is not null)
            folded.Add(new ChatMessage("user", pending));
        return folded;
    }
}
