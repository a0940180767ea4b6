using Cases.Domain.Errors;
using Cases.Functions.Hosting;
using Cases.Functions.Identity;

namespace Cases.Functions.Access;

/// <summary>
/// What a route declares about its callers. Every route declares one of these; the middleware in
/// <see cref="AccessEndpoints.UseCasesAccess"/> refuses a route that declares nothing, so none can be forgotten.
/// </summary>
public abstract record AccessRule;

/// <summary>Anyone, signed in or not (health probes).</summary>
public sealed record PublicAccess : AccessRule;

/// <summary>Any signed-in caller, whatever their privileges (<c>_me</c>, the OpenAPI document).</summary>
public sealed record CallerAccess : AccessRule;

/// <summary>
/// A signed-in caller who has <paramref name="Privilege"/> on at least one owner in the space; the handler then checks
/// the owners of what it touches (<see cref="CasesAccess.Require"/>) or lists only readable owners.
/// </summary>
public sealed record CasesAccessRule(CasePrivilege Privilege, string DocType) : AccessRule;

public static class AccessEndpoints
{
    /// <summary>401 without a caller, 403 without the privilege (here or on the owner of what the route touches).</summary>
    public static TBuilder RequiresCases<TBuilder>(this TBuilder builder, CasePrivilege privilege, string docType = "cases")
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new CasesAccessRule(privilege, docType)).ProducesErrors(StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden);

    /// <summary>401 without a caller.</summary>
    public static TBuilder RequiresCaller<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new CallerAccess()).ProducesErrors(StatusCodes.Status401Unauthorized);

    public static TBuilder IsPublic<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new PublicAccess());

    public static IServiceCollection AddCasesAccess(this IServiceCollection services)
    {
        services.AddOptions<AccessOptions>().BindConfiguration(AccessOptions.Section).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<AccessOptions>, AccessOptionsValidation>();
        services.AddSingleton<AccessPolicy>();
        return services;
    }

    /// <summary>
    /// One place that asks for a caller on every route of the group (401 without one) and applies the route's declared
    /// rule (403 when the caller has that privilege on no owner here). An endpoint filter, so it is part of the endpoint
    /// itself: the standalone app and the isolated worker's functions (which run the endpoints directly) both pass it.
    /// </summary>
    public static RouteGroupBuilder RequireCasesAccess(this RouteGroupBuilder group)
    {
        group.AddEndpointFilter(async (invocation, next) =>
        {
            Check(invocation.HttpContext);
            return await next(invocation);
        });
        return group;
    }

    static void Check(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        var rule = endpoint?.Metadata.GetMetadata<AccessRule>();
        if (rule is PublicAccess) return;
        context.RequestServices.GetRequiredService<CallerIdentity>().CallerOf(context); // 401 without a caller
        switch (rule)
        {
            case CallerAccess:
                return;
            case CasesAccessRule cases:
                var access = CasesAccess.Of(context);
                if (!access.CanAnyOwner(cases.Privilege)) throw access.Refuse(cases.Privilege, cases.DocType, []);
                return;
            default:
                // A route that declares nothing is refused rather than open (AccessMatrixTests names it).
                throw new CasesException(403, $"The route {endpoint?.DisplayName} declares no access rule.");
        }
    }
}
