namespace Mote.Engine.ChatTemplates;

/// <summary>
/// The template itself called <c>raise_exception(message)</c>, e.g. Gemma's "System role not supported" or Mistral's
/// "Conversation roles must alternate user/assistant/user/assistant/...". <see cref="Exception.Message"/> is the
/// template's message, unchanged.
/// </summary>
public sealed class ChatTemplateRaisedException : ChatTemplateException
{
    public ChatTemplateRaisedException()
    {
    }

    public ChatTemplateRaisedException(string message)
        : base(message)
    {
    }

    public ChatTemplateRaisedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal ChatTemplateRaisedException(string message, int line)
        : base(message, line)
    {
    }
}
