using System.Collections.Concurrent;
using Cases.Domain.Errors;
using Cases.Functions.Identity;

namespace Cases.Functions.Profiles;

/// <summary>
/// Records every authenticated caller as a user profile (uid = the principal's object id), and again when their name or
/// email changes. An instance remembers whom it recorded, so a caller costs one write per instance and change, and
/// recording never fails or blocks a request (a failure is logged and tried on the caller's next request).
/// </summary>
public sealed partial class ProfileRecorder(ProfileStore store, CallerIdentity identity, TimeProvider time, ILogger<ProfileRecorder> logger)
{
    const int RememberAtMost = 10_000;
    readonly ConcurrentDictionary<string, UserProfile> recorded = new(StringComparer.Ordinal);

    public async Task Record(HttpContext context)
    {
        UserProfile profile;
        try
        {
            var user = identity.Of(context);
            if (string.IsNullOrEmpty(user.ProfileUid)) return;
            profile = new UserProfile(user.ProfileUid, user.Username, user.FullName, user.Email);
        }
        catch (CasesException)
        {
            return; // no caller (401 comes from the route itself)
        }
        if (recorded.TryGetValue(profile.Uid, out var known) && known == profile) return;
        try
        {
            await store.Save(profile, time, context.RequestAborted);
            if (recorded.Count >= RememberAtMost) recorded.Clear();
            recorded[profile.Uid] = profile;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogNotRecorded(logger, ex, profile.Uid);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The user profile {Uid} could not be recorded; it will be tried on the next request")]
    static partial void LogNotRecorded(ILogger logger, Exception ex, string uid);
}
