using Cases.Domain.Find;
using static Cases.Tests.Domain.FindCases;

namespace Cases.Tests.Domain;

/// <summary>_find's semantics, each checked on <see cref="CaseFinder"/> and on <see cref="CaseView"/> (live and restored).</summary>
public sealed class CaseFinderTests
{
    static CaseFindQuery Q => new();

    [Fact]
    public void Newest_first_ties_broken_by_id_and_status_counts_of_all() =>
        Check(Q, ["c6", "c5", "c4", "c3", "c2", "c1"], (2, 2, 2));

    [Fact]
    public void Status_filter_narrows_the_page_not_the_counts()
    {
        Check(Q with { Statuses = ["open"] }, ["c4", "c1"], (2, 2, 2));
        Check(Q with { Statuses = ["in-progress", "closed"] }, ["c6", "c5", "c3", "c2"], (2, 2, 2));
    }

    [Fact]
    public void Severity_owner_and_category_filters()
    {
        Check(Q with { Severities = ["low"] }, ["c5", "c1"], (1, 0, 1));
        Check(Q with { Severities = ["critical", "high"] }, ["c3", "c2"], (0, 1, 1));
        Check(Q with { Owners = ["cases"] }, ["c6", "c5", "c3", "c1"], (1, 1, 2));
        Check(Q with { Owners = ["observability", "securitySolution"] }, ["c4", "c2"], (1, 1, 0));
        Check(Q with { Categories = ["fraud"] }, ["c3", "c1"], (1, 0, 1));
        Check(Q with { Categories = ["ops", "nope"] }, ["c4"], (1, 0, 0));
        Check(Q with { Categories = ["nope"] }, [], (0, 0, 0));
    }

    [Fact]
    public void Tags_match_any_of_them_exactly()
    {
        Check(Q with { Tags = ["email"] }, ["c6", "c1"], (1, 1, 0));
        Check(Q with { Tags = ["phishing", "misc"] }, ["c5", "c3", "c1"], (1, 0, 2));
        Check(Q with { Tags = ["Email"] }, [], (0, 0, 0));
        Check(Q with { Tags = ["email", "unknown"] }, ["c6", "c1"], (1, 1, 0));
    }

    [Fact]
    public void Assignees_by_uid_and_none_for_unassigned()
    {
        Check(Q with { Assignees = ["u1"] }, ["c6", "c3", "c1"], (1, 1, 1));
        Check(Q with { Assignees = ["none"] }, ["c5", "c2"], (0, 1, 1));
        Check(Q with { Assignees = ["none", "u3"] }, ["c5", "c4", "c2"], (1, 1, 1));
        Check(Q with { Assignees = ["u9"] }, [], (0, 0, 0));
    }

    [Fact]
    public void Reporters_by_username_profile_or_email()
    {
        Check(Q with { Reporters = ["alice"] }, ["c6", "c3", "c1"], (1, 1, 1));
        Check(Q with { Reporters = ["p-alice"] }, ["c6", "c3", "c1"], (1, 1, 1));
        Check(Q with { Reporters = ["bob@x"] }, ["c5", "c2"], (0, 1, 1));
        Check(Q with { Reporters = ["carol", "nobody"] }, ["c4"], (1, 0, 0));
    }

    [Fact]
    public void Creation_range_includes_its_bounds()
    {
        Check(Q with { From = At(3) }, ["c6", "c5", "c4", "c3"], (1, 1, 2));
        Check(Q with { To = At(3) }, ["c4", "c3", "c2", "c1"], (2, 1, 1));
        Check(Q with { From = At(2), To = At(2) }, ["c2"], (0, 1, 0));
        Check(Q with { From = At(2).AddTicks(1), To = At(3).AddTicks(-1) }, [], (0, 0, 0));
    }

    [Fact]
    public void Custom_fields_match_json_text_string_value_or_null_for_missing()
    {
        Check(Q with { CustomFields = new Dictionary<string, IReadOnlyList<string>> { ["t"] = ["\"alpha\""] } }, ["c1"], (1, 0, 0));
        Check(Q with { CustomFields = new Dictionary<string, IReadOnlyList<string>> { ["t"] = ["alpha"] } }, ["c1"], (1, 0, 0));
        Check(Q with { CustomFields = new Dictionary<string, IReadOnlyList<string>> { ["t"] = ["null"] } }, ["c6", "c5", "c4", "c3", "c2"], (1, 2, 2));
        Check(Q with { CustomFields = new Dictionary<string, IReadOnlyList<string>> { ["n"] = ["5"] } }, ["c2"], (0, 1, 0));
        Check(Q with { CustomFields = new Dictionary<string, IReadOnlyList<string>> { ["n"] = ["6"] } }, [], (0, 0, 0));
        Check(Q with { CustomFields = new Dictionary<string, IReadOnlyList<string>> { ["b"] = ["true"], ["t"] = ["alpha"] } }, ["c1"], (1, 0, 0));
        Check(Q with { CustomFields = new Dictionary<string, IReadOnlyList<string>> { ["b"] = ["false"] } }, [], (0, 0, 0));
    }

