namespace Cases.Domain.Find;

/// <summary>
/// What the view keeps of a case: only what filtering, sorting, counting and search read, with every repeated string
/// (owner, tags, assignees, category, reporter, words) replaced by its number in the view's pools. The case itself
/// is read fresh from storage when a page is shown.
/// </summary>
public sealed class CompactCase
{
    public required string Id { get; init; }
    public required int Version { get; init; }
    public required byte Status { get; init; }      // index in CaseStatus.All
    public required byte Severity { get; init; }    // index in CaseSeverity.All
    public required int Owner { get; init; }        // strings pool
    public required long CreatedTicks { get; init; }
    public required long UpdatedTicks { get; init; } // 0: never updated
    public required long ClosedTicks { get; init; }  // 0: not closed
    public required long Duration { get; init; }     // -1: not closed
    public required string Title { get; init; }
    public required int Category { get; init; }     // strings pool, -1: none
    public required int[] Tags { get; init; }       // strings pool, as written (duplicates kept)
    public required int[] Assignees { get; init; }  // strings pool
    public required int Reporter { get; init; }     // users pool
    /// <summary>Per custom field: key, its JSON text, and its text when a string (-1 otherwise); strings pool.</summary>
    public required int[] CustomFields { get; init; }
    public required int[] TitleWords { get; init; }       // words pool, in order
    public required int[] DescriptionWords { get; init; } // words pool, in order
}
