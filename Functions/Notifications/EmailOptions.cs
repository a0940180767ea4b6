namespace Cases.Functions.Notifications;

/// <summary>Email on assignment. Section <c>Cases:Email</c>; no SMTP host or no From: no email.</summary>
public sealed class EmailOptions
{
    public const string Section = "Cases:Email";

    /// <summary>The sender, e.g. <c>Cases &lt;cases@contoso.com&gt;</c>.</summary>
    public string? From { get; set; }

    public SmtpOptions Smtp { get; set; } = new();

    public bool Enabled => !string.IsNullOrWhiteSpace(From) && !string.IsNullOrWhiteSpace(Smtp.Host);

    public bool IsValid() => Smtp.Security is "none" or "starttls" or "tls" && Smtp.Port is >= 0 and <= 65535
        && (string.IsNullOrWhiteSpace(From) || MimeKit.MailboxAddress.TryParse(From, out _));

    public const string Rule = "Cases:Email: Smtp:Security must be none, starttls or tls; Smtp:Port 0-65535; From an email address.";
}

public sealed class SmtpOptions
{
    public string? Host { get; set; }

    /// <summary>0: the usual port of <see cref="Security"/> (25, 587 for starttls, 465 for tls).</summary>
    public int Port { get; set; }

    /// <summary><c>none</c>, <c>starttls</c> (required, not opportunistic) or <c>tls</c> (TLS from the first byte).</summary>
    public string Security { get; set; } = "starttls";

    public string? Username { get; set; }

    /// <summary>In Azure a Key Vault reference; never logged.</summary>
    public string? Password { get; set; }

    public int EffectivePort => Port != 0 ? Port : Security switch { "tls" => 465, "starttls" => 587, _ => 25 };
}
