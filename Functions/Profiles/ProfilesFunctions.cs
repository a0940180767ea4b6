using Cases.Functions.Hosting;
using Microsoft.Azure.Functions.Worker;

namespace Cases.Functions.Profiles;

/// <summary>The isolated worker's entry points for <see cref="ProfilesApi"/>: each runs the endpoint of its own name.</summary>
public sealed class ProfilesFunctions(EndpointCatalog endpoints)
{
    [Function(nameof(SuggestUserProfilesDefaultSpace))]
    public IResult SuggestUserProfilesDefaultSpace([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "internal/cases/_suggest_user_profiles")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(SuggestUserProfiles))]
    public IResult SuggestUserProfiles([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "s/{spaceId}/internal/cases/_suggest_user_profiles")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(BulkGetUserProfilesDefaultSpace))]
    public IResult BulkGetUserProfilesDefaultSpace([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "internal/security/user_profile/_bulk_get")] HttpRequest request) =>
        endpoints.Run();

    [Function(nameof(BulkGetUserProfiles))]
    public IResult BulkGetUserProfiles([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "s/{spaceId}/internal/security/user_profile/_bulk_get")] HttpRequest request) =>
        endpoints.Run();
}
