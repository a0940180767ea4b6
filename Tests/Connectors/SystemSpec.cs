using System.Text;
using System.Text.Json.Nodes;

namespace Cases.Tests.Connectors;

/// <summary>For each system: a connector to the test server, the case fields, and where its create, update and comments go.</summary>
public sealed record SystemSpec(object Connector, string Type, JsonObject? Fields, string Create, string UpdateMethod, string Update,
    Func<Received, bool> IsComment, Func<string, string> Title, Action<Received> CheckAuth)
{
    static Action<Received> Basic(string user, string password) => r =>
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password)), r.Authorization);

    public static SystemSpec For(string system, string url) => system switch
    {
        "servicenow-import-set" => new(
            new { connector_type_id = ".servicenow", name = "SN", config = new { apiUrl = url, usesTableApi = false }, secrets = new { username = "sn-user", password = "sn-pass" } },
            ".servicenow", new JsonObject { ["urgency"] = "1", ["severity"] = "2", ["impact"] = "3", ["category"] = "software", ["subcategory"] = null },
            "/api/x_elas2_inc_int/elastic_api/import_set_row", "GET", @"/api/now/v2/table/incident/\w+",
            r => r.Body?["u_comments"] is not null, id => "INC" + id[1..].PadLeft(7, '0'), Basic("sn-user", "sn-pass")),
        "servicenow-sir-table-api" => new(
            new { connector_type_id = ".servicenow-sir", name = "SIR", config = new { apiUrl = url, usesTableApi = true }, secrets = new { username = "sn-user", password = "sn-pass" } },
            ".servicenow-sir", new JsonObject { ["category"] = "malware", ["priority"] = "1", ["subcategory"] = null, ["destIp"] = null, ["sourceIp"] = null, ["malwareHash"] = null, ["malwareUrl"] = null },
            "/api/now/v2/table/sn_si_incident", "PATCH", @"/api/now/v2/table/sn_si_incident/\w+",
            r => r.Body?["work_notes"] is not null, id => "SIR" + id[1..].PadLeft(7, '0'), Basic("sn-user", "sn-pass")),
        "resilient" => new(
            new { connector_type_id = ".resilient", name = "IBM", config = new { apiUrl = url, orgId = "201" }, secrets = new { apiKeyId = "key-id", apiKeySecret = "key-secret" } },
            ".resilient", new JsonObject { ["incidentTypes"] = new JsonArray("21"), ["severityCode"] = "4" },
            "/rest/orgs/201/incidents", "PATCH", @"/rest/orgs/201/incidents/\w+",
            r => r.Path.EndsWith("/comments"), id => id, Basic("key-id", "key-secret")),
        "swimlane" => new(
            new
            {
                connector_type_id = ".swimlane",
                name = "SW",
                config = new
                {
                    apiUrl = url,
                    appId = "app1",
                    connectorType = "cases",
                    mappings = new
                    {
                        caseNameConfig = new { id = "fName", key = "case-name", name = "Case name", fieldType = "text" },
                        descriptionConfig = new { id = "fDesc", key = "description", name = "Description", fieldType = "text" },
                        commentsConfig = new { id = "fComments", key = "comments", name = "Comments", fieldType = "notes" },
                        caseIdConfig = new { id = "fCaseId", key = "case-id", name = "Case ID", fieldType = "text" },
                    },
                },
                secrets = new { apiToken = "sw-token" },
            },
            ".swimlane", new JsonObject { ["caseId"] = "SOC-7" },
            "/api/app/app1/record", "PATCH", @"/api/app/app1/record/\w+",
            r => r.Path.EndsWith("/comment"), id => "SWL-" + id[1..], r => Assert.Equal("sw-token", r.Headers["Private-Token"])),
        "thehive" => new(
            new { connector_type_id = ".thehive", name = "Hive", config = new { url, organisation = "soc" }, secrets = new { apiKey = "hive-key" } },
            ".thehive", new JsonObject { ["tlp"] = 2 },
            "/api/v1/case", "PATCH", @"/api/v1/case/~\w+",
            r => r.Path.EndsWith("/comment"), _ => "#1", r =>
            {
                Assert.Equal("Bearer hive-key", r.Authorization);
                Assert.Equal("soc", r.Headers["X-Organisation"]);
            }),
        _ => new(
            new
            {
                connector_type_id = ".cases-webhook",
                name = "Hook",
                config = new
                {
                    createIncidentUrl = url + "/hook/issues",
                    createIncidentMethod = "post",
                    createIncidentJson = "{\"fields\":{\"summary\":{{{case.title}}},\"description\":{{{case.description}}},\"labels\":{{{case.tags}}}}}",
                    createIncidentResponseKey = "data.id",
                    getIncidentUrl = url + "/hook/issues/{{{external.system.id}}}",
                    getIncidentResponseExternalTitleKey = "data.key",
                    viewIncidentUrl = url + "/browse/{{{external.system.title}}}",
                    updateIncidentUrl = url + "/hook/issues/{{{external.system.id}}}",
                    updateIncidentMethod = "put",
                    updateIncidentJson = "{\"fields\":{\"summary\":{{{case.title}}}}}",
                    createCommentUrl = url + "/hook/issues/{{{external.system.id}}}/comments",
                    createCommentMethod = "post",
                    createCommentJson = "{\"body\":{{{case.comment}}}}",
                    headers = new Dictionary<string, string> { ["X-Tenant"] = "soc" },
                    hasAuth = true,
                },
                secrets = new { user = "hook-user", password = "hook-pass" },
            },
            ".cases-webhook", null,
            "/hook/issues", "PUT", @"/hook/issues/W\w+",
            r => r.Path.EndsWith("/comments"), id => "HOOK-" + id[1..], r =>
            {
                Basic("hook-user", "hook-pass")(r);
                Assert.Equal("soc", r.Headers["X-Tenant"]);
            }),
    };
}
