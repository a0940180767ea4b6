using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Cases.Functions.Files;
using Cases.Tests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;

namespace Cases.Tests.Files;

/// <summary>The app answering downloads as it does under the Functions host: with a redirect to a link of the blob.</summary>
public sealed class RedirectingFixture : CasesAppFixture
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("Cases:Files:RedirectDownloads", "true")];
}

public class DownloadLinkTests(RedirectingFixture app) : IClassFixture<RedirectingFixture>
{
    [Fact]
    public async Task A_download_redirects_to_a_short_lived_read_only_link_that_serves_the_file_by_name_and_range()
    {
        var space = CasesAppFixture.NewSpace();
        var caseId = (await app.CreateCase(space))["id"]!.GetValue<string>();
        var bytes = Encoding.UTF8.GetBytes("2026-03-01T09:30:00Z sshd[42]: Failed password for root from 203.0.113.9\n");
        var file = await app.UploadRaw(space, caseId, "auth é.log", "text/plain", bytes).Uploaded();
        var fileId = file["id"]!.GetValue<string>();
        var route = CasesAppFixture.Api(space, $"/cases/{caseId}/files/{fileId}/download");

        using var noRedirects = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };
        using var answer = await noRedirects.GetAsync(route);
        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        Assert.True(answer.Headers.CacheControl?.NoStore);
        var link = answer.Headers.Location!;
        Assert.EndsWith("/" + FileBlobs.Name(space, caseId, fileId), Uri.UnescapeDataString(link.AbsolutePath));
        var sas = QueryHelpers.ParseQuery(link.Query);
        Assert.Equal("r", sas["sp"].ToString()); // read only
        Assert.Equal("b", sas["sr"].ToString()); // this blob only
        Assert.InRange(DateTimeOffset.Parse(sas["se"]!) - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(8), TimeSpan.FromMinutes(11));

        // Blob Storage serves it with the file's type, name and MD5, and honours ranges.
        using var storage = new HttpClient();
        using var whole = await storage.GetAsync(link);
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal(bytes, await whole.Content.ReadAsByteArrayAsync());
        Assert.Equal("text/plain", whole.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", whole.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("auth é.log", whole.Content.Headers.ContentDisposition.FileNameStar);
        Assert.Equal(Convert.ToBase64String(Convert.FromHexString(file["hash"]!["md5"]!.GetValue<string>())),
            whole.Content.Headers.GetValues("Content-MD5").Single());
        using var rangeRequest = new HttpRequestMessage(HttpMethod.Get, link);
        rangeRequest.Headers.Range = new RangeHeaderValue(5, 12);
        using var range = await storage.SendAsync(rangeRequest);
        Assert.Equal(HttpStatusCode.PartialContent, range.StatusCode);
        Assert.Equal(bytes[5..13], await range.Content.ReadAsByteArrayAsync());

        // A client that follows redirects (a browser, HttpClient by default) simply gets the file.
        Assert.Equal(bytes, await (await app.Http.GetAsync(route)).Content.ReadAsByteArrayAsync());

        // Another space gets no link: the file is looked up in the caller's space before anything is signed.
        using var elsewhere = await noRedirects.GetAsync(CasesAppFixture.Api(CasesAppFixture.NewSpace(), $"/cases/{caseId}/files/{fileId}/download"));
        Assert.Equal(HttpStatusCode.NotFound, elsewhere.StatusCode);
    }
}
