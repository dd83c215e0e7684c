using System.Globalization;
using System.Text.Json;

namespace Mote.Engine.Tests.ChatTemplates;

/// <summary>
/// The test data in Templates/: real chat templates (*.jinja), goldens.json (their renderings) and features.json
/// (interpreter feature snippets), all produced by generate_goldens.py with Python Jinja2 configured as transformers
/// configures it, and cross-checked against llama.cpp's expected outputs where those exist.
/// </summary>
internal static class TemplateData
{
    private static readonly Lazy<JsonElement[]> s_goldens = new(() => Load("goldens.json"));
    private static readonly Lazy<JsonElement[]> s_features = new(() => Load("features.json"));

    public static string Folder => Path.Combine(AppContext.BaseDirectory, "ChatTemplates", "Templates");

    public static IReadOnlyList<JsonElement> Goldens => s_goldens.Value;

    public static IReadOnlyList<JsonElement> Features => s_features.Value;

    public static string ReadTemplate(string name) => File.ReadAllText(Path.Combine(Folder, name + ".jinja"));

    public static FixedClock ClockOf(JsonElement entry) =>
        new(DateTime.Parse(entry.GetProperty("now").GetString()!, CultureInfo.InvariantCulture));

    public static Dictionary<string, object?> Properties(JsonElement obj) =>
        obj.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value);

    private static JsonElement[] Load(string file)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, file)));
        return document.RootElement.EnumerateArray().Select(e => e.Clone()).ToArray();
    }
}
