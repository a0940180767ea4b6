using Cases.Domain.Errors;
using Cases.Functions.Identity;

namespace Cases.Functions.Access;

/// <summary>
/// What the caller of one request may do in the request's space, per owner: decided once per request (see
/// <see cref="Of"/>) and asked by handlers for the owners of the cases they touch.
/// </summary>
public sealed partial class CasesAccess
{
    static readonly object CacheKey = new();

    readonly HttpContext http;
    readonly ILogger logger;

    CasesAccess(HttpContext http, Caller caller, string space, IReadOnlyDictionary<string, CasePrivilege> privileges, ILogger logger)
    {
        this.http = http;
        this.logger = logger;
        Caller = caller;
        Space = space;
        Privileges = privileges;
    }

    public Caller Caller { get; }
    public string Space { get; }
    public IReadOnlyDictionary<string, CasePrivilege> Privileges { get; }

    public static CasesAccess Of(HttpContext http)
    {
        if (http.Items.TryGetValue(CacheKey, out var cached)) return (CasesAccess)cached!;
        var services = http.RequestServices;
        var caller = services.GetRequiredService<CallerIdentity>().CallerOf(http);
        var space = Spaces.Space.Of(http);
        var access = new CasesAccess(http, caller, space, services.GetRequiredService<AccessPolicy>().PrivilegesIn(space, caller),
            services.GetRequiredService<ILoggerFactory>().CreateLogger("Cases.Security"));
        http.Items[CacheKey] = access;
        return access;
    }

    public bool Can(string owner, CasePrivilege needed) => (Privileges.GetValueOrDefault(owner) & needed) == needed;

    /// <summary>The owners whose cases the caller may read here.</summary>
    public IReadOnlyList<string> ReadableOwners => Privileges.Where(p => p.Value.HasFlag(CasePrivilege.Read)).Select(p => p.Key).ToList();

    public bool CanAnyOwner(CasePrivilege needed) => Privileges.Values.Any(p => (p & needed) == needed);

    /// <summary>
    /// A listing's <c>owner</c> filter cut down to the owners the caller may read. Empty (every owner) becomes the readable
    /// ones; a filter naming only forbidden owners is refused as Kibana refuses it.
    /// </summary>
    public List<string> ReadableOf(IReadOnlyCollection<string> requested, string docType = "cases")
    {
        var readable = ReadableOwners;
        if (requested.Count == 0) return [.. readable];
        var allowed = requested.Where(readable.Contains).ToList();
        if (allowed.Count == 0) throw Refuse(CasePrivilege.Read, docType, requested);
        return allowed;
    }

    /// <summary>403 with Kibana's message unless the caller has <paramref name="needed"/> on every one of <paramref name="owners"/>.</summary>
    public void Require(CasePrivilege needed, string docType, params IEnumerable<string> owners)
    {
        var forbidden = owners.Distinct(StringComparer.Ordinal).Where(o => !Can(o, needed)).Order(StringComparer.Ordinal).ToList();
        if (forbidden.Count > 0) throw Refuse(needed, docType, forbidden);
    }

    /// <summary>Logs the refusal as a security event and returns Kibana's 403.</summary>
    public CasesException Refuse(CasePrivilege needed, string docType, IEnumerable<string> owners)
    {
        var list = owners.ToList();
        var route = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? http.Request.Path.Value ?? "";
        LogRefused(logger, Caller.User.Username ?? Caller.User.ProfileUid ?? "", http.Request.Method, route, Space,
            list.Count == 0 ? "(any)" : string.Join(",", list), needed);
        var verb = CasePrivileges.Verb(needed);
        return new CasesException(403, list.Count == 0
            ? $"Unauthorized to {verb} {docType} of any owner"
            : $"Unauthorized to {verb} {docType} with owners: \"{string.Join(", ", list)}\"");
    }

    [LoggerMessage(EventId = 4030, EventName = "AccessRefused", Level = LogLevel.Warning,
        Message = "Security: refused {User} {Method} {Route} in space {Space} for owners {Owners} (needs {Needed})")]
    static partial void LogRefused(ILogger logger, string user, string method, string route, string space, string owners, CasePrivilege needed);
}
