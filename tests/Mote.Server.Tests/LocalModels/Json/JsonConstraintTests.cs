using System.Text;
using System.Text.Json;
using Mote.Engine.Sampling;
using Mote.Server.LocalModels.Json;

namespace Mote.Server.Tests.LocalModels.Json;

/// <summary>
/// Constrained decoding over random logits (a model that knows nothing) must still produce valid JSON of the
/// schema, and finish it within the token budget.
/// </summary>
public sealed class JsonConstraintTests
{
    private const int Eos = 0;

    private const string Schema = """
        {"type":"object","properties":{
          "title":{"type":"string"},
          "count":{"type":"integer"},
          "score":{"type":"number"},
          "kind":{"enum":["a","bb",null]},
          "items":{"type":"array","items":{"type":"object","properties":{"x":{"type":"boolean"}},"required":["x"]},"minItems":1},
          "extra":{"type":"object"}},
         "required":["title","count","items","kind"]}
        """;

    /// <summary>Budgets from barely enough (the schema's shortest answer is 54 bytes) to roomy.</summary>
    public static TheoryData<int, int> Cases()
    {
        var data = new TheoryData<int, int>();
        foreach (var budget in new[] { 54, 64, 200 })
            for (var seed = 1; seed <= 6; seed++)
                data.Add(seed, budget);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void RandomLogits_JsonObject_IsValidJsonWithinBudget(int seed, int budget)
    {
        budget -= 50; // an object may be as short as {}
        var text = Generate(JsonGrammar.AnyObject(), seed, budget);

        using var document = JsonDocument.Parse(text);
        Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void RandomLogits_Schema_ValidatesWithinBudget(int seed, int budget)
    {
        var schema = JsonDocument.Parse(Schema).RootElement;
        var text = Generate(JsonSchemaCompiler.Compile(schema), seed, budget);

        using var document = JsonDocument.Parse(text);
        Assert.Empty(MiniSchemaValidator.Validate(document.RootElement, schema));
    }

    /// <summary>Samples at temperature 1 from random logits under the constraint until it ends or the budget is spent.</summary>
    private static string Generate(JsonGrammar grammar, int seed, int budget)
    {
        var trie = TokenTrie.Build(Vocabulary(), [Eos]);
        var constraint = new JsonConstraint(grammar, trie);
        var sampler = SamplerChain.Create(trie.VocabularySize, new SamplingOptions { Temperature = 1, TopK = 0, TopP = 1, MinP = 0, Seed = (ulong)seed });
        var random = new Random(seed);
        var logits = new float[trie.VocabularySize];
        var bytes = new List<byte>();
        for (var left = budget; left > 0 && !constraint.IsDone; left--)
        {
            for (var i = 0; i < logits.Length; i++)
                logits[i] = (float)(random.NextDouble() * 8);
            Assert.True(constraint.Mask(logits, left), "no token allowed");
            var token = sampler.Sample(logits);
            Assert.True(constraint.Accept(token), $"sampled token {token} was masked out");
            if (token == Eos)
                break;
            bytes.AddRange(trie.Pieces[token]);
        }
        return Encoding.UTF8.GetString([.. bytes]);
    }

    /// <summary>Every single byte, plus multi-byte pieces a real vocabulary has around JSON (id 0 is EOS).</summary>
    private static byte[][] Vocabulary()
    {
        var pieces = new List<byte[]> { Array.Empty<byte>() };
        for (var b = 1; b < 256; b++)
            pieces.Add([(byte)b]);
        foreach (var text in new[] { "\":", "\",", "\"}", "{\"", "},", "\": \"", "true", "false", "null", "123", "0.5", "-1",
                     "abc", " the", "\\n", "\\u00", "é", "😀", "\n  ", "  ", "\"]", "[{", "}]", "]}", "title", "\"items\"", "\"x\":" })
            pieces.Add(Encoding.UTF8.GetBytes(text));
        return [.. pieces];
    }
}
