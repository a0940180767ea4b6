using System.Text.Json.Nodes;
using Cases.Domain.Attachments;
using Cases.Domain.Cases;
using Cases.Domain.Users;
using static Cases.Tests.Domain.Refusals;

namespace Cases.Tests.Domain;

public sealed class AttachmentRulesTests
{
    static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    static readonly CaseUser Alice = new(null, null, "alice");
    static readonly CaseUser Bob = new(null, null, "bob");

    static Func<string> Ids()
    {
        var n = 0;
        return () => $"ua{++n}";
    }

    static NewAttachment Alerts(int count, bool withEcs = false, int from = 0)
    {
        var ids = Enumerable.Range(from, count).Select(i => (JsonNode?)$"a{i}").ToArray();
        var fields = new JsonObject
        {
            ["alertId"] = new JsonArray(ids),
            ["index"] = new JsonArray(Enumerable.Range(from, count).Select(i => (JsonNode?)$"i{i}").ToArray()),
            ["rule"] = new JsonObject { ["id"] = "r", ["name"] = "R" },
        };
        if (withEcs) fields["ecs"] = new JsonArray(Enumerable.Range(from, count).Select(i => i % 2 == 0 ? null : (JsonNode?)new JsonObject { ["n"] = i }).ToArray());
        return new NewAttachment(AttachmentTypes.Alert, "cases", fields);
    }

    static NewAttachment Comment(string text) => new(AttachmentTypes.User, "cases", new JsonObject { ["comment"] = text });

    [Fact]
    public void Non_alerts_are_not_split()
    {
        var comment = Comment("hi");
        Assert.Same(comment, Assert.Single(AttachmentRules.Split(comment, new HashSet<string>(), 1000)));
    }

    [Fact]
    public void Alerts_already_attached_or_repeated_are_dropped_and_the_rest_split_into_transactions()
    {
        var input = Alerts(200, withEcs: true);
        input.Fields["alertId"]!.AsArray().Add("a5");
        input.Fields["index"]!.AsArray().Add("other");
        input.Fields["ecs"]!.AsArray().Add(new JsonObject { ["dup"] = true });
        var parts = AttachmentRules.Split(input, new HashSet<string> { "a0", "a1" }, 2);

        Assert.Equal([90, 90, 18], parts.Select(p => p.Fields["alertId"]!.AsArray().Count));
        Assert.Equal(Enumerable.Range(2, 198).Select(i => $"a{i}"), parts.SelectMany(p => p.Fields["alertId"]!.AsArray().Select(n => n!.GetValue<string>())));
        Assert.Equal(Enumerable.Range(2, 198).Select(i => $"i{i}"), parts.SelectMany(p => p.Fields["index"]!.AsArray().Select(n => n!.GetValue<string>())));
        Assert.Equal("""[null,{"n":3}]""", new JsonArray(parts[0].Fields["ecs"]!.AsArray().Take(2).Select(n => n?.DeepClone()).ToArray()).ToJsonString());
        Assert.All(parts, p =>
        {
            Assert.Equal("""{"id":"r","name":"R"}""", p.Fields["rule"]!.ToJsonString());
            Assert.Equal(("alert", "cases"), (p.Type, p.Owner));
        });
    }

    [Fact]
    public void Chunks_without_any_ecs_carry_none()
    {
        var input = Alerts(2);
        input.Fields["ecs"] = new JsonArray(null, new JsonObject { ["x"] = 1 });
        var only = Assert.Single(AttachmentRules.Split(input, new HashSet<string> { "a1" }, 0));
        Assert.False(only.Fields.ContainsKey("ecs"));
        Assert.Equal("""["a0"]""", only.Fields["alertId"]!.ToJsonString());
        Assert.Equal("""[null,{"x":1}]""", Assert.Single(AttachmentRules.Split(input, new HashSet<string>(), 0)).Fields["ecs"]!.ToJsonString());
    }

    [Fact]
    public void Nothing_new_is_nothing_to_attach()
    {
        Assert.Empty(AttachmentRules.Split(Alerts(2), new HashSet<string> { "a0", "a1" }, 1000));
    }

    [Fact]
    public void At_most_1000_alerts_on_a_case()
    {
        Assert.Single(AttachmentRules.Split(Alerts(10), new HashSet<string>(), 990));
        Refused("Case has reached the maximum allowed number (1000) of attached alerts.", () => AttachmentRules.Split(Alerts(11), new HashSet<string>(), 990));
        Assert.Single(AttachmentRules.Split(Alerts(11), new HashSet<string> { "a0" }, 990));
    }

    [Fact]
    public void References_count_except_files()
    {
        Assert.True(AttachmentRules.CountsAsReference(AttachmentTypes.PersistableState, []));
        Assert.True(AttachmentRules.CountsAsReference(AttachmentTypes.ExternalReference, new JsonObject { ["externalReferenceAttachmentTypeId"] = ".test" }));
        Assert.False(AttachmentRules.CountsAsReference(AttachmentTypes.ExternalReference, new JsonObject { ["externalReferenceAttachmentTypeId"] = ".files" }));
        Assert.False(AttachmentRules.CountsAsReference(AttachmentTypes.User, []));
        Assert.False(AttachmentRules.CountsAsReference(AttachmentTypes.Alert, []));
    }

