using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mote.Contracts;

/// <summary>One part of an array-valued message content. Non-text parts keep their payload in extension data.</summary>
public sealed record ContentPart
{
    /// <summary>The <c>type</c> of a text part.</summary>
    public const string TextType = "text";

    public string? Type { get; set; }

    public string? Text { get; set; }

    /// <summary>Payload of other part types (<c>image_url</c>, <c>input_audio</c>, <c>file</c> …), kept verbatim.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }

    public static ContentPart FromText(string text) => new() { Type = TextType, Text = text };
}
