using System.Net;
using System.Text.Json.Nodes;

namespace Cases.Tests.Infrastructure;

public static class HttpAssertions
{
    public static async Task<JsonNode> Json(this HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    /// <summary>Asserts Kibana's error body with the given status and a message containing <paramref name="message"/>.</summary>
    public static async Task Error(this HttpResponseMessage response, HttpStatusCode status, string message)
    {
        var body = (await response.Json(status)).AsObject();
        Assert.Equal((int)status, body["statusCode"]!.GetValue<int>());
        Assert.False(string.IsNullOrEmpty(body["error"]!.GetValue<string>()));
        Assert.Contains(message, body["message"]!.GetValue<string>());
    }
}
