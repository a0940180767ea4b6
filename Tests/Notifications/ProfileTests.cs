using System.Text.Json.Nodes;
using Cases.Tests.Infrastructure;
using static Cases.Tests.Notifications.NotificationsFixture;

namespace Cases.Tests.Notifications;

public sealed class ProfileTests(NotificationsFixture app) : IClassFixture<NotificationsFixture>
{
    [Fact]
    public async Task Callers_become_profiles_that_suggest_and_bulk_get_return_in_Kibanas_shape()
    {
        var grace = User.New("Grace");
        await app.Introduce(grace);

        var suggested = (await app.AsJson(grace, HttpMethod.Post, "/internal/cases/_suggest_user_profiles",
            new { name = grace.FullName[..8], size = 10, owners = new[] { "securitySolution" } })).AsArray();
        var found = suggested.Single(p => p!["uid"]!.GetValue<string>() == grace.Uid)!;
        var expected = new JsonObject
        {
            ["uid"] = grace.Uid,
            ["enabled"] = true,
            ["data"] = new JsonObject(),
            ["user"] = new JsonObject { ["username"] = grace.Username, ["email"] = grace.Email, ["full_name"] = grace.FullName },
        };
        Assert.True(JsonNode.DeepEquals(expected, found), found.ToJsonString());

        // In another space too (profiles are the deployment's); unknown uids are left out.
        var got = (await app.AsJson(grace, HttpMethod.Post, "/s/team-b/internal/security/user_profile/_bulk_get",
            new { uids = new[] { grace.Uid, "no-such-uid" }, dataPath = "avatar" })).AsArray();
        Assert.Equal([grace.Uid], got.Select(p => p!["uid"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_profile_follows_a_change_of_email()
    {
        var ada = User.New("Ada");
        await app.Introduce(ada);
        var moved = ada with { Email = "ada.new-" + Guid.NewGuid().ToString("N")[..6] + "@example.test" };
        await app.Introduce(moved);
        var got = (await app.AsJson(moved, HttpMethod.Post, "/internal/security/user_profile/_bulk_get", new { uids = new[] { ada.Uid } })).AsArray();
        Assert.Equal(moved.Email, got.Single()!["user"]!["email"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"name":"a","size":11}""", "size")]
    [InlineData("""{"name":"a","owners":["nope"]}""", "owner")]
    [InlineData("""{"name":"a","color":"red"}""", "invalid keys")]
    public async Task Suggest_refuses_what_Kibana_refuses(string body, string named)
    {
        using var response = await app.Http.PostAsync("/internal/cases/_suggest_user_profiles",
            new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        await response.Error(System.Net.HttpStatusCode.BadRequest, named);
    }
}
