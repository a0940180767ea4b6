using Microsoft.AspNetCore.Mvc;
using Cases.Domain.Ids;
using Cases.Functions.Access;
using System.Text.Json.Nodes;
using Cases.Domain.Errors;
using Cases.Functions.Hosting;
using Cases.Functions.Identity;
using Cases.Functions.Notifications;
using Cases.Functions.Outbound;
using Cases.Functions.Spaces;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cases.Functions.Webhooks;

/// <summary>Our extension: a space's webhooks (<c>/cases/webhooks</c>) and their last deliveries. See docs/notifications.md.</summary>
public static class WebhooksApi
{
    public const int MaxPerSpace = 20;
    public const int UrlMax = 2_048;
    public const int SecretMin = 16, SecretMax = 256;
    public const int DeliveriesShown = 50;

    public static IServiceCollection AddWebhooks(this IServiceCollection services)
    {
        services.AddSingleton<WebhookStore>();
        services.AddSingleton<WebhookSender>();
        return services;
    }

    public static void MapWebhooksApi(this IEndpointRouteBuilder routes)
    {
        var hooks = routes.MapGroup("/cases/webhooks").WithTags("webhooks");
        hooks.MapPost("/", Create).WithName("createWebhook").RequiresCases(CasePrivilege.Settings).ReadsJson().Accepts<NewWebhook>("application/json");
        hooks.MapGet("/", List).WithName("listWebhooks").RequiresCases(CasePrivilege.Settings);
        hooks.MapGet("/{webhookId}", Get).WithName("getWebhook").RequiresCases(CasePrivilege.Settings).ProducesErrors(404);
        hooks.MapDelete("/{webhookId}", Delete).WithName("deleteWebhook").RequiresCases(CasePrivilege.Settings).ProducesErrors(404);
        hooks.MapGet("/{webhookId}/deliveries", Deliveries).WithName("getWebhookDeliveries").RequiresCases(CasePrivilege.Settings).ProducesErrors(404);
    }

    static async Task<Ok<WebhookResponse>> Create(HttpContext http, [AsParameters] WebhookServices s, CancellationToken ct)
    {
        var space = Space.Of(http);
        var user = s.Identity.Of(http);
        var body = await RequestJson.ReadObject(http.Request, ct);
        RequestJson.RejectUnknownKeys(body, ["url", "secret", "events"]);
        var input = RequestJson.Bind(body, WebhooksJsonContext.Default.NewWebhook, "")!;

        if (string.IsNullOrWhiteSpace(input.Url)) throw CasesException.BadRequest("The url is required.");
        if (input.Url.Length > UrlMax) throw CasesException.BadRequest($"The length of the url is too long. The maximum length is {UrlMax}.");
        if (!Uri.TryCreate(input.Url, UriKind.Absolute, out var url)) throw CasesException.BadRequest("The url must be an absolute http or https URL.");
        s.AllowedHosts.Check(url, "url");
        if (input.Secret is null || input.Secret.Length < SecretMin || input.Secret.Length > SecretMax)
            throw CasesException.BadRequest($"The secret is required: {SecretMin} to {SecretMax} characters.");
        var events = Events(input.Events);
        if (await s.Store.Count(space, ct) >= MaxPerSpace)
            throw CasesException.BadRequest($"A space can have at most {MaxPerSpace} webhooks.");

        var hook = new Webhook(ObjectIds.New(), url.AbsoluteUri, events, s.Secrets.Protect(input.Secret), s.Time.Now(), user.Username);
        await s.Store.Add(space, hook, ct);
        return TypedResults.Ok(WebhookResponse.From(hook));
    }

    /// <summary><c>"*"</c>, <c>["*"]</c> or a list of event names.</summary>
    static IReadOnlyList<string> Events(JsonNode? node)
    {
        const string Expected = "The events must be \"*\" or a non-empty list of: ";
        if (node is JsonValue v && v.TryGetValue<string>(out var single) && single == "*") return ["*"];
        if (node is not JsonArray { Count: > 0 } list) throw CasesException.BadRequest(Expected + string.Join(", ", CaseEvents.All) + ".");
        var names = new List<string>();
        foreach (var item in list)
        {
            var name = item is JsonValue s && s.TryGetValue<string>(out var text) ? text : null;
            if (name != "*" && !CaseEvents.All.Contains(name))
                throw CasesException.BadRequest($"Unknown event \"{item?.ToJsonString()}\" in events: use \"*\" or " + string.Join(", ", CaseEvents.All) + ".");
            names.Add(name!);
        }
        return names.Contains("*") ? ["*"] : names.Distinct().ToList();
    }

    static async Task<Ok<WebhooksResponse>> List(HttpContext http, WebhookStore store, CancellationToken ct) =>
        TypedResults.Ok(new WebhooksResponse((await store.List(Space.Of(http), ct)).OrderBy(w => w.CreatedAt).Select(WebhookResponse.From).ToList()));

    static async Task<Ok<WebhookResponse>> Get(string webhookId, HttpContext http, WebhookStore store, CancellationToken ct) =>
        TypedResults.Ok(WebhookResponse.From(await Load(store, Space.Of(http), webhookId, ct)));

    static async Task<NoContent> Delete(string webhookId, HttpContext http, WebhookStore store, CancellationToken ct)
    {
        if (!IsId(webhookId) || !await store.Delete(Space.Of(http), webhookId, ct)) throw NotFound(webhookId);
        return TypedResults.NoContent();
    }

    static async Task<Ok<DeliveriesResponse>> Deliveries(string webhookId, HttpContext http, WebhookStore store, CancellationToken ct)
    {
        var space = Space.Of(http);
        await Load(store, space, webhookId, ct);
        return TypedResults.Ok(new DeliveriesResponse(await store.Deliveries(space, webhookId, DeliveriesShown, ct)));
    }

    static async Task<Webhook> Load(WebhookStore store, string space, string id, CancellationToken ct) =>
        (IsId(id) ? await store.Get(space, id, ct) : null) ?? throw NotFound(id);

    static bool IsId(string id) => Guid.TryParseExact(id, "D", out _);

    static CasesException NotFound(string id) => CasesException.NotFound($"Webhook [{id}] not found");
}

/// <summary>What registering a webhook uses, bound per request with <c>[AsParameters]</c>.
/// <c>[FromServices]</c> is explicit: the request delegate generator cannot tell a service from a body at compile time.</summary>
public sealed class WebhookServices(
    [FromServices] WebhookStore store,
    [FromServices] AllowedHosts allowedHosts,
    [FromServices] SecretProtector secrets,
    [FromServices] CallerIdentity identity,
    [FromServices] TimeProvider time)
{
    public WebhookStore Store { get; } = store;
    public AllowedHosts AllowedHosts { get; } = allowedHosts;
    public SecretProtector Secrets { get; } = secrets;
    public CallerIdentity Identity { get; } = identity;
    public TimeProvider Time { get; } = time;
}
