using Mote.Testing;

namespace Mote.Server.Tests.ChatPage;

/// <summary>A browser test: skipped, saying why, where Debian's Chromium is not installed.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public const string ExecutablePath = "/usr/bin/chromium";

    public ChromiumFactAttribute()
    {
        if (!IsInstalled)
            Skip = $"Chromium not found at {ExecutablePath}: run .ci/install-browser (apt-get install chromium) to run the chat page browser tests.";
    }

    /// <summary>Also needs the shared fixtures (a real model): skipped, saying why, where they are absent.</summary>
    public bool NeedsFixtures
    {
        get => _needsFixtures;
        init
        {
            _needsFixtures = value;
            if (value && Skip is null && !Fixtures.Available)
                Skip = Fixtures.MissingMessage;
        }
    }

    private readonly bool _needsFixtures;

    public static bool IsInstalled => File.Exists(ExecutablePath);
}
