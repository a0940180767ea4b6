using System.Text.Json.Nodes;
using Cases.Domain.Attachments;
using static Cases.Tests.Domain.Refusals;

namespace Cases.Tests.Domain;

public sealed class AttachmentValidationTests
{
    static NewAttachment Valid(string json, params string[] extraKeys) => AttachmentValidation.Validate(JsonNode.Parse(json)!.AsObject(), extraKeys);

    static void Bad(string message, string json) => Refused(message, () => Valid(json));

    /// <summary>JSON with @@0@@, @@1@@... replaced by the values (interpolating raw strings full of braces is unreadable).</summary>
    static string J(string json, params object[] values)
    {
        for (var i = 0; i < values.Length; i++) json = json.Replace($"@@{i}@@", values[i].ToString());
        return json;
    }

    [Fact]
    public void A_user_comment()
    {
        var a = Valid("""{"type":"user","owner":"cases","comment":"hi","quotedCommentId":"q1"}""");
        Assert.Equal(("user", "cases", false), (a.Type, a.Owner, a.SingleValues));
        Assert.Equal("""{"comment":"hi","quotedCommentId":"q1"}""", a.Fields.ToJsonString());
        Assert.Equal("""{"comment":"hi"}""", Valid("""{"type":"user","owner":"cases","comment":"hi","quotedCommentId":null}""").Fields.ToJsonString());
        Assert.Equal(30_000, Valid(J("""{"type":"user","owner":"cases","comment":"@@0@@"}""", new string('c', 30_000))).Fields["comment"]!.GetValue<string>().Length);

        Bad("Invalid value \"undefined\" supplied to \"comment\"", """{"type":"user","owner":"cases"}""");
        Bad("Invalid value \"5\" supplied to \"comment\"", """{"type":"user","owner":"cases","comment":5}""");
        Bad("The comment field cannot be an empty string.", """{"type":"user","owner":"cases","comment":" "}""");
        Bad("The length of the comment is too long. The maximum length is 30000.", J("""{"type":"user","owner":"cases","comment":"@@0@@"}""", new string('c', 30_001)));
        Bad("Invalid value \"\" supplied to \"quotedCommentId\"", """{"type":"user","owner":"cases","comment":"c","quotedCommentId":""}""");
        Bad("Invalid value \"1\" supplied to \"quotedCommentId\"", """{"type":"user","owner":"cases","comment":"c","quotedCommentId":1}""");
    }

    [Fact]
    public void Type_owner_and_keys_are_checked_first()
    {
        Bad("Invalid value \"undefined\" supplied to \"type\"", """{"owner":"cases","comment":"c"}""");
        Bad("Invalid value \"note\" supplied to \"type\"", """{"type":"note","owner":"cases","comment":"c"}""");
        Bad("Invalid value \"undefined\" supplied to \"type\"", """{"type":1,"owner":"cases","comment":"c"}""");
        Bad("invalid keys \"alertId,extra\"", """{"type":"user","owner":"cases","comment":"c","alertId":"a","extra":1}""");
        Bad("Invalid value \"Cases\" supplied to \"owner\"", """{"type":"user","owner":"Cases","comment":"c"}""");
        Bad("Invalid value \"undefined\" supplied to \"owner\"", """{"type":"user","comment":"c"}""");
        Bad("invalid keys \"id\"", """{"type":"user","owner":"cases","comment":"c","id":"x"}""");
        Assert.Equal("c", Valid("""{"type":"user","owner":"cases","comment":"c","id":"x","version":"v"}""", "id", "version").Fields["comment"]!.GetValue<string>());
    }

    [Fact]
    public void Alerts_as_arrays_or_single_strings()
    {
        var many = Valid("""{"type":"alert","owner":"securitySolution","alertId":["a1","a2"],"index":["i1","i2"],"rule":{"id":"r","name":null}}""");
        Assert.False(many.SingleValues);
        Assert.Equal("""{"alertId":["a1","a2"],"index":["i1","i2"],"rule":{"id":"r","name":null}}""", many.Fields.ToJsonString());

        var one = Valid("""{"type":"alert","owner":"cases","alertId":"a1","index":"i1","rule":{},"ecs":{"host":{"name":"h"}}}""");
        Assert.True(one.SingleValues);
        Assert.Equal("""{"alertId":["a1"],"index":["i1"],"rule":{"id":null,"name":null},"ecs":[{"host":{"name":"h"}}]}""", one.Fields.ToJsonString());

        var positions = Valid("""{"type":"alert","owner":"cases","alertId":["a1","a2"],"index":["i1","i2"],"rule":{},"ecs":[null,{"x":1}]}""");
        Assert.Equal("""[null,{"x":1}]""", positions.Fields["ecs"]!.ToJsonString());
        var noEcs = Valid("""{"type":"alert","owner":"cases","alertId":["a1"],"index":["i1"],"rule":{},"ecs":[null]}""");
        Assert.False(noEcs.Fields.ContainsKey("ecs"));
    }