    [Fact]
    public void Search_terms_prefixes_and_phrases_over_title_and_description()
    {
        Check(Q with { Search = "phishing" }, ["c6", "c3", "c1"], (1, 1, 1));
        Check(Q with { Search = "PHISH*" }, ["c6", "c3", "c1"], (1, 1, 1));
        Check(Q with { Search = "phish" }, [], (0, 0, 0));
        Check(Q with { Search = "\"phishing email\"" }, ["c1"], (1, 0, 0));
        Check(Q with { Search = "\"email phishing\"" }, [], (0, 0, 0));
        Check(Q with { Search = "\"phishing unknownword\"" }, [], (0, 0, 0));
        Check(Q with { Search = "don't" }, ["c3"], (0, 0, 1));
        Check(Q with { Search = "10.0.0.1" }, ["c2"], (0, 1, 0));
        Check(Q with { Search = "phishing", SearchFields = ["title"] }, ["c3", "c1"], (1, 0, 1));
        Check(Q with { Search = "phishing", SearchFields = ["description"] }, ["c6", "c3"], (0, 1, 1));
        Check(Q with { Search = "phishing", SearchFields = [] }, [], (0, 0, 0));
        Check(Q with { Search = "   " }, ["c6", "c5", "c4", "c3", "c2", "c1"], (2, 2, 2));
    }

    [Fact]
    public void Search_operators_and_default_operator()
    {
        Check(Q with { Search = "host-42" }, ["c4", "c2"], (1, 1, 0));
        Check(Q with { Search = "host-42", SearchAllTerms = true }, ["c2"], (0, 1, 0));
        Check(Q with { Search = "malware | disk" }, ["c4", "c2"], (1, 1, 0));
        Check(Q with { Search = "malware disk", SearchAllTerms = true }, [], (0, 0, 0));
        Check(Q with { Search = "phishing -email", SearchAllTerms = true }, ["c6", "c3"], (0, 1, 1));
        Check(Q with { Search = "--phishing +email" }, ["c1"], (1, 0, 0));
        Check(Q with { Search = "(phishing | malware) +again" }, ["c3"], (0, 0, 1));
        Check(Q with { Search = "+++ |" }, [], (0, 0, 0));
    }

    [Fact]
    public void Search_finds_a_case_by_its_id_or_the_ids_given()
    {
        Check(Q with { Search = " c5 " }, ["c5"], (0, 0, 1));
        Check(Q with { Search = "zebra", SearchIds = new HashSet<string> { "c4" } }, ["c5", "c4"], (1, 0, 1));
    }

    [Fact]
    public void Sorts_by_rank_time_or_text_ignoring_case_with_creation_then_id_breaking_ties()
    {
        Check(Q with { SortField = "title", Descending = false }, ["c6", "c4", "c2", "c3", "c1", "c5"], (2, 2, 2));
        Check(Q with { SortField = "title" }, ["c5", "c1", "c3", "c2", "c4", "c6"], (2, 2, 2));
        Check(Q with { SortField = "category", Descending = false }, ["c2", "c6", "c1", "c3", "c5", "c4"], (2, 2, 2));
        Check(Q with { SortField = "status", Descending = false }, ["c1", "c4", "c2", "c6", "c3", "c5"], (2, 2, 2));
        Check(Q with { SortField = "severity" }, ["c3", "c2", "c6", "c4", "c5", "c1"], (2, 2, 2));
        Check(Q with { SortField = "updatedAt" }, ["c5", "c2", "c6", "c4", "c3", "c1"], (2, 2, 2));
        Check(Q with { SortField = "closedAt", Descending = false }, ["c1", "c2", "c4", "c6", "c3", "c5"], (2, 2, 2));
        Check(Q with { SortField = "createdAt", Descending = false }, ["c1", "c2", "c3", "c4", "c5", "c6"], (2, 2, 2));
    }

