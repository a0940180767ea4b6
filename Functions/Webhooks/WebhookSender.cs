using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Cases.Functions.Hosting;
using Cases.Functions.Outbound;

namespace Cases.Functions.Webhooks;

/// <summary>
/// Posts deliveries as GitHub posts its webhooks: JSON, <c>X-Cases-Signature-256: sha256=HEX(HMAC-SHA256(secret, body))</c>,
/// <c>X-Cases-Event</c>, and <c>X-Cases-Delivery</c> (the same on every retry). The body's <c>sentAt</c> is the time of this
/// attempt, so a receiver can refuse old replays. Redirects are not followed (they could lead past the allow-list).
/// </summary>
public sealed class WebhookSender(AllowedHosts allowedHosts, TimeProvider time) : IDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    readonly HttpClient http = new(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
    {
        Timeout = Timeout,
    };

    /// <summary>Sends one delivery; records the outcome on its row. Returns whether the receiver took it (2xx).</summary>
    public async Task<bool> Send(Webhook hook, string secret, TableEntity delivery, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        delivery["Attempts"] = (delivery.GetInt32("Attempts") ?? 0) + 1;
        delivery["LastAttemptAt"] = now;
        var url = new Uri(hook.Url);
        if (!allowedHosts.Allows(url))
        {
            delivery["LastStatusCode"] = null;
            delivery["LastError"] = "The host is no longer in Cases__Connectors__AllowedHosts.";
            return false;
        }
        var body = JsonNode.Parse(delivery.GetString("Payload"))!.AsObject();
        body["sentAt"] = KibanaDateConverter.Text(now);
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add("X-Cases-Event", delivery.GetString("Event"));
        request.Headers.Add("X-Cases-Delivery", delivery.GetString("DeliveryId"));
        request.Headers.Add("X-Cases-Signature-256", Signature(secret, bytes));
        request.Headers.UserAgent.ParseAdd("Cases-Webhooks/1.0");
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            delivery["LastStatusCode"] = (int)response.StatusCode;
            var ok = response.IsSuccessStatusCode;
            delivery["LastError"] = ok ? null : $"The receiver answered {(int)response.StatusCode}.";
            if (ok)
            {
                delivery["Status"] = WebhookDelivery.Delivered;
                delivery["DeliveredAt"] = time.GetUtcNow();
            }
            return ok;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            delivery["LastStatusCode"] = null;
            delivery["LastError"] = ex is TaskCanceledException ? $"No answer within {Timeout.TotalSeconds:0} s." : "The receiver could not be reached.";
            return false;
        }
    }

    public static string Signature(string secret, byte[] body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    public void Dispose() => http.Dispose();
}
