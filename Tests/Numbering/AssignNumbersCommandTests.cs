using System.Text.Json.Nodes;
using Cases.Tests.Attachments;
using Cases.Tests.Infrastructure;

namespace Cases.Tests.Numbering;

/// <summary>
/// <c>Cases.Functions --assign-numbers</c> as operators run it: the built app in a process of its own over the same
/// storage (the fixture's tables), its exit code and output, and the numbers it leaves on the cases.
/// </summary>
public sealed class AssignNumbersCommandTests(CasesAppFixture app) : IClassFixture<CasesAppFixture>
{
    Dictionary<string, string> Environment(params (string Key, string Value)[] extra)
    {
        var environment = new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = Azurite.ConnectionString,
            ["Cases__Storage__TablePrefix"] = app.TablePrefix,
            ["Cases__Secrets__Key"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
        };
        foreach (var (key, value) in extra) environment[key] = value;
        return environment;
    }

    [Fact]
    public async Task The_command_numbers_the_waiting_cases_in_creation_order_and_exits_with_0()
    {
        var space = CasesAppFixture.NewSpace();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++) ids.Add((await app.CreateCase(space)).Id());
        foreach (var id in ids) Assert.Null(await Number(id));

        await using (var command = AppProcess.Start(Environment(), "--assign-numbers"))
        {
            Assert.Equal(0, await command.WaitForExit(TimeSpan.FromSeconds(120)));
            // (Other tests of the class may leave waiting cases in other spaces of these tables.)
            var numbered = System.Text.RegularExpressions.Regex.Match(command.Output, @"numbered (\d+) case\(s\) in (\d+) space\(s\)");
            Assert.True(numbered.Success && int.Parse(numbered.Groups[1].Value) >= 3, command.Output);
            Assert.DoesNotContain("failed", command.Output);
        }
        Assert.Equal(new long[] { 1, 2, 3 }, await Task.WhenAll(ids.Select(async id => (await Number(id))!.Value)));

        // Run again: nothing is waiting, no number moves.
        await using (var again = AppProcess.Start(Environment(), "--assign-numbers"))
        {
            Assert.Equal(0, await again.WaitForExit(TimeSpan.FromSeconds(120)));
            Assert.Contains("numbered 0 case(s)", again.Output);
        }
        Assert.Equal(3L, await Number(ids[2]));

        async Task<long?> Number(string id) => (await app.Get(space, $"/cases/{id}"))["incremental_id"]?.GetValue<long>();
    }

    [Fact]
    public async Task A_bad_setting_makes_the_command_fail_with_its_name_and_number_nothing()
    {
        var space = CasesAppFixture.NewSpace();
        var id = (await app.CreateCase(space)).Id();
        await using (var command = AppProcess.Start(Environment(("Cases__Numbering__MaxPerRun", "0")), "--assign-numbers"))
        {
            Assert.NotEqual(0, await command.WaitForExit(TimeSpan.FromSeconds(120)));
            Assert.Contains("Cases:Numbering:MaxPerRun must be positive.", command.Output);
        }
        Assert.Null((await app.Get(space, $"/cases/{id}"))["incremental_id"]);
    }
}