    [Fact]
    public void Pages_and_the_position_to_continue_from()
    {
        Check(Q with { PerPage = 2 }, ["c6", "c5"], (2, 2, 2), total: 6, nextAfter: "c5");
        Check(Q with { PerPage = 2, Page = 2 }, ["c4", "c3"], (2, 2, 2), total: 6, nextAfter: "c3");
        Check(Q with { PerPage = 2, Page = 3 }, ["c2", "c1"], (2, 2, 2), total: 6);
        Check(Q with { PerPage = 2, Page = 4 }, [], (2, 2, 2), total: 6);
        Check(Q with { PerPage = 6 }, ["c6", "c5", "c4", "c3", "c2", "c1"], (2, 2, 2));
        Check(Q with { PerPage = 5 }, ["c6", "c5", "c4", "c3", "c2"], (2, 2, 2), total: 6, nextAfter: "c2");
    }

    [Fact]
    public void Search_after_continues_past_a_position_in_either_direction()
    {
        Check(Q with { PerPage = 2, SearchAfter = PositionOf("c4") }, ["c3", "c2"], (2, 2, 2), total: 6, nextAfter: "c2");
        Check(Q with { PerPage = 2, Page = 3, SearchAfter = PositionOf("c2") }, ["c1"], (2, 2, 2), total: 6);
        Check(Q with { Descending = false, SearchAfter = PositionOf("c3") }, ["c4", "c5", "c6"], (2, 2, 2), total: 6);
        Check(Q with { SortField = "title", Descending = false, SearchAfter = PositionOf("c3", "title") }, ["c1", "c5"], (2, 2, 2), total: 6);
        Check(Q with { SortField = "severity", SearchAfter = PositionOf("c6", "severity"), PerPage = 1 }, ["c4"], (2, 2, 2), total: 6, nextAfter: "c4");
    }

    [Fact]
    public void Positions_carry_the_sort_value()
    {
        Assert.Equal(new CasePosition(0, "Phishing again", At(3).UtcTicks, "c3"), PositionOf("c3", "title"));
        Assert.Equal(new CasePosition(0, "", At(2).UtcTicks, "c2"), PositionOf("c2", "category"));
        Assert.Equal(new CasePosition(0, "fraud", At(3).UtcTicks, "c3"), PositionOf("c3", "category"));
        Assert.Equal(new CasePosition(2, "", At(3).UtcTicks, "c3"), PositionOf("c3", "status"));
        Assert.Equal(new CasePosition(3, "", At(3).UtcTicks, "c3"), PositionOf("c3", "severity"));
        Assert.Equal(new CasePosition(At(10).UtcTicks, "", At(2).UtcTicks, "c2"), PositionOf("c2", "updatedAt"));
        Assert.Equal(new CasePosition(0, "", At(1).UtcTicks, "c1"), PositionOf("c1", "updatedAt"));
        Assert.Equal(new CasePosition(At(20).UtcTicks, "", At(3).UtcTicks, "c3"), PositionOf("c3", "closedAt"));
        Assert.Equal(new CasePosition(0, "", At(1).UtcTicks, "c1"), PositionOf("c1", "closedAt"));
        Assert.Equal(new CasePosition(At(1).UtcTicks, "", At(1).UtcTicks, "c1"), PositionOf("c1", "createdAt"));
    }

    [Fact]
    public void Only_owner_filters_are_recognised()
    {
        Assert.True(new CaseFindQuery { Owners = ["cases"], Statuses = ["open"], Search = " " }.FiltersOnlyByOwner);
        Assert.False(new CaseFindQuery { Severities = ["low"] }.FiltersOnlyByOwner);
        Assert.False(new CaseFindQuery { Tags = ["a"] }.FiltersOnlyByOwner);
        Assert.False(new CaseFindQuery { Assignees = ["a"] }.FiltersOnlyByOwner);
        Assert.False(new CaseFindQuery { Reporters = ["a"] }.FiltersOnlyByOwner);
        Assert.False(new CaseFindQuery { Categories = ["a"] }.FiltersOnlyByOwner);
        Assert.False(new CaseFindQuery { Search = "a" }.FiltersOnlyByOwner);
        Assert.False(new CaseFindQuery { From = T0 }.FiltersOnlyByOwner);
        Assert.False(new CaseFindQuery { To = T0 }.FiltersOnlyByOwner);
        Assert.False(new CaseFindQuery { CustomFields = new Dictionary<string, IReadOnlyList<string>> { ["k"] = ["x"] } }.FiltersOnlyByOwner);
        Assert.Null(new CaseFindQuery { Search = " " }.SearchExpression);
    }
}
