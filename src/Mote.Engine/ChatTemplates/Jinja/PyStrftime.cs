using System.Globalization;
using System.Text;

namespace Mote.Engine.ChatTemplates.Jinja;

/// <summary>
/// Python's <c>datetime.strftime</c> in the C locale, for the <c>strftime_now</c> global (Llama 3.x templates print
/// <c>strftime_now("%d %b %Y")</c>). Supports glibc's <c>%-d</c> (no padding) as well.
/// </summary>
internal static class PyStrftime
{
    private static readonly string[] s_days = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

    private static readonly string[] s_months =
        ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

    public static string Format(DateTimeOffset time, string format)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%' || i + 1 >= format.Length)
            {
                sb.Append(format[i]);
                continue;
            }
            var c = format[++i];
            var pad = true;
            if (c == '-' && i + 1 < format.Length)
            {
                pad = false;
                c = format[++i];
            }
            sb.Append(Field(time, c, pad));
        }
        return sb.ToString();
    }

    private static string Field(DateTimeOffset t, char code, bool pad)
    {
        string Number(int value, int width) =>
            pad ? value.ToString(new string('0', width), CultureInfo.InvariantCulture) : value.ToString(CultureInfo.InvariantCulture);

        var hour12 = t.Hour % 12 == 0 ? 12 : t.Hour % 12;
        return code switch
        {
            'a' => s_days[(int)t.DayOfWeek][..3],
            'A' => s_days[(int)t.DayOfWeek],
            'b' or 'h' => s_months[t.Month - 1][..3],
            'B' => s_months[t.Month - 1],
            'd' => Number(t.Day, 2),
            'e' => pad ? t.Day.ToString(CultureInfo.InvariantCulture).PadLeft(2) : t.Day.ToString(CultureInfo.InvariantCulture),
            'm' => Number(t.Month, 2),
            'y' => Number(t.Year % 100, 2),
            'Y' => t.Year.ToString(CultureInfo.InvariantCulture),
            'H' => Number(t.Hour, 2),
            'I' => Number(hour12, 2),
            'M' => Number(t.Minute, 2),
            'S' => Number(t.Second, 2),
            'f' => (t.Ticks % TimeSpan.TicksPerSecond / 10).ToString("000000", CultureInfo.InvariantCulture),
            'p' => t.Hour < 12 ? "AM" : "PM",
            'j' => Number(t.DayOfYear, 3),
            'w' => ((int)t.DayOfWeek).ToString(CultureInfo.InvariantCulture),
            'u' => (t.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)t.DayOfWeek).ToString(CultureInfo.InvariantCulture),
            'z' => (t.Offset < TimeSpan.Zero ? "-" : "+") + t.Offset.ToString("hhmm", CultureInfo.InvariantCulture),
            'F' => Field(t, 'Y', true) + "-" + Field(t, 'm', true) + "-" + Field(t, 'd', true),
            'T' => Field(t, 'H', true) + ":" + Field(t, 'M', true) + ":" + Field(t, 'S', true),
            '%' => "%",
            _ => "%" + code,
        };
    }
}
