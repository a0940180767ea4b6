using System.Globalization;
using System.Text;
using Cases.Domain.Cases;
using Cases.Domain.Errors;
using Cases.Domain.Find;
using Cases.Domain.Users;
using Cases.Functions.Cases;
using Cases.Functions.Find;
using Cases.Functions.Hosting;
using Cases.Functions.Spaces;
using CsvHelper;
using CsvHelper.Configuration;

namespace Cases.Functions.Transfer;

/// <summary>
/// <c>_find</c> as CSV for spreadsheets (<c>Accept: text/csv</c> or <c>format=csv</c>): every case matching the filters,
/// in the requested order, not one page. Rows are read fresh a hundred at a time and streamed; RFC 4180 quoting by CsvHelper.
/// </summary>
public static class CasesCsv
{
    const int ReadBatch = 100;

    static readonly string[] Columns =
    [
        "number", "id", "title", "status", "severity", "tags", "assignees", "owner", "category",
        "created_at", "created_by", "updated_at", "updated_by", "closed_at", "closed_by", "total_comments", "total_alerts",
    ];

    /// <summary>An endpoint filter for <c>_find</c>: answers CSV when asked to, otherwise lets the JSON handler run.</summary>
    public static async ValueTask<object?> Filter(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!IsRequested(http.Request)) return await next(context);
        var services = http.RequestServices;
        await Write(http, services.GetRequiredService<CaseIndex>(), services.GetRequiredService<CaseStore>(), services.GetRequiredService<TimeProvider>(), http.RequestAborted);
        return Results.Empty;
    }

    static bool IsRequested(HttpRequest request) => QueryValues.Single(request.Query, "format") switch
    {
        "csv" => true,
        null or "json" => request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase)),
        var other => throw CasesException.InvalidValue("format", other),
    };

    static async Task Write(HttpContext http, CaseIndex index, CaseStore store, TimeProvider time, CancellationToken ct)
    {
        var space = Space.Of(http);
        var tokenKey = http.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<SearchAfterKey>>().Value;
        var parsed = FindQueryParser.Parse(http.Request.Query, time.Now(), tokenKey);
        // Only cases of owners the caller may read, as _find; every match, not a page.
        var query = parsed with { Owners = Access.CasesAccess.Of(http).ReadableOf(parsed.Owners), Page = 1, PerPage = int.MaxValue - 1, SearchAfter = null };
        var matching = (await index.View(space, ct)).Find(query).Ids;
        // One column per custom field the owners' settings in this space configure.
        var settings = http.RequestServices.GetRequiredService<Settings.ConfigurationStore>();
        var customKeys = (await settings.List(space, ct)).Where(c => query.Owners.Contains(c.Configuration.Owner))
            .SelectMany(c => c.Configuration.CustomFields.Select(f => f.Key)).Distinct().Order(StringComparer.Ordinal).ToList();

        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = "attachment; filename=\"cases.csv\"";
        await using var text = new StreamWriter(http.Response.Body, new UTF8Encoding(false), 64 * 1024);
        await using var csv = new CsvWriter(text, new CsvConfiguration(CultureInfo.InvariantCulture));
        foreach (var column in Columns) csv.WriteField(column);
        foreach (var key in customKeys) csv.WriteField("custom_field:" + key);
        await csv.NextRecordAsync();

        foreach (var chunk in matching.Chunk(ReadBatch))
        {
            // The view picks the cases; counters and numbers are read fresh, as _find does.
            var fresh = await Task.WhenAll(chunk.Select(id => store.Get(space, id, ct)));
            foreach (var stored in fresh.OfType<StoredCase>())
            {
                WriteRow(csv, stored.Record, customKeys);
                await csv.NextRecordAsync();
            }
            await csv.FlushAsync();
            await text.FlushAsync(ct);
        }
    }

    static void WriteRow(CsvWriter csv, CaseRecord record, List<string> customKeys)
    {
        var c = record.Case;
        csv.WriteField(record.IncrementalId?.ToString(CultureInfo.InvariantCulture) ?? "");
        csv.WriteField(c.Id);
        csv.WriteField(c.Title);
        csv.WriteField(c.Status);
        csv.WriteField(c.Severity);
        csv.WriteField(string.Join("; ", c.Tags));
        csv.WriteField(string.Join("; ", c.Assignees.Select(a => a.Uid)));
        csv.WriteField(c.Owner);
        csv.WriteField(c.Category ?? "");
        csv.WriteField(Date(c.CreatedAt));
        csv.WriteField(User(c.CreatedBy));
        csv.WriteField(Date(c.UpdatedAt));
        csv.WriteField(User(c.UpdatedBy));
        csv.WriteField(Date(c.ClosedAt));
        csv.WriteField(User(c.ClosedBy));
        csv.WriteField(record.TotalComment.ToString(CultureInfo.InvariantCulture));
        csv.WriteField(record.TotalAlerts.ToString(CultureInfo.InvariantCulture));
        foreach (var key in customKeys)
            csv.WriteField(c.CustomFields.FirstOrDefault(f => f.Key == key)?.Value switch
            {
                null => "",
                System.Text.Json.Nodes.JsonValue v when v.TryGetValue<string>(out var s) => s,
                var node => node.ToJsonString(),
            });
    }

    static string Date(DateTimeOffset? value) => value is { } v ? KibanaDateConverter.Text(v) : "";

    static string User(CaseUser? user) => user is null ? "" : user.Username ?? user.Email ?? user.FullName ?? "";
}
