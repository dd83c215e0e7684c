using System.Security.Cryptography;
using System.Text;

namespace Mote.Gateway.Keys;

/// <summary>Keys are stored and compared only as lowercase hex SHA-256 of their text.</summary>
internal static class KeyHasher
{
    public static string Hash(string key)
    {
        Span<byte> utf8 = key.Length <= 256 ? stackalloc byte[Encoding.UTF8.GetMaxByteCount(key.Length)] : new byte[Encoding.UTF8.GetMaxByteCount(key.Length)];
        var length = Encoding.UTF8.GetBytes(key, utf8);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8[..length], digest);
        return Convert.ToHexStringLower(digest);
    }

    /// <summary>A new random key: <c>sk-mote-</c> and 32 random bytes in base64url.</summary>
    public static string NewKey()
    {
        Span<byte> random = stackalloc byte[32];
        RandomNumberGenerator.Fill(random);
        return "sk-mote-" + Convert.ToBase64String(random).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>The part of a key that may be shown in listings.</summary>
    public static string Prefix(string key) => key.Length <= 12 ? key[..Math.Min(4, key.Length)] + "…" : key[..12] + "…";
}
