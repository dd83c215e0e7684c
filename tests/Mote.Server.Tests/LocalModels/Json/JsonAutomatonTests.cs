using System.Text;
using System.Text.Json;
using Mote.Server.LocalModels.Json;

namespace Mote.Server.Tests.LocalModels.Json;

public sealed class JsonAutomatonTests
{
    private const string PersonSchema = """
        {"type":"object","properties":{
          "name":{"type":"string"},
          "age":{"type":"integer"},
          "nickname":{"type":["string","null"]},
          "tags":{"type":"array","items":{"enum":["red","green",3]},"minItems":1,"maxItems":2},
          "ok":{"type":"boolean"}},
         "required":["name","age","tags"],"additionalProperties":false}
        """;

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"a\":1}")]
    [InlineData("{ \"a\" : [true, null, \"x\\u00e9\\n\", -0.5e+3, {}], \"b\": {\"c\": \"é€😀\"} }")]
    [InlineData("{\"\":0}")]
    public void AnyObject_ValidJson_IsAccepted(string text) => Assert.True(Run(JsonGrammar.AnyObject(), text).Done);

    [Theory]
    [InlineData("[1]")]
    [InlineData("{\"a\":}")]
    [InlineData("{\"a\":1,}")]
    [InlineData("{'a':1}")]
    [InlineData("{\"a\":01}")]
    [InlineData("{\"a\":1.}")]
    [InlineData("{\"a\":\"line\nbreak\"}")]
    [InlineData("{\"a\":tru}")]
    [InlineData("{\"a\":1}}")]
    [InlineData("{\"a\":\"\\x\"}")]
    public void AnyObject_InvalidJson_IsRejected(string text) => Assert.False(Run(JsonGrammar.AnyObject(), text).Done);

    [Theory]
    [InlineData("{\"name\":\"Ann\",\"age\":30,\"tags\":[\"red\"]}")]
    [InlineData("{\"name\":\"Ann\",\"age\":-3,\"nickname\":null,\"tags\":[3,\"green\"],\"ok\":false}")]
    [InlineData("{\"name\":\"\",\"age\":0,\"nickname\":\"A\",\"tags\":[\"green\"],\"ok\":true}")]
    public void Schema_ConformingObject_IsAccepted(string text) => Assert.True(Run(Schema(PersonSchema), text).Done);

    [Theory]
    [InlineData("{\"age\":30,\"name\":\"Ann\",\"tags\":[\"red\"]}")]     // out of schema order
    [InlineData("{\"name\":\"Ann\",\"tags\":[\"red\"]}")]               // required age skipped
    [InlineData("{\"name\":\"Ann\",\"age\":1.5,\"tags\":[\"red\"]}")]   // not an integer
    [InlineData("{\"name\":\"Ann\",\"age\":1,\"tags\":[]}")]            // minItems
    [InlineData("{\"name\":\"Ann\",\"age\":1,\"tags\":[3,3,3]}")]       // maxItems
    [InlineData("{\"name\":\"Ann\",\"age\":1,\"tags\":[\"blue\"]}")]    // enum
    [InlineData("{\"name\":\"Ann\",\"age\":1,\"tags\":[3],\"x\":1}")]   // unlisted property
    [InlineData("{\"name\":1,\"age\":1,\"tags\":[3]}")]                 // wrong type
    public void Schema_NonConformingObject_IsRejected(string text) => Assert.False(Run(Schema(PersonSchema), text).Done);

    [Fact]
    public void Schema_RecursiveRefAndAnyOf_AreFollowed()
    {
        var grammar = Schema("""
            {"$defs":{"node":{"type":"object","properties":{"v":{"anyOf":[{"type":"integer"},{"type":"string"}]},
              "next":{"anyOf":[{"$ref":"#/$defs/node"},{"type":"null"}]}},"required":["v","next"]}},
             "$ref":"#/$defs/node"}
            """);

        Assert.True(Run(grammar, "{\"v\":1,\"next\":{\"v\":\"two\",\"next\":null}}").Done);
        Assert.False(Run(grammar, "{\"v\":1,\"next\":{\"v\":true,\"next\":null}}").Done);
    }

    [Fact]
    public void MinRemaining_InsideRequiredObject_CountsTheShortestCompletion()
    {
        var (automaton, _) = Run(Schema(PersonSchema), "{\"name\":\"A");

        // "  ,"age":0,"tags":[3]}  → closing quote, then the required members and the brace.
        Assert.Equal("\",\"age\":0,\"tags\":[3]}".Length, automaton.MinRemaining());
    }

    [Fact]
    public void MinRemaining_FollowedByteByByte_ReachesZeroExactlyWhenDone()
    {
        const string text = "{\"name\":\"\",\"age\":0,\"tags\":[3]}";
        var automaton = new JsonAutomaton(Schema(PersonSchema));
        for (var i = 0; i < text.Length; i++)
        {
            Assert.Equal(text.Length - i, automaton.MinRemaining());
            Assert.True(automaton.Step((byte)text[i]));
        }
        Assert.Equal(0, automaton.MinRemaining());
        Assert.True(automaton.IsDone);
    }

    [Fact]
    public void Undo_RestoresTheStateBeforeAMark()
    {
        var automaton = new JsonAutomaton(JsonGrammar.AnyObject());
        Assert.True(automaton.Accept("{\"a\":"u8));
        var mark = automaton.Mark();
        foreach (var b in "[1,{\"b\":2}]}"u8)
            Assert.True(automaton.Step(b));
        Assert.True(automaton.IsDone);

        automaton.Undo(mark);

        Assert.False(automaton.IsDone);
        Assert.True(automaton.Accept("\"x\"}"u8));
        Assert.True(automaton.IsDone);
    }

    [Theory]
    [InlineData("""{"type":"object","properties":{"a":{"type":"string"}},"required":["b"]}""")]
    [InlineData("""{"$ref":"#/$defs/missing"}""")]
    [InlineData("""{"type":"strange"}""")]
    [InlineData("""{"type":"object","properties":{"a":{"$ref":"#"}},"required":["a"]}""")]
    public void Compile_UnusableSchema_Throws(string schema) =>
        Assert.Throws<JsonSchemaException>(() => Schema(schema));

    internal static JsonGrammar Schema(string json) => JsonSchemaCompiler.Compile(JsonDocument.Parse(json).RootElement);

    private static (JsonAutomaton Automaton, bool Done) Run(JsonGrammar grammar, string text)
    {
        var automaton = new JsonAutomaton(grammar);
        var ok = automaton.Accept(Encoding.UTF8.GetBytes(text));
        return (automaton, ok && automaton.IsDone);
    }
}
