using Cases.Domain.Files;
using Cases.Domain.Find;
using Cases.Domain.Observables;
using static Cases.Tests.Domain.Refusals;

namespace Cases.Tests.Domain;

/// <summary>Edges the first mutation run showed untested: email shapes, file extensions, week and negative date math.</summary>
public sealed class RuleEdgesTests
{
    [Theory]
    [InlineData("a@b.co", true)]
    [InlineData("first.last@mail.example.org", true)]
    [InlineData("@b.co", false)]
    [InlineData("a@b@c.co", false)]
    [InlineData("a b@c.co", false)]
    [InlineData("a@.co", false)]
    [InlineData("a@b.", false)]
    [InlineData("a@bco", false)]
    [InlineData("a@b", false)]
    [InlineData("a@", false)]
    [InlineData("ab.c@d", false)]
    public void Email_shape(string value, bool valid) => Assert.Equal(valid, ObservableTypes.IsValidValue(ObservableTypes.Email, value));

    [Fact]
    public void Extensions_are_1_to_16_ascii_letters_or_digits()
    {
        Assert.Equal(("report", "pdf"), FileRules.Split("report.pdf"));
        Assert.Equal(("a", new string('x', 16)), FileRules.Split("a." + new string('x', 16)));
        Refused("The file extension \"" + new string('x', 16) + "\" is not valid: use 1 to 16 letters or digits.", () => FileRules.Split("a." + new string('x', 17)));
        Refused("The file extension \"p-f\" is not valid", () => FileRules.Split("a.p-f"));
        Refused("The file extension \"pdé\" is not valid", () => FileRules.Split("a.pdé"));
        Assert.Equal((".hidden", ""), FileRules.Split(".hidden"));
        Assert.Equal(("name.", ""), FileRules.Split("name."));
    }

    [Fact]
    public void Date_math_in_weeks_and_backwards()
    {
        var now = new DateTimeOffset(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);
        Assert.Equal(now.AddDays(-14), DateMath.Parse("now-2w", now));
        Assert.Equal(now.AddDays(21), DateMath.Parse("now+3w", now));
        Assert.Equal(now.AddHours(-5), DateMath.Parse("now-5h", now));
    }
    [Fact]
    public void An_observable_value_may_be_exactly_2048_characters()
    {
        var now = DateTimeOffset.UnixEpoch;
        string[] types = [.. ObservableTypes.BuiltIn.Select(t => t.Key)];
        var longest = "/" + new string('p', ObservableRules.ValueMax - 1);
        Assert.Equal(longest, ObservableRules.Add([], ObservableTypes.FilePath, longest, null, types, "o1", now).Value);
        Refused($"The maximum length is {ObservableRules.ValueMax}.", () => ObservableRules.Add([], ObservableTypes.FilePath, longest + "p", null, types, "o1", now));
        // Extraction from alerts keeps the same edge, silently.
        System.Text.Json.Nodes.JsonObject Doc(string path) => new() { ["file.path"] = path };
        Assert.Equal([longest], ObservableRules.Extract([], [Doc(longest), Doc(longest + "p")], now, () => "x").Select(o => o.Value));
    }

    [Fact]
    public void An_ecs_path_never_matches_an_empty_key()
    {
        // {"host": {"": {"name": ..}}} is not host.name: each step of the path takes at least one part.
        var doc = new System.Text.Json.Nodes.JsonObject { ["host"] = new System.Text.Json.Nodes.JsonObject { [""] = new System.Text.Json.Nodes.JsonObject { ["name"] = "evil" } } };
        Assert.Null(Ecs.First(doc, "host.name"));
    }
}
