using Cases.Functions.Notifications;
using Cases.Functions.Outbound;
using Microsoft.Extensions.Options;

namespace Cases.Tests.Notifications;

public sealed class OutboundTests
{
    [Theory]
    [InlineData("127.0.0.1", "http://127.0.0.1:8080/x", true)]
    [InlineData("hooks.contoso.com, 127.0.0.1", "https://HOOKS.contoso.com/x", true)]
    [InlineData("hooks.contoso.com", "https://evil.example/x", false)]
    [InlineData("*", "https://anything.example/x", true)]
    [InlineData("*", "file:///etc/passwd", false)]
    [InlineData("", "https://hooks.contoso.com/x", false)]
    public void The_allow_list_decides_by_host(string allowed, string url, bool allows) =>
        Assert.Equal(allows, new AllowedHosts(Options.Create(new OutboundOptions { AllowedHosts = allowed })).Allows(new Uri(url)));

    [Fact]
    public void Retries_back_off_from_seconds_to_a_cap_of_minutes()
    {
        var options = new NotificationOptions();
        Assert.Equal([2, 4, 8, 16, 32, 64, 128, 180, 180], Enumerable.Range(1, 9).Select(n => (int)options.RetryDelay(n).TotalSeconds));
    }

    [Fact]
    public void Retry_delays_are_whole_seconds_because_a_queue_cannot_hide_a_message_for_less()
    {
        // A 1.5 s delay sent to the queue as 1 s would be fine, but 0.5 s would be sent as 0: a retry with no delay at all.
        var options = new NotificationOptions { FirstRetry = TimeSpan.FromSeconds(1.5), MaxRetryDelay = TimeSpan.FromSeconds(5) };
        Assert.Equal([2, 3, 5, 5], Enumerable.Range(1, 4).Select(n => options.RetryDelay(n).TotalSeconds));
        Assert.False(new NotificationOptions { FirstRetry = TimeSpan.FromMilliseconds(200), MaxRetryDelay = TimeSpan.FromSeconds(1) }.IsValid());
        Assert.True(new NotificationOptions { FirstRetry = TimeSpan.FromSeconds(1), MaxRetryDelay = TimeSpan.FromSeconds(1) }.IsValid());
    }
}
