using System.Net;
using Cases.Domain.Users;
using MimeKit;

namespace Cases.Functions.Notifications;

/// <summary>The email a new assignee gets: title, number, severity, who assigned, and the link; text and HTML.</summary>
public static class AssignmentEmail
{
    public static MimeMessage Build(string from, string to, string? toName, CaseEvent e, string? link)
    {
        var c = e.Case;
        var number = c.IncrementalId is { } n ? $" #{n}" : "";
        var by = Name(e.Actor);
        var text = $"""
            {by} assigned you to case{number} "{c.Title}".

            Severity: {c.Severity}
            Status: {c.Status}
            {(link is null ? "" : $"View the case: {link}\n")}
            """;
        static string h(string? value) => WebUtility.HtmlEncode(value) ?? "";
        var html = $"""
            <p>{h(by)} assigned you to case{h(number)} <strong>{h(c.Title)}</strong>.</p>
            <p>Severity: {h(c.Severity)}<br>Status: {h(c.Status)}</p>
            {(link is null ? "" : $"<p><a href=\"{h(link)}\">View the case</a></p>")}
            """;
        var message = new MimeMessage
        {
            Subject = $"You were assigned to case{number}: {c.Title}",
            Body = new BodyBuilder { TextBody = text, HtmlBody = html }.ToMessageBody(),
        };
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(new MailboxAddress(toName, to));
        return message;
    }

    static string Name(CaseUser u) => u.FullName is { Length: > 0 } f ? f : u.Username is { Length: > 0 } n ? n : u.Email ?? "Someone";
}
