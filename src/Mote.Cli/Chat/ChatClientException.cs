namespace Mote.Cli.Chat;

/// <summary>A chat request that failed in a way worth one line to the user: the server's error message, or why it was unreachable.</summary>
internal sealed class ChatClientException(string message, Exception? inner = null) : Exception(message, inner);
