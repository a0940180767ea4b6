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
}
