using System.Text.Json.Nodes;
using Cases.Domain.Observables;
using static Cases.Tests.Domain.Refusals;

namespace Cases.Tests.Domain;

public sealed class ObservableTests
{
    static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    static readonly string[] Types = ObservableTypes.BuiltIn.Select(t => t.Key).ToArray();

    static List<Observable> Many(int n) =>
        Enumerable.Range(0, n).Select(i => new Observable($"o{i}", ObservableTypes.Ipv4, $"10.0.0.{i}", null, Now, Now)).ToList();

    [Theory]
    [InlineData(ObservableTypes.Ipv4, "10.0.0.1", true)]
    [InlineData(ObservableTypes.Ipv4, "10.0.1", false)]
    [InlineData(ObservableTypes.Ipv4, "::1", false)]
    [InlineData(ObservableTypes.Ipv4, "300.1.1.1", false)]
    [InlineData(ObservableTypes.Ipv6, "fe80::1", true)]
    [InlineData(ObservableTypes.Ipv6, "10.0.0.1", false)]
    [InlineData(ObservableTypes.Url, "https://example.org/x", true)]
    [InlineData(ObservableTypes.Url, "hxxp://evil.example", true)]
    [InlineData(ObservableTypes.Url, "ftp://files.example", true)]
    [InlineData(ObservableTypes.Url, "mailto:a@b.c", false)]
    [InlineData(ObservableTypes.Url, "example.org", false)]
    [InlineData(ObservableTypes.Hostname, "web-01.corp.example", true)]
    [InlineData(ObservableTypes.Hostname, "-bad.example", false)]
    [InlineData(ObservableTypes.Domain, "example.org.", true)]
    [InlineData(ObservableTypes.Domain, "exa mple.org", false)]
    [InlineData(ObservableTypes.Email, "a@b.co", true)]
    [InlineData(ObservableTypes.Email, "a@b", false)]
    [InlineData(ObservableTypes.FileHash, "d41d8cd98f00b204e9800998ecf8427e", true)]
    [InlineData(ObservableTypes.FileHash, "da39a3ee5e6b4b0d3255bfef95601890afd80709", true)]
    [InlineData(ObservableTypes.FileHash, "d41d8cd98f00b204e9800998ecf8427", false)]
    [InlineData(ObservableTypes.FileHash, "zz1d8cd98f00b204e9800998ecf8427e", false)]
    [InlineData(ObservableTypes.FilePath, "C:\\Windows\\x.exe", true)]
    [InlineData("custom-type", "anything", true)]
    public void Values_are_checked_per_type(string type, string value, bool valid) =>
        Assert.Equal(valid, ObservableTypes.IsValidValue(type, value));

    [Fact]
    public void Hostnames_longer_than_253_are_refused()
    {
        var host = string.Join('.', Enumerable.Repeat(new string('a', 63), 3)) + "." + new string('b', 61);
        Assert.Equal(253, host.Length);
        Assert.True(ObservableTypes.IsValidValue(ObservableTypes.Hostname, host));
        Assert.False(ObservableTypes.IsValidValue(ObservableTypes.Domain, host + "b"));
    }

