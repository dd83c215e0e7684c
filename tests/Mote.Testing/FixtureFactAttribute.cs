using Xunit;

namespace Mote.Testing;

/// <summary>A fact that needs the shared fixtures; it is skipped, saying why, where they are absent.</summary>
public sealed class FixtureFactAttribute : FactAttribute
{
    public FixtureFactAttribute()
    {
        if (!Fixtures.Available)
            Skip = Fixtures.MissingMessage;
    }
}
