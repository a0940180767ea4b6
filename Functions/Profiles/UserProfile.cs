using System.Text.Json.Serialization;

namespace Cases.Functions.Profiles;

/// <summary>Who a user profile id (<c>uid</c>, an assignee) is: recorded from the callers the app has seen.</summary>
public sealed record UserProfile(string Uid, string? Username, string? FullName, string? Email);

/// <summary>Kibana's user profile on the wire: <c>{uid, enabled, data, user: {username, email, full_name}}</c>.</summary>
public sealed record UserProfileResponse(
    [property: JsonPropertyName("uid")] string Uid,
    [property: JsonPropertyName("enabled")] bool Enabled,
    [property: JsonPropertyName("data")] ProfileData Data,
    [property: JsonPropertyName("user")] ProfileUser User)
{
    public static UserProfileResponse From(UserProfile p) => new(p.Uid, true, new ProfileData(), new ProfileUser(p.Username ?? "", p.Email, p.FullName));
}

/// <summary>Kibana keeps avatars and settings here; we keep none.</summary>
public sealed record ProfileData;

public sealed record ProfileUser(
    [property: JsonPropertyName("username")] string Username,
    [property: JsonPropertyName("email")] string? Email,
    [property: JsonPropertyName("full_name")] string? FullName);

/// <summary>Kibana's <c>_suggest_user_profiles</c> body (<c>owner</c> is what Kibana's own UI sends, <c>owners</c> the API).</summary>
public sealed record SuggestProfilesRequest(
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("size")] int? Size,
    [property: JsonPropertyName("owners")] List<string>? Owners,
    [property: JsonPropertyName("owner")] List<string>? Owner);

public sealed record BulkGetProfilesRequest(
    [property: JsonPropertyName("uids")] List<string>? Uids,
    [property: JsonPropertyName("dataPath")] string? DataPath);

[JsonSerializable(typeof(List<UserProfileResponse>))]
[JsonSerializable(typeof(SuggestProfilesRequest))]
[JsonSerializable(typeof(BulkGetProfilesRequest))]
internal sealed partial class ProfilesJsonContext : JsonSerializerContext;
