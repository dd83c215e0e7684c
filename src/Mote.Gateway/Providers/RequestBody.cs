using System.Buffers;
using System.Collections.Frozen;
using System.Net.Http.Headers;
using System.Text.Json;
using Mote.Contracts;

namespace Mote.Gateway.Providers;

/// <summary>
/// The body of an outgoing OpenAI-compatible request: the deployment's model, the stream switches the call needs,
/// and the profile's parameter renames and drops.
/// </summary>
internal static class RequestBody
{
    private static readonly MediaTypeHeaderValue s_json = new("application/json") { CharSet = "utf-8" };

    /// <summary>The JSON names of the fields <see cref="ChatCompletionRequest"/> models (serializing it omits their nulls).</summary>
    private static readonly FrozenSet<string> s_modelled =
        MoteJsonContext.Default.ChatCompletionRequest.Properties.Select(p => p.Name).ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The same names, looked up by characters decoded on the stack.</summary>
    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> s_modelledByText =
        s_modelled.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Longer than any modelled name (the longest, max_completion_tokens, has 21 characters).</summary>
    private const int MaxModelledName = 32;

    /// <summary>
    /// The request for <paramref name="model"/>, streamed (with the usage chunk asked for) or not. A request still
    /// as the client sent it is relayed from its own bytes (<see cref="Relay"/>); a changed one is serialized.
    /// </summary>
    public static HttpContent Create(
        ChatCompletionRequest request, string model, bool streaming,
        FrozenDictionary<string, string> renames, FrozenSet<string> drops)
    {
        if (request.SourceJson.IsEmpty || Relay(request.SourceJson.Span, model, streaming, renames, drops) is not { } body)
        {
            var upstream = streaming
                ? request with
                {
                    Model = model,
                    Stream = true,
                    StreamOptions = (request.StreamOptions ?? new StreamOptions()) with { IncludeUsage = true },
                }
                : request with { Model = model, Stream = null, StreamOptions = null };
            var bytes = JsonSerializer.SerializeToUtf8Bytes(upstream, MoteJsonContext.Default.ChatCompletionRequest);
            body = renames.Count > 0 || drops.Count > 0 ? Rewrite(bytes, renames, drops) : bytes;
        }
        var content = new ReadOnlyMemoryContent(body);
        content.Headers.ContentType = s_json;
        return content;
    }

