using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Cases.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Cases.Tests.Notifications;

/// <summary>
/// A real HTTP receiver (Kestrel on 127.0.0.1:0) that checks each delivery's signature as a receiver should: HMAC-SHA256
/// of the raw body with the shared secret, compared in constant time. It can be told to fail the next requests.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    public sealed record Delivery(string Event, string DeliveryId, JsonObject Body, bool SignatureValid, int AnsweredStatus);

    readonly WebApplication app;
    readonly ConcurrentQueue<Delivery> deliveries = new();
    int failNext;
    volatile bool failAlways;

    public string Secret { get; } = "whsec-" + Guid.NewGuid().ToString("N");
    public string Url { get; private set; } = "";

    WebhookReceiver()
    {
        app = LoopbackServer.Create();
        app.MapPost("/hook", async (HttpContext http) =>
        {
            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer);
            var body = buffer.ToArray();
            var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), body));
            var given = http.Request.Headers["X-Cases-Signature-256"].ToString();
            var valid = CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(given));
            var status = failAlways || Interlocked.Decrement(ref failNext) >= 0 ? 500 : valid ? 200 : 401;
            deliveries.Enqueue(new Delivery(http.Request.Headers["X-Cases-Event"].ToString(), http.Request.Headers["X-Cases-Delivery"].ToString(),
                JsonNode.Parse(body)!.AsObject(), valid, status));
            return Results.StatusCode(status);
        });
    }

    public static async Task<WebhookReceiver> Start()
    {
        var receiver = new WebhookReceiver();
        receiver.Url = await LoopbackServer.Start(receiver.app) + "/hook";
        return receiver;
    }

    /// <summary>Every request received, failed ones included, in arrival order.</summary>
    public IReadOnlyList<Delivery> All => deliveries.ToArray();

    /// <summary>The deliveries taken (answered 2xx) about one case, in arrival order.</summary>
    public IReadOnlyList<Delivery> Taken(string caseId) =>
        deliveries.Where(d => d.AnsweredStatus == 200 && d.Body["case"]?["id"]?.GetValue<string>() == caseId).ToList();

    public void FailNext(int count) => Interlocked.Exchange(ref failNext, count);

    public void FailAlways(bool on) => failAlways = on;

    public async Task<IReadOnlyList<Delivery>> WaitForTaken(string caseId, int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (DateTime.UtcNow < deadline)
        {
            var taken = Taken(caseId);
            if (taken.Count >= count) return taken;
            await Task.Delay(50);
        }
        throw new TimeoutException($"Case {caseId}: {Taken(caseId).Count} of {count} deliveries taken in time: " +
            string.Join(", ", Taken(caseId).Select(d => d.Event)));
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
