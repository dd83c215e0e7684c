namespace Mote.Cli.Chat;

/// <summary>
/// The few colours of the terminal chat, as ANSI codes when writing to a terminal that wants them (not redirected,
/// no <c>NO_COLOR</c>), else plain text. The reply itself is written raw, as it streams.
/// </summary>
internal sealed class ChatStyle(bool color)
{
    public static ChatStyle For(bool outputRedirected) =>
        new(!outputRedirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR")));

    public static ChatStyle Plain { get; } = new(false);

    public string Prompt => color ? "\e[1;36m> \e[0m" : "> ";

    public string Dim(string text) => color ? $"\e[2m{text}\e[0m" : text;

    public string Error(string text) => color ? $"\e[31m{text}\e[0m" : text;
}
