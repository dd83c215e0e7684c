using System.Buffers;
using System.Collections.Frozen;
using System.Net.Http.Headers;
using System.Text.Json;
using Mote.Contracts;

namespace Mote.Gateway.Providers;

/// <summary>Serializes an outgoing request, applying a profile's parameter renames and drops.</summary>
internal static class RequestBody
{
    private static readonly MediaTypeHeaderValue s_json = new("application/json") { CharSet = "utf-8" };

    public static ByteArrayContent Create(
        ChatCompletionRequest request,
        FrozenDictionary<string, string> renames,
        FrozenSet<string> drops)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(request, MoteJsonContext.Default.ChatCompletionRequest);
        if (renames.Count > 0 || drops.Count > 0)
            bytes = Rewrite(bytes, renames, drops);
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = s_json;
        return content;
    }

    /// <summary>Copies the top-level object, renaming or leaving out properties as the profile says.</summary>
    internal static byte[] Rewrite(byte[] json, FrozenDictionary<string, string> renames, FrozenSet<string> drops)
    {
        using var document = JsonDocument.Parse(json);
        var buffer = new ArrayBufferWriter<byte>(json.Length + 64);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                // JsonProperty.Name makes a new string on every call: read it once.
                var original = property.Name;
                if (drops.Contains(original))
                    continue;
                var name = renames.TryGetValue(original, out var renamed) ? renamed : original;
                // A rename onto a field the client also sent: the client's explicit field wins.
                if (!ReferenceEquals(name, original) && document.RootElement.TryGetProperty(name, out _))
                    continue;
                writer.WritePropertyName(name);
                property.Value.WriteTo(writer);
            }
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