    [Fact]
    public void Add_records_the_attachment_as_sent()
    {
        var single = new NewAttachment(AttachmentTypes.Event, "observability", new JsonObject { ["eventId"] = new JsonArray("e1"), ["index"] = new JsonArray("i1") }, SingleValues: true);
        var (attachment, action) = AttachmentRules.Add(single, "c1", "att1", Alice, Now, Ids());
        Assert.Equal(("att1", "c1", 1, "event", "observability", true, Now, Alice), (attachment.Id, attachment.CaseId, attachment.Version, attachment.Type, attachment.Owner, attachment.SingleValues, attachment.CreatedAt, attachment.CreatedBy));
        Assert.Null(attachment.UpdatedAt);
        Assert.Equal(["e1"], attachment.EventIds);
        Assert.Empty(attachment.AlertIds);
        Assert.Equal(("ua1", "c1", "create", "comment", "observability", "att1", Now, Alice), (action.Id, action.CaseId, action.Action, action.Type, action.Owner, action.CommentId, action.CreatedAt, action.CreatedBy));
        Assert.Equal("""{"comment":{"eventId":"e1","index":"i1","type":"event","owner":"observability"}}""", action.Payload.ToJsonString());
    }

    [Fact]
    public void Update_checks_version_type_and_owner_and_moves_the_version()
    {
        var (current, _) = AttachmentRules.Add(Comment("one"), "c1", "att1", Alice, Now, Ids());
        var v1 = CaseVersion.Encode(1);
        Refused(409, AttachmentRules.StaleMessage, () => AttachmentRules.Update(current, Comment("two"), CaseVersion.Encode(2), Bob, Now, Ids()));
        Refused("You cannot change the type of the comment.", () => AttachmentRules.Update(current, Alerts(1), v1, Bob, Now, Ids()));
        Refused("You cannot change the owner of the comment.", () => AttachmentRules.Update(current, Comment("two") with { Owner = "observability" }, v1, Bob, Now, Ids()));
        Assert.Null(AttachmentRules.Update(current, Comment("one"), v1, Bob, Now, Ids()));

        var later = Now.AddMinutes(5);
        var (next, action) = AttachmentRules.Update(current, Comment("two"), v1, Bob, later, Ids())!.Value;
        Assert.Equal((2, "two", later, Bob, Now, Alice), (next.Version, next.Fields["comment"]!.GetValue<string>(), next.UpdatedAt, next.UpdatedBy, next.CreatedAt, next.CreatedBy));
        Assert.Equal(("update", "att1", later, Bob), (action.Action, action.CommentId, action.CreatedAt, action.CreatedBy));
        Assert.Equal("""{"comment":{"comment":"two","type":"user","owner":"cases"}}""", action.Payload.ToJsonString());
    }

    [Fact]
    public void Changing_only_the_shape_of_single_values_is_a_change()
    {
        var fields = new JsonObject { ["eventId"] = new JsonArray("e1"), ["index"] = new JsonArray("i1") };
        var (current, _) = AttachmentRules.Add(new NewAttachment(AttachmentTypes.Event, "cases", fields), "c1", "att1", Alice, Now, Ids());
        var (next, action) = AttachmentRules.Update(current, new NewAttachment(AttachmentTypes.Event, "cases", fields.DeepClone().AsObject(), true), CaseVersion.Encode(1), Bob, Now, Ids())!.Value;
        Assert.True(next.SingleValues);
        Assert.Equal("""{"comment":{"eventId":"e1","index":"i1","type":"event","owner":"cases"}}""", action.Payload.ToJsonString());
    }

    [Fact]
    public void Delete_records_the_attachment_as_it_was_without_ids_and_ecs()
    {
        var (current, _) = AttachmentRules.Add(Alerts(1, withEcs: true, from: 1), "c1", "att1", Alice, Now, Ids());
        var attributes = new JsonObject { ["id"] = "att1", ["version"] = "WzEsMV0=", ["alertId"] = "a1", ["ecs"] = new JsonArray(), ["created_by"] = "alice" };
        var action = AttachmentRules.Delete(current, attributes, Bob, Now, Ids());
        Assert.Equal(("ua1", "c1", "delete", "comment", "cases", "att1", Bob), (action.Id, action.CaseId, action.Action, action.Type, action.Owner, action.CommentId, action.CreatedBy));
        Assert.Equal("""{"comment":{"alertId":"a1","created_by":"alice"}}""", action.Payload.ToJsonString());
        Assert.True(attributes.ContainsKey("id"));
    }

    [Fact]
    public void Payload_leaves_out_ecs_and_shows_single_values_as_strings()
    {
        var a = TestAttachments.Alert(new JsonObject { ["host"] = "h" }) with { SingleValues = true };
        Assert.Equal("""{"comment":{"alertId":"a0","index":"idx","type":"alert","owner":"cases"}}""", AttachmentRules.Payload(a).ToJsonString());
        Assert.Equal("""{"alertId":"a0","index":"idx","ecs":[{"host":"h"}]}""", a.WireFields().ToJsonString());
        var two = TestAttachments.Alert(null, null) with { SingleValues = true };
        Assert.Equal("""{"alertId":["a0","a1"],"index":["idx","idx"],"ecs":[null,null]}""", two.WireFields().ToJsonString());
        Assert.Equal(["a0", "a1"], two.AlertIds);
        Assert.Equal(["idx", "idx"], two.Indices);
        Assert.Equal([null, null], two.AlertEcs);
    }

    [Fact]
    public void Alert_ecs_defaults_to_none_per_alert()
    {
        var a = TestAttachments.Alert(null, null);
        a.Fields.Remove("ecs");
        Assert.Equal([null, null], a.AlertEcs);
        var comment = AttachmentRules.Add(Comment("x"), "c", "id", Alice, Now, Ids()).Attachment;
        Assert.Empty(comment.AlertIds);
        Assert.Empty(comment.EventIds);
        Assert.Empty(comment.Indices);
        Assert.Empty(comment.AlertEcs);
    }
}