    /// <summary>
    /// The client's JSON as the upstream should get it, without parsing it into objects: top-level values are copied
    /// byte for byte, except that the model is <paramref name="model"/>, <c>stream</c> and <c>stream_options</c> are
    /// what the call needs (<c>include_usage</c> on when streaming, the client's other stream options kept), nulls of
    /// modelled fields are left out, and renames and drops apply — the same JSON, up to property order and
    /// whitespace, as serializing the request with those changes. Null when the bytes alone cannot say the same:
    /// a modelled value with a null inside (serializing leaves it out) or a tool without a type (the record says
    /// "function"); the caller serializes then.
    /// </summary>
    internal static ReadOnlyMemory<byte>? Relay(
        ReadOnlySpan<byte> source, string model, bool streaming,
        FrozenDictionary<string, string> renames, FrozenSet<string> drops)
    {
        var buffer = new ArrayBufferWriter<byte>(source.Length + 64);
        var names = new OutputNames(renames, drops, renames.Count > 0 ? SentNames(source, streaming) : null);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (names.Write(writer, "model"))
                writer.WriteStringValue(model);
            if (streaming && names.Write(writer, "stream"))
                writer.WriteBooleanValue(true);

            var wroteStreamOptions = false;
            var reader = new Utf8JsonReader(source);
            reader.Read();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isModel = reader.ValueTextEquals("model"u8);
                var isStream = reader.ValueTextEquals("stream"u8);
                var isStreamOptions = reader.ValueTextEquals("stream_options"u8);
                var isTools = reader.ValueTextEquals("tools"u8);
                var isModelled = IsModelled(ref reader);
                // The name as text only when something must be looked up by it; otherwise its bytes are copied.
                var nameBytes = reader.ValueIsEscaped ? ReadOnlySpan<byte>.Empty : reader.ValueSpan;
                var name = nameBytes.IsEmpty || names.NeedsText ? reader.GetString() : null;
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                var isNull = reader.TokenType == JsonTokenType.Null;
                if (isModelled && !isNull && !SaysWhatTheRecordSays(ref reader, isTools))
                    return null;
                reader.Skip();
                var value = source[start..(int)reader.BytesConsumed];

                if (isModel || isStream)
                    continue;
                if (isStreamOptions)
                {
                    if (streaming && !isNull && names.Write(writer, "stream_options"))
                        WriteStreamOptions(writer, value);
                    wroteStreamOptions |= streaming && !isNull;
                    continue;
                }
                if (isNull && isModelled)
                    continue;
                if (name is null)
                    writer.WritePropertyName(nameBytes);
                else if (!names.Write(writer, name))
                    continue;
                writer.WriteRawValue(value, skipInputValidation: true);
            }
            if (streaming && !wroteStreamOptions && names.Write(writer, "stream_options"))
            {
                writer.WriteStartObject();
                writer.WriteBoolean("include_usage", true);
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }
        return buffer.WrittenMemory;
    }

    /// <summary>True when the property name under the reader is a field <see cref="ChatCompletionRequest"/> models.</summary>
    private static bool IsModelled(ref Utf8JsonReader reader)
    {
        if (reader.ValueSpan.Length > MaxModelledName)
            return false;
        Span<char> name = stackalloc char[MaxModelledName];
        return s_modelledByText.Contains(name[..reader.CopyString(name)]);
    }

    /// <summary>
    /// Reads a modelled value (the reader on its first token; left there) and says whether copying it says what
    /// serializing the record would: no null inside it, and, for <c>tools</c>, a type on every tool.
    /// </summary>
    private static bool SaysWhatTheRecordSays(ref Utf8JsonReader reader, bool isTools)
    {
        if (reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
            return true;
        var scan = reader;
        var depth = scan.CurrentDepth;
        var toolHasType = true;
        do
        {
            if (!scan.Read() || scan.TokenType == JsonTokenType.Null)
                return false;
            if (isTools && scan.CurrentDepth == depth + 1 && scan.TokenType == JsonTokenType.StartObject)
                toolHasType = false;
            else if (isTools && scan.CurrentDepth == depth + 2 && scan.TokenType == JsonTokenType.PropertyName && scan.ValueTextEquals("type"u8))
                toolHasType = true;
            else if (isTools && scan.CurrentDepth == depth + 1 && scan.TokenType == JsonTokenType.EndObject && !toolHasType)
                return false;
        }
        while (scan.CurrentDepth > depth || scan.TokenType is not (JsonTokenType.EndObject or JsonTokenType.EndArray));
        return true;
    }

    /// <summary>The client's stream options with <c>include_usage</c> on.</summary>
    private static void WriteStreamOptions(Utf8JsonWriter writer, ReadOnlySpan<byte> options)
    {
        writer.WriteStartObject();
        writer.WriteBoolean("include_usage", true);
        var reader = new Utf8JsonReader(options);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isIncludeUsage = reader.ValueTextEquals("include_usage"u8);
            var name = reader.GetString()!;
            reader.Read();
            var start = (int)reader.TokenStartIndex;
            reader.Skip();
            if (isIncludeUsage)
                continue;
            writer.WritePropertyName(name);
            writer.WriteRawValue(options[start..(int)reader.BytesConsumed], skipInputValidation: true);
        }
        writer.WriteEndObject();
    }

    /// <summary>The top-level names serializing the changed request would write, before renames and drops.</summary>
    private static HashSet<string> SentNames(ReadOnlySpan<byte> source, bool streaming)
    {
        var names = new HashSet<string>(StringComparer.Ordinal) { "model" };
        if (streaming)
            names.UnionWith(["stream", "stream_options"]);
        var reader = new Utf8JsonReader(source);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            reader.Read();
            var isNull = reader.TokenType == JsonTokenType.Null;
            reader.Skip();
            if (name is not ("model" or "stream" or "stream_options") && !(isNull && s_modelled.Contains(name)))
                names.Add(name);
        }
        return names;
    }

    /// <summary>Writes property names through a profile's renames and drops, as <see cref="Rewrite"/> does.</summary>
    private readonly struct OutputNames(FrozenDictionary<string, string> renames, FrozenSet<string> drops, HashSet<string>? sent)
    {
        /// <summary>True when the profile renames or drops anything, so that names must be looked up.</summary>
        public bool NeedsText => renames.Count > 0 || drops.Count > 0;

        /// <summary>Writes the (renamed) name and returns true, or false when the property is to be left out.</summary>
        public bool Write(Utf8JsonWriter writer, string name)
        {
            if (drops.Contains(name))
                return false;
            if (renames.TryGetValue(name, out var renamed))
            {
                // A rename onto a field the client also sent: the client's explicit field wins.
                if (sent!.Contains(renamed))
                    return false;
                name = renamed;
            }
            writer.WritePropertyName(name);
            return true;
        }
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