    [Fact]
    public void Add_trims_checks_type_value_duplicates_and_the_limit_of_50()
    {
        var added = ObservableRules.Add([], ObservableTypes.Ipv4, " 10.1.1.1 ", "C2", Types, "id1", Now);
        Assert.Equal(new Observable("id1", ObservableTypes.Ipv4, "10.1.1.1", "C2", Now, Now), added);
        Assert.Equal(50, Many(49).Append(ObservableRules.Add(Many(49), ObservableTypes.Ipv4, "10.2.2.2", null, Types, "x", Now)).Count());
        Refused("The case has reached the maximum allowed number (50) of observables.", () => ObservableRules.Add(Many(50), ObservableTypes.Ipv4, "10.2.2.2", null, Types, "x", Now));
        Refused("supplied to \"observable.typeKey\"", () => ObservableRules.Add([], "nope", "x", null, Types, "x", Now));
        Refused("supplied to \"observable.typeKey\"", () => ObservableRules.Add([], null, "x", null, Types, "x", Now));
        Refused("supplied to \"observable.value\"", () => ObservableRules.Add([], ObservableTypes.Ipv4, null, null, Types, "x", Now));
        Refused("The value field cannot be an empty string.", () => ObservableRules.Add([], ObservableTypes.FilePath, "  ", null, Types, "x", Now));
        Refused("The length of the value is too long. The maximum length is 2048.", () => ObservableRules.Add([], ObservableTypes.FilePath, new string('p', 2049), null, Types, "x", Now));
        Assert.Equal(2048, ObservableRules.Add([], ObservableTypes.FilePath, new string('p', 2048), null, Types, "x", Now).Value.Length);
        Refused("The value \"10.1\" is not valid for the observable type observable-type-ipv4.", () => ObservableRules.Add([], ObservableTypes.Ipv4, "10.1", null, Types, "x", Now));
        Refused("already exists on the case", () => ObservableRules.Add(Many(3), ObservableTypes.Ipv4, "10.0.0.1", null, Types, "x", Now));
        Refused("The length of the description is too long. The maximum length is 1000.", () => ObservableRules.Add([], ObservableTypes.Ipv4, "10.1.1.1", new string('d', 1001), Types, "x", Now));
        Assert.Equal(1000, ObservableRules.Add([], ObservableTypes.Ipv4, "10.1.1.1", new string('d', 1000), Types, "x", Now).Description!.Length);
    }

    [Fact]
    public void Update_may_keep_its_own_value_but_not_take_anothers()
    {
        var current = Many(3);
        var later = Now.AddHours(1);
        var same = ObservableRules.Update(current, current[1], "10.0.0.1", "note", later);
        Assert.Equal(current[1] with { Description = "note", UpdatedAt = later }, same);
        Refused("already exists on the case", () => ObservableRules.Update(current, current[1], "10.0.0.2", null, later));
        Refused("is not valid", () => ObservableRules.Update(current, current[1], "nope", null, later));
    }

    [Fact]
    public void Extract_reads_nested_and_flat_ecs_skips_known_invalid_and_repeats_and_stops_at_the_limit()
    {
        var ids = 0;
        string NewId() => $"n{++ids}";
        var docs = new JsonObject?[]
        {
            new JsonObject { ["host"] = new JsonObject { ["name"] = "web-01", ["ip"] = new JsonArray("10.0.0.1", "fe80::1", "bad ip") } },
            new JsonObject { ["source.ip"] = "10.9.9.9", ["url"] = new JsonObject { ["full"] = "https://x.example/a" }, ["agent.id"] = 42 },
            null,
            new JsonObject { ["host.name"] = "web-01", ["file"] = new JsonObject { ["hash"] = new JsonObject { ["md5"] = "d41d8cd98f00b204e9800998ecf8427e" } }, ["user.email"] = true },
        };
        var found = ObservableRules.Extract(Many(2), docs, Now, NewId); // 10.0.0.1 is on the case already
        Assert.Equal(
            [(ObservableTypes.Hostname, "web-01"), (ObservableTypes.Ipv6, "fe80::1"), (ObservableTypes.Ipv4, "10.9.9.9"),
             (ObservableTypes.Url, "https://x.example/a"), (ObservableTypes.AgentId, "42"), (ObservableTypes.FileHash, "d41d8cd98f00b204e9800998ecf8427e")],
            found.Select(o => (o.TypeKey, o.Value)));
        Assert.Equal("Auto extracted observable from host.name", found[0].Description);
        Assert.Equal("n1", found[0].Id);

        var nearlyFull = ObservableRules.Extract(Many(48), docs, Now, NewId);
        Assert.Equal(2, nearlyFull.Count);
        Assert.Empty(ObservableRules.Extract(Many(50), docs, Now, NewId));
    }

    [Fact]
    public void Ecs_prefers_the_longest_dotted_key_and_reads_strings_and_numbers()
    {
        var doc = new JsonObject { ["a.b"] = "flat", ["a"] = new JsonObject { ["b"] = "nested", ["c"] = new JsonArray("x", 1, true) } };
        Assert.Equal("flat", Ecs.First(doc, "a.b"));
        Assert.Equal(["x", "1"], Ecs.Values(doc, "a.c"));
        Assert.Null(Ecs.First(doc, "a.d"));
        Assert.Null(Ecs.First(new JsonObject { ["a"] = "leaf" }, "a.b"));
        Assert.Empty(Ecs.Values(new JsonObject { ["a"] = new JsonObject() }, "a"));
    }
}
