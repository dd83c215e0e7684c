namespace Mote.Gateway;

/// <summary>
/// Identifiers for requests and responses: a prefix and lowercase hex digits from <see cref="Random.Shared"/>.
/// Unique, not secret — they name things in logs and the ledger. <see cref="Guid.NewGuid"/> costs a system call for
/// cryptographic randomness on every request, which these do not need.
/// </summary>
internal static class RandomIds
{
    /// <summary><paramref name="prefix"/> followed by <paramref name="hexDigits"/> (even, at most 64) random hex digits.</summary>
    public static string New(string prefix, int hexDigits)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(hexDigits, 64);
        if (hexDigits % 2 != 0)
            throw new ArgumentOutOfRangeException(nameof(hexDigits), hexDigits, "The number of hex digits must be even.");
        return string.Create(prefix.Length + hexDigits, prefix, static (chars, prefix) =>
        {
            prefix.CopyTo(chars);
            Span<byte> bytes = stackalloc byte[32];
            bytes = bytes[..((chars.Length - prefix.Length) / 2)];
            Random.Shared.NextBytes(bytes);
            Convert.TryToHexStringLower(bytes, chars[prefix.Length..], out _);
        });
    }
}
