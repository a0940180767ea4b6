using Cases.Domain.Cases;

namespace Cases.Domain.Find;

public sealed partial class CaseView
{
    /// <summary>A query translated once into the view's numbers, then tested against each compact case.</summary>
    sealed class Filter
    {
        readonly HashSet<int>? severities, owners, tags, categories, assignees, reporters;
        readonly bool unassigned;
        readonly long? from, to;
        readonly (int Key, HashSet<int> Accepted, bool NullAccepted)[] customFields;
        readonly Matcher? search;
        readonly string? searchText;
        readonly IReadOnlySet<string> searchIds;
        readonly bool inTitle, inDescription;

        public Filter(CaseView view, CaseFindQuery q)
        {
            var strings = view.strings;
            HashSet<int>? Ids(IReadOnlyList<string> values) => values.Count == 0 ? null : values.Select(strings.Find).Where(i => i >= 0).ToHashSet();
            if (q.Severities.Count > 0) severities = q.Severities.Select(CaseSeverity.Rank).ToHashSet();
            owners = Ids(q.Owners);
            tags = Ids(q.Tags);
            categories = Ids(q.Categories);
            if (q.Assignees.Count > 0)
            {
                assignees = Ids(q.Assignees);
                unassigned = q.Assignees.Contains("none");
            }
            if (q.Reporters.Count > 0)
                reporters = view.users.Select((u, i) => (u, i))
                    .Where(x => q.Reporters.Any(r => r == x.u.Username || r == x.u.ProfileUid || r == x.u.Email)).Select(x => x.i).ToHashSet();
            from = q.From?.UtcTicks;
            to = q.To?.UtcTicks;
            customFields = q.CustomFields.Select(f => (strings.Find(f.Key), f.Value.Select(strings.Find).Where(i => i >= 0).ToHashSet(), f.Value.Contains("null"))).ToArray();
            if (q.SearchExpression is { } expression)
            {
                search = Compile(expression, view.words);
                searchText = q.Search!.Trim();
                inTitle = q.SearchFields.Contains("title");
                inDescription = q.SearchFields.Contains("description");
            }
            searchIds = q.SearchIds;
        }

        public bool MatchesAllButStatus(CompactCase c)
        {
            if (severities is not null && !severities.Contains(c.Severity)) return false;
            if (owners is not null && !owners.Contains(c.Owner)) return false;
            if (tags is not null && !AnyIn(c.Tags, tags)) return false;
            if (categories is not null && !categories.Contains(c.Category)) return false;
            if (assignees is not null && !((unassigned && c.Assignees.Length == 0) || AnyIn(c.Assignees, assignees))) return false;
            if (reporters is not null && !reporters.Contains(c.Reporter)) return false;
            if (from is { } f && c.CreatedTicks < f) return false;
            if (to is { } t && c.CreatedTicks > t) return false;
            if (search is not null && !(searchText == c.Id || searchIds.Contains(c.Id) ||
                search.Matches(c.TitleWords, inTitle, c.DescriptionWords, inDescription))) return false;
            foreach (var (key, accepted, nullAccepted) in customFields)
                if (!MatchesCustomField(c.CustomFields, key, accepted, nullAccepted)) return false;
            return true;
        }

        static bool AnyIn(int[] values, HashSet<int> wanted)
        {
            foreach (var v in values)
                if (wanted.Contains(v)) return true;
            return false;
        }

        static bool MatchesCustomField(int[] fields, int key, HashSet<int> accepted, bool nullAccepted)
        {
            for (var i = 0; i < fields.Length; i += 3)
                if (fields[i] == key)
                    return accepted.Contains(fields[i + 1]) || (fields[i + 2] >= 0 && accepted.Contains(fields[i + 2]));
            return nullAccepted;
        }
    }

    /// <summary>A search expression over word numbers; a term or phrase matches when it occurs in one searched field.</summary>
    abstract class Matcher
    {
        public bool Matches(int[] title, bool inTitle, int[] description, bool inDescription) =>
            Evaluate(title, inTitle, description, inDescription);

        public abstract bool Evaluate(int[] title, bool inTitle, int[] description, bool inDescription);
    }

    abstract class LeafMatcher : Matcher
    {
        public sealed override bool Evaluate(int[] title, bool inTitle, int[] description, bool inDescription) =>
            (inTitle && In(title)) || (inDescription && In(description));

        protected abstract bool In(int[] words);
    }

    sealed class WordMatcher(int word) : LeafMatcher
    {
        protected override bool In(int[] words) => word >= 0 && Array.IndexOf(words, word) >= 0;
    }

    sealed class PrefixMatcher(HashSet<int> accepted) : LeafMatcher
    {
        protected override bool In(int[] words)
        {
            foreach (var w in words)
                if (accepted.Contains(w)) return true;
            return false;
        }
    }

    sealed class PhraseMatcher(int[] phrase) : LeafMatcher
    {
        protected override bool In(int[] words) => phrase.All(w => w >= 0) && words.AsSpan().IndexOf(phrase) >= 0;
    }

    sealed class NotMatcher(Matcher inner) : Matcher
    {
        public override bool Evaluate(int[] t, bool it, int[] d, bool id) => !inner.Evaluate(t, it, d, id);
    }

    sealed class GroupMatcher(bool all, Matcher[] parts) : Matcher
    {
        public override bool Evaluate(int[] t, bool it, int[] d, bool id)
        {
            foreach (var part in parts)
                if (part.Evaluate(t, it, d, id) != all) return !all;
            return all;
        }
    }

    sealed class NothingMatcher : Matcher
    {
        public override bool Evaluate(int[] t, bool it, int[] d, bool id) => false;
    }

    static Matcher Compile(SearchExpression expression, StringPool words) => expression switch
    {
        SearchExpression.Term { Prefix: false } t => new WordMatcher(words.Find(t.Text)),
        SearchExpression.Term t => new PrefixMatcher(Enumerable.Range(0, words.Count).Where(i => words[i].StartsWith(t.Text, StringComparison.Ordinal)).ToHashSet()),
        SearchExpression.Phrase p => new PhraseMatcher(p.Words.Select(words.Find).ToArray()),
        SearchExpression.Not n => new NotMatcher(Compile(n.Inner, words)),
        SearchExpression.Group g => new GroupMatcher(g.All, g.Parts.Select(p => Compile(p, words)).ToArray()),
        _ => new NothingMatcher(),
    };
}
