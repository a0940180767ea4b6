using Cases.Functions.Access;
using Cases.Domain.Cases;
using Cases.Domain.Errors;
using Cases.Functions.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cases.Functions.Profiles;

/// <summary>
/// Kibana's internal profile routes that an assignee picker calls: suggest by name, and get by uid. They live under
/// <c>/internal</c> (not <c>/api</c>), in the default space and in <c>/s/{spaceId}</c>; profiles are the deployment's.
/// </summary>
public static class ProfilesApi
{
    public const int MaxSuggestions = 10;
    public const int MaxBulkGet = 1_000;
    const int NameMax = 256;

    public static IServiceCollection AddProfiles(this IServiceCollection services)
    {
        services.AddSingleton<ProfileStore>();
        services.AddSingleton<ProfileRecorder>();
        return services;
    }

    /// <summary>
    /// Routes mapped through this group record their caller as a profile before the handler runs. An endpoint filter
    /// rather than middleware, so that it runs under the isolated worker (which runs endpoints directly) as standalone.
    /// </summary>
    public static RouteGroupBuilder WithProfileRecording(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("");
        group.AddEndpointFilter(async (context, next) =>
        {
            await context.HttpContext.RequestServices.GetRequiredService<ProfileRecorder>().Record(context.HttpContext);
            return await next(context);
        });
        return group;
    }

    public static void MapProfilesApi(this IEndpointRouteBuilder routes)
    {
        // A caller is required here as on every space route (the access filter of the space groups).
        Map(routes.MapGroup("").RequireCasesAccess(), "DefaultSpace");
        Map(routes.MapGroup("/s/{spaceId}").RequireCasesAccess(), "");
    }

    static void Map(RouteGroupBuilder group, string nameSuffix)
    {
        group.MapPost("/internal/cases/_suggest_user_profiles", Suggest).WithTags("user profiles")
            .WithName("suggestUserProfiles" + nameSuffix).RequiresCaller().ReadsJson().Accepts<SuggestProfilesRequest>("application/json");
        group.MapPost("/internal/security/user_profile/_bulk_get", BulkGet).WithTags("user profiles")
            .WithName("bulkGetUserProfiles" + nameSuffix).RequiresCaller().ReadsJson().Accepts<BulkGetProfilesRequest>("application/json");
    }

    static async Task<Ok<List<UserProfileResponse>>> Suggest(HttpContext http, ProfileStore store, CancellationToken ct)
    {
        Spaces.Space.Of(http);
        var body = await RequestJson.ReadObject(http.Request, ct);
        RequestJson.RejectUnknownKeys(body, ["name", "size", "owners", "owner"]);
        var request = RequestJson.Bind(body, ProfilesJsonContext.Default.SuggestProfilesRequest, "")!;
        var name = (request.Name ?? "").Trim();
        if (name.Length > NameMax) throw CasesException.BadRequest($"The length of the field name is too long. The maximum length is {NameMax}.");
        var size = request.Size ?? MaxSuggestions;
        if (size is < 1 or > MaxSuggestions) throw CasesException.BadRequest($"size must be between 1 and {MaxSuggestions}.");
        foreach (var owner in (request.Owners ?? []).Concat(request.Owner ?? [])) CaseValidation.Owner(owner);

        var profiles = await store.All(ct);
        var matches = profiles
            .Select(p => (Profile: p, Rank: Rank(p, name)))
            .Where(m => m.Rank >= 0)
            .OrderBy(m => m.Rank).ThenBy(m => m.Profile.FullName ?? m.Profile.Username, StringComparer.OrdinalIgnoreCase)
            .Take(size)
            .Select(m => UserProfileResponse.From(m.Profile))
            .ToList();
        return TypedResults.Ok(matches);
    }

    /// <summary>0: a field starts with the name; 1: a word of the full name does; 2: contains it; -1: no match. Empty matches all.</summary>
    static int Rank(UserProfile p, string name)
    {
        if (name.Length == 0) return 0;
        string?[] fields = [p.Username, p.FullName, p.Email];
        if (fields.Any(f => f?.StartsWith(name, StringComparison.OrdinalIgnoreCase) == true)) return 0;
        if (p.FullName?.Split(' ').Any(w => w.StartsWith(name, StringComparison.OrdinalIgnoreCase)) == true) return 1;
        if (fields.Any(f => f?.Contains(name, StringComparison.OrdinalIgnoreCase) == true)) return 2;
        return -1;
    }

    static async Task<Ok<List<UserProfileResponse>>> BulkGet(HttpContext http, ProfileStore store, CancellationToken ct)
    {
        Spaces.Space.Of(http);
        var body = await RequestJson.ReadObject(http.Request, ct);
        RequestJson.RejectUnknownKeys(body, ["uids", "dataPath"]);
        var request = RequestJson.Bind(body, ProfilesJsonContext.Default.BulkGetProfilesRequest, "")!;
        var uids = request.Uids ?? throw CasesException.BadRequest("[uids]: expected value of type [array] but got [undefined]");
        CaseValidation.MaxItems("uids", uids.Count, MaxBulkGet);
        // Unknown uids are left out, as Kibana does. Few uids: point reads; many: one scan.
        var wanted = uids.Where(u => !string.IsNullOrEmpty(u)).Distinct(StringComparer.Ordinal).ToList();
        List<UserProfile> found;
        if (wanted.Count <= 20)
            found = (await Task.WhenAll(wanted.Select(u => store.Get(u, ct)))).OfType<UserProfile>().ToList();
        else
        {
            var set = wanted.ToHashSet(StringComparer.Ordinal);
            found = (await store.All(ct)).Where(p => set.Contains(p.Uid)).ToList();
        }
        return TypedResults.Ok(found.Select(UserProfileResponse.From).ToList());
    }
}