    [Fact]
    public void Alert_refusals()
    {
        const string head = "\"type\":\"alert\",\"owner\":\"cases\"";
        Bad("Invalid value \"undefined\" supplied to \"alertId\"", J("""{@@0@@,"index":"i","rule":{}}""", head));
        Bad("Invalid value \"[1]\" supplied to \"alertId\"", J("""{@@0@@,"alertId":[1],"index":["i"],"rule":{}}""", head));
        Bad("The length of the field alertId is too short. Array must be of length >= 1.", J("""{@@0@@,"alertId":[],"index":[],"rule":{}}""", head));
        Bad("Invalid value \" \" supplied to \"alertId\"", J("""{@@0@@,"alertId":" ","index":"i","rule":{}}""", head));
        Bad("supplied to \"alertId\"", J("""{@@0@@,"alertId":"@@1@@","index":"i","rule":{}}""", head, new string('a', 513)));
        Assert.Single(Valid(J("""{@@0@@,"alertId":"@@1@@","index":"i","rule":{}}""", head, new string('a', 512))).Fields["alertId"]!.AsArray());
        var thousand = string.Join(',', Enumerable.Range(0, 1000).Select(i => $"\"a{i}\""));
        Assert.Equal(1000, Valid(J("""{@@0@@,"alertId":[@@1@@],"index":[@@2@@],"rule":{}}""", head, thousand, thousand)).Fields["alertId"]!.AsArray().Count);
        Bad("The length of the field alertId is too long. Array must be of length <= 1000.", J("""{@@0@@,"alertId":[@@1@@,"x"],"index":[@@2@@,"x"],"rule":{}}""", head, thousand, thousand));
        Bad("Invalid value \"undefined\" supplied to \"index\"", J("""{@@0@@,"alertId":"a","rule":{}}""", head));
        Bad("The alertId and index fields must both be strings or both be arrays of the same length.", J("""{@@0@@,"alertId":["a"],"index":"i","rule":{}}""", head));
        Bad("The alertId and index fields must both be strings or both be arrays of the same length.", J("""{@@0@@,"alertId":"a","index":["i"],"rule":{}}""", head));
        Bad("Received an alert comment with ids and indices arrays of different lengths ids: [\"a\",\"b\"] indices: [\"i\"]", J("""{@@0@@,"alertId":["a","b"],"index":["i"],"rule":{}}""", head));
        Bad($"Invalid value \"{new string('i', 513)}\" supplied to \"index\"", J("""{@@0@@,"alertId":"a","index":"@@1@@","rule":{}}""", head, new string('i', 513)));
        Bad("Invalid value \"undefined\" supplied to \"rule\"", J("""{@@0@@,"alertId":"a","index":"i"}""", head));
        Bad("Invalid value \"{\"id\":1}\" supplied to \"rule\"", J("""{@@0@@,"alertId":"a","index":"i","rule":{"id":1}}""", head));
        Bad("Invalid value \"{\"name\":true}\" supplied to \"rule\"", J("""{@@0@@,"alertId":"a","index":"i","rule":{"name":true}}""", head));
        Bad("Invalid value \"r\" supplied to \"rule\"", J("""{@@0@@,"alertId":"a","index":"i","rule":"r"}""", head));
    }

    [Fact]
    public void Ecs_one_object_per_alert_bounded_in_size_and_values()
    {
        const string head = "\"type\":\"alert\",\"owner\":\"cases\",\"rule\":{}";
        const string shape = "The ecs field must be an object per alert, in the same positions as alertId.";
        Bad(shape, J("""{@@0@@,"alertId":["a","b"],"index":["i","j"],"ecs":{"x":1}}""", head));
        Bad(shape, J("""{@@0@@,"alertId":["a","b"],"index":["i","j"],"ecs":[{"x":1}]}""", head));
        Bad(shape, J("""{@@0@@,"alertId":["a"],"index":["i"],"ecs":[1]}""", head));
        Bad(shape, J("""{@@0@@,"alertId":["a"],"index":["i"],"ecs":"x"}""", head));
        var big = new string('v', 4_096 - """{"k":""}""".Length);
        Assert.NotNull(Valid(J("""{@@0@@,"alertId":"a","index":"i","ecs":{"k":"@@1@@"}}""", head, big)).Fields["ecs"]);
        Bad("The ecs of an alert is too large. The maximum size is 4096 characters of JSON.", J("""{@@0@@,"alertId":"a","index":"i","ecs":{"k":"@@1@@v"}}""", head, big));
        var fifty = string.Join(',', Enumerable.Range(0, 50));
        Assert.NotNull(Valid(J("""{@@0@@,"alertId":"a","index":"i","ecs":{"host":{"ip":[@@1@@]}}}""", head, fifty)).Fields["ecs"]);
        Bad("The ecs field host.ip has too many values. The maximum is 50.", J("""{@@0@@,"alertId":"a","index":"i","ecs":{"host":{"ip":[@@1@@,50]}}}""", head, fifty));
        Bad("The ecs field x[0] has too many values. The maximum is 50.", J("""{@@0@@,"alertId":["a","b"],"index":["i","j"],"ecs":[null,{"x":[[@@1@@,50]]}]}""", head, fifty));
    }

