using Cases.Domain.Ids;
using Cases.Domain.Cases;
using Cases.Domain.Settings;
using Cases.Functions.Access;
using Cases.Functions.Hosting;
using Cases.Functions.Identity;
using Cases.Functions.Spaces;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cases.Functions.Settings;

/// <summary>Kibana's case settings routes (<c>/api/cases/configure</c>): one settings object per owner and space.</summary>
public static class ConfigurationApi
{
    public static void MapConfigurationApi(this IEndpointRouteBuilder routes)
    {
        var configure = routes.MapGroup("/cases/configure").WithTags("cases");
        configure.MapGet("/", Get).WithName("getCaseConfiguration").RequiresCases(CasePrivilege.Read, "case configurations").ProducesErrors(400);
        configure.MapPost("/", Create).WithName("setCaseConfiguration").RequiresCases(CasePrivilege.Settings, "case configuration").ReadsJson();
        configure.MapPatch("/{configurationId}", Update).WithName("updateCaseConfiguration").RequiresCases(CasePrivilege.Settings, "case configuration")
            .ReadsJson().ProducesErrors(404, 409);
        configure.MapGet("/connectors/_find", Connectors.ConnectorsApi.FindForCases).WithName("findCaseConnectors").RequiresCases(CasePrivilege.Read, "connectors");
    }

    /// <summary>The settings of every owner in the space, or of the owners named by <c>owner</c>.</summary>
    static async Task<Ok<List<ConfigurationResponse>>> Get(HttpContext http, ConfigurationStore store, CancellationToken ct)
    {
        var owners = CasesAccess.Of(http).ReadableOf(QueryValues.List(http.Request.Query, "owner"), "case configurations");
        var all = await store.List(Space.Of(http), ct);
        return TypedResults.Ok(all
            .Where(s => owners.Contains(s.Configuration.Owner))
            .OrderBy(s => s.Configuration.Owner, StringComparer.Ordinal)
            .Select(ConfigurationResponse.From).ToList());
    }

    /// <summary>As in Kibana, creating settings for an owner that already has some replaces them (new id and version).</summary>
    static async Task<Ok<ConfigurationResponse>> Create(HttpContext http, ConfigurationStore store, CallerIdentity identity, TimeProvider time,
        Connectors.CaseConnectors connectors, CancellationToken ct)
    {
        var input = await ConfigurationRequests.ReadNew(http.Request, ct);
        CasesAccess.Of(http).Require(CasePrivilege.Settings, "case configuration", CaseValidation.Owner(input.Owner));
        if (input.Connector is { } connector) input = input with { Connector = await connectors.Check(Space.Of(http), CaseValidation.Connector(connector), ct) };
        var configuration = ConfigurationRules.Create(input, ObjectIds.New(), identity.Of(http), time.Now());
        var stored = await store.Replace(Space.Of(http), configuration, ct);
        return TypedResults.Ok(ConfigurationResponse.From(stored));
    }

    static async Task<Ok<ConfigurationResponse>> Update(string configurationId, HttpContext http, ConfigurationStore store, CallerIdentity identity,
        TimeProvider time, Connectors.CaseConnectors connectors, CancellationToken ct)
    {
        var space = Space.Of(http);
        var patch = await ConfigurationRequests.ReadPatch(http.Request, ct);
        if (patch.Connector is { } connector) patch = patch with { Connector = await connectors.Check(space, CaseValidation.Connector(connector), ct) };
        var current = (await store.List(space, ct)).FirstOrDefault(s => s.Configuration.Id == configurationId)
            ?? throw ConfigurationRules.NotFound(configurationId);
        CasesAccess.Of(http).Require(CasePrivilege.Settings, "case configuration", current.Configuration.Owner);
        if (patch.Version != CaseVersion.Encode(current.Version)) throw ConfigurationRules.Stale();
        var next = ConfigurationRules.Apply(current.Configuration, patch, identity.Of(http), time.Now());
        if (!await store.TryUpdate(space, current, next, ct)) throw ConfigurationRules.Stale();
        return TypedResults.Ok(ConfigurationResponse.From(current with { Configuration = next, Version = current.Version + 1 }));
    }
}
