using System.Text.Json.Nodes;
using Cases.Domain.Cases;
using Cases.Functions.Spaces;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cases.Functions.Access;

/// <summary>
/// <c>GET /api/cases/_me</c> (our extension): who the caller is, their roles, and per owner what they may do in this
/// space, with the names of Kibana's case capabilities, so a front end can hide what the user cannot do.
/// </summary>
public static class MeApi
{
    public static void MapMeApi(this IEndpointRouteBuilder routes) =>
        routes.MapGet("/cases/_me", Me).WithTags("access").WithName("getCasesMe").RequiresCaller();

    static Ok<JsonObject> Me(HttpContext http)
    {
        var access = CasesAccess.Of(http);
        var user = access.Caller.User;
        var owners = new JsonObject();
        foreach (var owner in CaseOwner.All)
        {
            bool Has(CasePrivilege p) => access.Can(owner, p);
            owners[owner] = new JsonObject
            {
                ["all"] = Has(CasePrivilege.All),
                ["read"] = Has(CasePrivilege.Read),
                ["create"] = Has(CasePrivilege.Create),
                ["update"] = Has(CasePrivilege.Update),
                ["delete"] = Has(CasePrivilege.Delete),
                ["settings"] = Has(CasePrivilege.Settings),
                ["createComment"] = Has(CasePrivilege.Comment),
                ["reopenCase"] = Has(CasePrivilege.Reopen),
                ["assign"] = Has(CasePrivilege.Assign),
                ["push"] = Has(CasePrivilege.Push),
                ["files"] = Has(CasePrivilege.Files),
            };
        }
        return TypedResults.Ok(new JsonObject
        {
            ["username"] = user.Username,
            ["full_name"] = user.FullName,
            ["email"] = user.Email,
            ["profile_uid"] = user.ProfileUid,
            ["roles"] = new JsonArray(access.Caller.Roles.Select(r => (JsonNode?)r).ToArray()),
            ["space"] = Space.Of(http),
            ["owners"] = owners,
        });
    }
}
