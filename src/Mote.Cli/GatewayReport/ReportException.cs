namespace Mote.Cli.GatewayReport;

/// <summary>A mistake in what <c>mote gateway report</c> was asked to measure (route, file, question set): one line for the user.</summary>
internal sealed class ReportException : Exception
{
    public ReportException()
    {
    }

    public ReportException(string message)
        : base(message)
    {
    }

    public ReportException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
