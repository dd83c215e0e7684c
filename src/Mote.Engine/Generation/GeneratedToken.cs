namespace Mote.Engine.Generation;

/// <summary>
/// One generation step: the sampled token and the text that became final with it (may be empty while a
/// multi-byte character or a possible stop string is still incomplete). The last item of a stream may carry
/// held-back text with no token (<see cref="Id"/> = -1).
/// </summary>
public readonly record struct GeneratedToken(int Id, string Text)
{
    /// <summary>True for the trailing item that only flushes held-back text.</summary>
    public bool IsTextOnly => Id < 0;
}
