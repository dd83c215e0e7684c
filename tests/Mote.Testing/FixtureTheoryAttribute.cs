using Xunit;

namespace Mote.Testing;

/// <summary>A theory that needs the shared fixtures; it is skipped, saying why, where they are absent.</summary>
public sealed class FixtureTheoryAttribute : TheoryAttribute
{
    public FixtureTheoryAttribute()
    {
        if (!Fixtures.Available)
            Skip = Fixtures.MissingMessage;
    }
}
