using System.Text;
using System.Text.Json.Serialization;

namespace Mote.Contracts;

/// <summary>
/// Message content as OpenAI sends it: either a plain string or an array of typed parts
/// (<c>{"type":"text","text":"…"}</c>, images, audio …). Written back in the form it was read.
/// </summary>
[JsonConverter(typeof(MessageContentConverter))]
public sealed class MessageContent : IEquatable<MessageContent>
{
    private MessageContent(string? text, IReadOnlyList<ContentPart>? parts)
    {
        Text = text;
        Parts = parts;
    }

    /// <summary>The content when it was a plain string; otherwise null.</summary>
    public string? Text { get; }

    /// <summary>The content parts when it was an array; otherwise null.</summary>
    public IReadOnlyList<ContentPart>? Parts { get; }

    public static MessageContent FromText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new MessageContent(text, null);
    }

    public static MessageContent FromParts(IReadOnlyList<ContentPart> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        return new MessageContent(null, parts);
    }

    /// <summary>Same as <see cref="FromText"/>, so that <c>Content = "hello"</c> reads naturally.</summary>
    public static implicit operator MessageContent(string text) => FromText(text);

    /// <summary>True when every part is text, so the content can be flattened without losing anything.</summary>
    public bool IsTextOnly
    {
        get
        {
            if (Parts is null)
                return true;
            foreach (var part in Parts)
                if (part.Type != ContentPart.TextType)
                    return false;
            return true;
        }
    }

    /// <summary>The text of the content: the string itself, or the text parts joined.</summary>
    public string GetText()
    {
        if (Text is not null)
            return Text;
        if (Parts is null || Parts.Count == 0)
            return string.Empty;
        if (Parts.Count == 1)
            return Parts[0].Text ?? string.Empty;
        var builder = new StringBuilder();
        foreach (var part in Parts)
            if (part.Type == ContentPart.TextType)
                builder.Append(part.Text);
        return builder.ToString();
    }

    public bool Equals(MessageContent? other)
    {
        if (other is null)
            return false;
        if (Text is not null || other.Text is not null)
            return Text == other.Text;
        return Parts is not null && other.Parts is not null && Parts.SequenceEqual(other.Parts);
    }

    public override bool Equals(object? obj) => Equals(obj as MessageContent);

    public override int GetHashCode() => Text?.GetHashCode(StringComparison.Ordinal) ?? Parts?.Count ?? 0;

    public override string ToString() => GetText();
}
