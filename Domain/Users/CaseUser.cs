using System.Text.Json.Serialization;

namespace Cases.Domain.Users;

/// <summary>Who did something, in Kibana's shape: email, full_name and username are always written (null when unknown).</summary>
public sealed record CaseUser(
    [property: JsonPropertyName("email")] string? Email,
    [property: JsonPropertyName("full_name")] string? FullName,
    [property: JsonPropertyName("username")] string? Username,
    [property: JsonPropertyName("profile_uid"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ProfileUid = null);