    [Fact]
    public void Events()
    {
        var e = Valid("""{"type":"event","owner":"cases","eventId":"e1","index":"i1"}""");
        Assert.True(e.SingleValues);
        Assert.Equal("""{"eventId":["e1"],"index":["i1"]}""", e.Fields.ToJsonString());
        Assert.False(Valid("""{"type":"event","owner":"cases","eventId":["e1"],"index":["i1"]}""").SingleValues);
        Bad("The eventId and index fields must both be strings", """{"type":"event","owner":"cases","eventId":["e1"],"index":"i1"}""");
        Bad("Invalid value \"undefined\" supplied to \"eventId\"", """{"type":"event","owner":"cases","index":"i1"}""");
    }

    [Fact]
    public void Persistable_state()
    {
        var p = Valid("""{"type":"persistableState","owner":"cases","persistableStateAttachmentTypeId":".lens","persistableStateAttachmentState":{"a":1}}""");
        Assert.Equal("""{"persistableStateAttachmentTypeId":".lens","persistableStateAttachmentState":{"a":1}}""", p.Fields.ToJsonString());
        Assert.False(p.SingleValues);
        Bad("Invalid value \" \" supplied to \"persistableStateAttachmentTypeId\"", """{"type":"persistableState","owner":"cases","persistableStateAttachmentTypeId":" ","persistableStateAttachmentState":{}}""");
        Bad("Invalid value \"undefined\" supplied to \"persistableStateAttachmentTypeId\"", """{"type":"persistableState","owner":"cases","persistableStateAttachmentState":{}}""");
        Bad("Invalid value \"[]\" supplied to \"persistableStateAttachmentState\"", """{"type":"persistableState","owner":"cases","persistableStateAttachmentTypeId":"x","persistableStateAttachmentState":[]}""");
        var big = new string('v', 200_000 - """{"k":""}""".Length);
        Assert.NotNull(Valid(J("""{"type":"persistableState","owner":"cases","persistableStateAttachmentTypeId":"x","persistableStateAttachmentState":{"k":"@@0@@"}}""", big)));
        Bad("The attachment is too large. The maximum size is 200000 characters of JSON.",
            J("""{"type":"persistableState","owner":"cases","persistableStateAttachmentTypeId":"x","persistableStateAttachmentState":{"k":"@@0@@v"}}""", big));
    }

    [Fact]
    public void External_references()
    {
        const string head = "\"type\":\"externalReference\",\"owner\":\"cases\"";
        var r = Valid(J("""{@@0@@,"externalReferenceId":"r1","externalReferenceStorage":{"type":"elasticSearchDoc"},"externalReferenceAttachmentTypeId":".test","externalReferenceMetadata":{"m":1}}""", head));
        Assert.Equal("""{"externalReferenceId":"r1","externalReferenceStorage":{"type":"elasticSearchDoc"},"externalReferenceAttachmentTypeId":".test","externalReferenceMetadata":{"m":1}}""", r.Fields.ToJsonString());
        var noMetadata = Valid(J("""{@@0@@,"externalReferenceId":"r1","externalReferenceStorage":{"type":"t"},"externalReferenceAttachmentTypeId":".test"}""", head));
        Assert.Equal("""{"externalReferenceId":"r1","externalReferenceStorage":{"type":"t"},"externalReferenceAttachmentTypeId":".test","externalReferenceMetadata":null}""", noMetadata.Fields.ToJsonString());
        Bad("Invalid value \"undefined\" supplied to \"externalReferenceId\"", J("""{@@0@@,"externalReferenceStorage":{"type":"t"},"externalReferenceAttachmentTypeId":".test"}""", head));
        Bad("Invalid value \"\" supplied to \"externalReferenceAttachmentTypeId\"", J("""{@@0@@,"externalReferenceId":"r","externalReferenceStorage":{"type":"t"},"externalReferenceAttachmentTypeId":""}""", head));
        Bad("Invalid value \"{}\" supplied to \"externalReferenceStorage\"", J("""{@@0@@,"externalReferenceId":"r","externalReferenceStorage":{},"externalReferenceAttachmentTypeId":".t"}""", head));
        Bad("Invalid value \"s\" supplied to \"externalReferenceStorage\"", J("""{@@0@@,"externalReferenceId":"r","externalReferenceStorage":"s","externalReferenceAttachmentTypeId":".t"}""", head));
        Bad("Invalid value \"[1]\" supplied to \"externalReferenceMetadata\"", J("""{@@0@@,"externalReferenceId":"r","externalReferenceStorage":{"type":"t"},"externalReferenceAttachmentTypeId":".t","externalReferenceMetadata":[1]}""", head));
        Bad("The attachment is too large.", J("""{@@0@@,"externalReferenceId":"r","externalReferenceStorage":{"type":"t"},"externalReferenceAttachmentTypeId":".t","externalReferenceMetadata":{"k":"@@1@@"}}""", head, new string('v', 200_000)));
    }
}
