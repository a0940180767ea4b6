using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Cases.Functions.Files;
using Cases.Tests.Infrastructure;

namespace Cases.Tests.Files;

public class FileUploadTests(CasesAppFixture app) : IClassFixture<CasesAppFixture>
{
    [Theory]
    [InlineData("", "d41d8cd98f00b204e9800998ecf8427e", "da39a3ee5e6b4b0d3255bfef95601890afd80709", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("abc", "900150983cd24fb0d6963f7d28e17f72", "a9993e364706816aba3e25717850c26c9cd0d89d", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("The quick brown fox jumps over the lazy dog", "9e107d9d372bb6826bd81d3542a419d6", "2fd4e1c67a2d28fced849ee1bb76e7391b93eb12",
        "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592")]
    public async Task Hashes_match_known_vectors(string text, string md5, string sha1, string sha256)
    {
        var space = CasesAppFixture.NewSpace();
        var caseId = (await app.CreateCase(space))["id"]!.GetValue<string>();
        var file = await app.UploadRaw(space, caseId, "vector.txt", "text/plain", Encoding.ASCII.GetBytes(text)).Uploaded();
        Assert.Equal(md5, file["hash"]!["md5"]!.GetValue<string>());
        Assert.Equal(sha1, file["hash"]!["sha1"]!.GetValue<string>());
        Assert.Equal(sha256, file["hash"]!["sha256"]!.GetValue<string>());
        Assert.Equal(text.Length, file["size"]!.GetValue<long>());
    }

    public static TheoryData<int> AwkwardSizes => new()
    {
        0, 1, HashingUpload.DefaultBlockSize - 1, HashingUpload.DefaultBlockSize, HashingUpload.DefaultBlockSize + 1, 2 * HashingUpload.DefaultBlockSize + 1, 5 * 1024 * 1024 + 3,
    };

    [Theory]
    [MemberData(nameof(AwkwardSizes))]
    public async Task Hashes_and_bytes_round_trip_at_awkward_sizes(int size)
    {
        var space = CasesAppFixture.NewSpace();
        var caseId = (await app.CreateCase(space))["id"]!.GetValue<string>();
        var bytes = size < 2 ? Enumerable.Repeat((byte)'a', size).ToArray() : FilesClient.Gzip(size, size);
        var type = size < 2 ? "text/plain" : "application/gzip";
        // Both forms: multipart for even sizes, raw for odd ones.
        var upload = size % 2 == 0 ? app.UploadForm(space, caseId, "sample.bin", type, bytes) : app.UploadRaw(space, caseId, "sample.bin", type, bytes);
        var file = await upload.Uploaded();
        Assert.Equal(Convert.ToHexStringLower(MD5.HashData(bytes)), file["hash"]!["md5"]!.GetValue<string>());
        Assert.Equal(Convert.ToHexStringLower(SHA1.HashData(bytes)), file["hash"]!["sha1"]!.GetValue<string>());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), file["hash"]!["sha256"]!.GetValue<string>());
        Assert.Equal(size, file["size"]!.GetValue<long>());

        using var download = await app.Http.GetAsync(CasesAppFixture.Api(space, $"/cases/{caseId}/files/{file["id"]}/download"));
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(bytes, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal(type, download.Content.Headers.ContentType!.MediaType);
        Assert.Equal(Convert.ToBase64String(MD5.HashData(bytes)), download.Content.Headers.GetValues("Content-MD5").Single());
        Assert.Equal("sample.bin", download.Content.Headers.ContentDisposition!.FileName?.Trim('"'));

        // The blob itself carries type and MD5 too, for anyone reading it directly (set by us, or computed by storage).
        var blob = await app.BlobProperties(space, caseId, file["id"]!.GetValue<string>());
        Assert.Equal(type, blob.ContentType);
        Assert.Equal(MD5.HashData(bytes), blob.ContentHash);
    }

    [Fact]
    public async Task Upload_attaches_the_file_records_the_action_and_keeps_the_case_version()
    {
        var space = CasesAppFixture.NewSpace();
        var created = await app.CreateCase(space);
        var caseId = created["id"]!.GetValue<string>();
        using var response = await app.UploadForm(space, caseId, "capture.png", "image/png", Png(100), formName: "login screen");
        var body = (await response.Json()).AsObject();
        Assert.Equal(created["version"]!.GetValue<string>(), body["version"]!.GetValue<string>());
        var attachment = body["comments"]![0]!;
        Assert.Equal("externalReference", attachment["type"]!.GetValue<string>());
        Assert.Equal(".files", attachment["externalReferenceAttachmentTypeId"]!.GetValue<string>());
        var file = body["file"]!;
        Assert.Equal("login screen", file["name"]!.GetValue<string>());
        Assert.Equal("png", file["extension"]!.GetValue<string>());
        Assert.Equal("image/png", file["mimeType"]!.GetValue<string>());
        Assert.Equal(file["id"]!.GetValue<string>(), attachment["externalReferenceId"]!.GetValue<string>());

        // The case itself and a later edit still agree on the version.
        var again = await (await app.Http.GetAsync(CasesAppFixture.Api(space, $"/cases/{caseId}"))).Json();
        Assert.Equal(created["version"]!.GetValue<string>(), again["version"]!.GetValue<string>());
        var patch = new JsonObject { ["cases"] = new JsonArray(new JsonObject { ["id"] = caseId, ["version"] = created["version"]!.GetValue<string>(), ["title"] = "Renamed" }) };
        (await app.Http.PatchAsync(CasesAppFixture.Api(space, "/cases"), new StringContent(patch.ToJsonString(), Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();

        var actions = await (await app.Http.GetAsync(CasesAppFixture.Api(space, $"/cases/{caseId}/user_actions/_find?types=comment"))).Json();
        var action = actions["userActions"]![0]!;
        Assert.Equal("create", action["action"]!.GetValue<string>());
        Assert.Equal(file["id"]!.GetValue<string>(), action["comment_id"]!.GetValue<string>());
        Assert.Equal(file["hash"]!["sha256"]!.GetValue<string>(),
            action["payload"]!["comment"]!["externalReferenceMetadata"]!["files"]![0]!["hash"]!["sha256"]!.GetValue<string>());

        var listed = await (await app.Http.GetAsync(CasesAppFixture.Api(space, $"/cases/{caseId}/files"))).Json();
        Assert.Equal(1, listed["total"]!.GetValue<int>());
        Assert.Equal(file["hash"]!.ToJsonString(), listed["files"]![0]!["hash"]!.ToJsonString());
        var metadata = await (await app.Http.GetAsync(CasesAppFixture.Api(space, $"/cases/{caseId}/files/{file["id"]}"))).Json();
        Assert.Equal(file.ToJsonString(), metadata.ToJsonString());
    }

    [Fact]
    public async Task Range_requests_return_the_requested_bytes()
    {
        var space = CasesAppFixture.NewSpace();
        var caseId = (await app.CreateCase(space))["id"]!.GetValue<string>();
        var bytes = FilesClient.Gzip(3 * 1024 * 1024 + 17, 7);
        var file = await app.UploadRaw(space, caseId, "big.gz", "application/gzip", bytes).Uploaded();
        var url = CasesAppFixture.Api(space, $"/cases/{caseId}/files/{file["id"]}/download");

        async Task<(HttpResponseMessage, byte[])> Get(RangeHeaderValue range)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Range = range;
            var response = await app.Http.SendAsync(request);
            return (response, await response.Content.ReadAsByteArrayAsync());
        }

        var (middle, middleBytes) = await Get(new RangeHeaderValue(2_000_000, 2_500_000));
        Assert.Equal(HttpStatusCode.PartialContent, middle.StatusCode);
        Assert.Equal(bytes[2_000_000..2_500_001], middleBytes);
        Assert.Equal($"bytes 2000000-2500000/{bytes.Length}", middle.Content.Headers.ContentRange!.ToString());
        Assert.False(middle.Content.Headers.Contains("Content-MD5"));

        var (tail, tailBytes) = await Get(new RangeHeaderValue(null, 10));
        Assert.Equal(HttpStatusCode.PartialContent, tail.StatusCode);
        Assert.Equal(bytes[^10..], tailBytes);

        var (beyond, _) = await Get(new RangeHeaderValue(bytes.Length + 5, null));
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, beyond.StatusCode);

        var conditional = new HttpRequestMessage(HttpMethod.Get, url);
        conditional.Headers.IfNoneMatch.Add(new EntityTagHeaderValue($"\"{file["hash"]!["md5"]}\""));
        Assert.Equal(HttpStatusCode.NotModified, (await app.Http.SendAsync(conditional)).StatusCode);
    }

    [Fact]
    public async Task Another_space_cannot_see_read_or_delete_the_files()
    {
        var space = CasesAppFixture.NewSpace();
        var other = CasesAppFixture.NewSpace();
        var caseId = (await app.CreateCase(space))["id"]!.GetValue<string>();
        var file = await app.UploadRaw(space, caseId, "notes.txt", "text/plain", "secret"u8.ToArray()).Uploaded();
        var id = file["id"]!.GetValue<string>();
        foreach (var s in new[] { other, "default" })
        {
            await (await app.Http.GetAsync(CasesAppFixture.Api(s, $"/cases/{caseId}/files/{id}"))).Error(HttpStatusCode.NotFound, "not found");
            await (await app.Http.GetAsync(CasesAppFixture.Api(s, $"/cases/{caseId}/files/{id}/download"))).Error(HttpStatusCode.NotFound, "not found");
            await (await app.Http.DeleteAsync(CasesAppFixture.Api(s, $"/cases/{caseId}/files?ids={id}"))).Error(HttpStatusCode.NotFound, "not found");
            await (await app.UploadRaw(s, caseId, "x.txt", "text/plain", "x"u8.ToArray())).Error(HttpStatusCode.NotFound, "not found");
            var listed = await (await app.Http.GetAsync(CasesAppFixture.Api(s, "/cases/files/_find"))).Json();
            Assert.DoesNotContain(listed["files"]!.AsArray(), f => f!["id"]!.GetValue<string>() == id);
            var byHash = await (await app.Http.GetAsync(CasesAppFixture.Api(s, $"/cases/files/_cases?hash={file["hash"]!["sha256"]}"))).Json();
            Assert.Empty(byHash["cases"]!.AsArray());
        }
        Assert.Single(await app.Blobs(space, caseId));
        (await app.Http.GetAsync(CasesAppFixture.Api(space, $"/cases/{caseId}/files/{id}/download"))).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task Deleting_files_records_it_and_removes_rows_and_blobs()
    {
        var space = CasesAppFixture.NewSpace();
        var caseId = (await app.CreateCase(space))["id"]!.GetValue<string>();
        var a = await app.UploadRaw(space, caseId, "a.txt", "text/plain", "a"u8.ToArray()).Uploaded();
        var b = await app.UploadRaw(space, caseId, "b.txt", "text/plain", "b"u8.ToArray()).Uploaded();
        Assert.Equal(2, await app.TotalFiles(space, caseId));
        var tooMany = string.Join("&", Enumerable.Range(0, 11).Select(_ => "ids=" + Guid.NewGuid()));
        await (await app.Http.DeleteAsync(CasesAppFixture.Api(space, $"/cases/{caseId}/files?{tooMany}"))).Error(HttpStatusCode.BadRequest, "<= 10");
        await (await app.Http.DeleteAsync(CasesAppFixture.Api(space, $"/cases/{caseId}/files?ids={a["id"]}&ids={Guid.NewGuid()}"))).Error(HttpStatusCode.NotFound, "not found");

        Assert.Equal(HttpStatusCode.NoContent, (await app.Http.DeleteAsync(CasesAppFixture.Api(space, $"/cases/{caseId}/files?ids={a["id"]},{b["id"]}"))).StatusCode);
        Assert.Equal(0, await app.TotalFiles(space, caseId));
        Assert.Empty(await app.Blobs(space, caseId));
        Assert.DoesNotContain(await app.ExtraRows(space), k => !k.Contains("_ua_"));
        var actions = await (await app.Http.GetAsync(CasesAppFixture.Api(space, $"/cases/{caseId}/user_actions/_find?types=comment"))).Json();
        Assert.Equal(2, actions["userActions"]!.AsArray().Count(x => x!["action"]!.GetValue<string>() == "delete"));
        await (await app.Http.GetAsync(CasesAppFixture.Api(space, $"/cases/{caseId}/files/{a["id"]}"))).Error(HttpStatusCode.NotFound, "not found");
    }

    [Fact]
    public async Task Deleting_the_case_deletes_its_files()
    {
        var space = CasesAppFixture.NewSpace();
        var caseId = (await app.CreateCase(space))["id"]!.GetValue<string>();
        var file = await app.UploadRaw(space, caseId, "a.txt", "text/plain", "evidence"u8.ToArray()).Uploaded();
        Assert.Equal(HttpStatusCode.NoContent, (await app.Http.DeleteAsync(CasesAppFixture.Api(space, $"/cases?ids={caseId}"))).StatusCode);
        Assert.Empty(await app.Blobs(space, caseId));
        Assert.DoesNotContain(await app.ExtraRows(space), k => k.StartsWith("file_") || k.StartsWith("fhash_") || k.StartsWith("item_"));
        var byHash = await (await app.Http.GetAsync(CasesAppFixture.Api(space, $"/cases/files/_cases?hash={file["hash"]!["md5"]}"))).Json();
        Assert.Empty(byHash["files"]!.AsArray());
    }

    [Fact]
    public async Task Cases_are_found_by_any_of_the_three_hashes()
    {
        var space = CasesAppFixture.NewSpace();
        var first = (await app.CreateCase(space))["id"]!.GetValue<string>();
        var second = (await app.CreateCase(space))["id"]!.GetValue<string>();
        var third = (await app.CreateCase(space))["id"]!.GetValue<string>();
        var bytes = FilesClient.Gzip(4096, 1);
        var file = await app.UploadRaw(space, first, "sample.gz", "application/gzip", bytes).Uploaded();
        await app.UploadForm(space, second, "copy.gz", "application/gzip", bytes).Uploaded();
        await app.UploadRaw(space, third, "other.gz", "application/gzip", FilesClient.Gzip(4096, 2)).Uploaded();
        foreach (var algorithm in new[] { "md5", "sha1", "sha256" })
        {
            var hash = file["hash"]![algorithm]!.GetValue<string>().ToUpperInvariant();
            var found = await (await app.Http.GetAsync(CasesAppFixture.Api(space, $"/cases/files/_cases?hash={hash}"))).Json();
            Assert.Equal(new[] { first, second }.Order(), found["cases"]!.AsArray().Select(c => c!["id"]!.GetValue<string>()).Order());
            Assert.Equal(2, found["files"]!.AsArray().Count);
        }
        await (await app.Http.GetAsync(CasesAppFixture.Api(space, "/cases/files/_cases?hash=xyz"))).Error(HttpStatusCode.BadRequest, "hash");
    }

    [Fact]
    public async Task Space_listing_pages_sorts_and_filters()
    {
        var space = CasesAppFixture.NewSpace();
        var one = (await app.CreateCase(space))["id"]!.GetValue<string>();
        var two = (await app.CreateCase(space))["id"]!.GetValue<string>();
        await app.UploadRaw(space, one, "charlie.txt", "text/plain", new byte[30].Select(_ => (byte)'c').ToArray()).Uploaded();
        await app.UploadRaw(space, one, "alpha.gz", "application/gzip", FilesClient.Gzip(10, 1)).Uploaded();
        await app.UploadRaw(space, two, "bravo.txt", "text/plain", new byte[20].Select(_ => (byte)'b').ToArray()).Uploaded();

        async Task<string[]> Names(string query) =>
            (await (await app.Http.GetAsync(CasesAppFixture.Api(space, "/cases/files/_find" + query))).Json())["files"]!.AsArray()
                .Select(f => f!["name"]!.GetValue<string>()).ToArray();

        Assert.Equal(["alpha", "bravo", "charlie"], await Names("?sortField=name&sortOrder=asc"));
        Assert.Equal(["charlie", "bravo", "alpha"], await Names("?sortField=size&sortOrder=desc"));
        Assert.Equal(["bravo", "charlie"], await Names("?sortField=name&sortOrder=asc&mimeType=text/plain"));
        Assert.Equal(["bravo"], await Names("?sortField=name&sortOrder=asc&page=2&perPage=1"));
        var page = await (await app.Http.GetAsync(CasesAppFixture.Api(space, "/cases/files/_find?perPage=1"))).Json();
        Assert.Equal(3, page["total"]!.GetValue<int>());
        await (await app.Http.GetAsync(CasesAppFixture.Api(space, "/cases/files/_find?sortField=owner"))).Error(HttpStatusCode.BadRequest, "sortField");
    }

    [Fact]
    public async Task Refusals_leave_nothing_behind()
    {
        var space = CasesAppFixture.NewSpace();
        var caseId = (await app.CreateCase(space))["id"]!.GetValue<string>();
        byte[] exe = [(byte)'M', (byte)'Z', 0x90, 0, 3, 0, 0, 0, 4, 0];
        await (await app.UploadForm(space, caseId, "holiday.png", "image/png", exe)).Error(HttpStatusCode.BadRequest, "does not match");
        await (await app.UploadRaw(space, caseId, "notes.txt", "text/plain", exe)).Error(HttpStatusCode.BadRequest, "does not match");
        await (await app.UploadRaw(space, caseId, "tool.exe", "application/x-msdownload", exe)).Error(HttpStatusCode.BadRequest, "not allowed");
        await (await app.UploadRaw(space, caseId, "tool.exe", "application/octet-stream", exe)).Error(HttpStatusCode.BadRequest, "not allowed");
        await (await app.UploadRaw(space, caseId, new string('n', 161) + ".txt", "text/plain", "x"u8.ToArray())).Error(HttpStatusCode.BadRequest, "maximum length is 160");
        await (await app.UploadForm(space, caseId, "a.txt", "text/plain", "x"u8.ToArray(), formName: new string('n', 161))).Error(HttpStatusCode.BadRequest, "maximum length is 160");
        await (await app.Http.PostAsync(CasesAppFixture.Api(space, $"/cases/{caseId}/files"), new ByteArrayContent([1]))).Error(HttpStatusCode.BadRequest, "filename");
        await (await app.UploadRaw(space, Guid.NewGuid().ToString(), "a.txt", "text/plain", "x"u8.ToArray())).Error(HttpStatusCode.NotFound, "not found");
        Assert.Empty(await app.Blobs(space, caseId));
        Assert.Empty(await app.ExtraRows(space));
        Assert.Equal(0, await app.PendingBlobNotes(space));
        Assert.Null(await app.TotalFiles(space, caseId));
    }

    [Fact]
    public async Task A_cut_off_upload_leaves_nothing_behind()
    {
        var space = CasesAppFixture.NewSpace();
        var caseId = (await app.CreateCase(space))["id"]!.GetValue<string>();
        foreach (var multipart in new[] { false, true })
        {
            using var client = new System.Net.Sockets.TcpClient();
            await client.ConnectAsync(app.BaseAddress.Host, app.BaseAddress.Port);
            var stream = client.GetStream();
            var path = CasesAppFixture.Api(space, $"/cases/{caseId}/files" + (multipart ? "" : "?filename=part.gz"));
            var preamble = multipart ? "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"part.gz\"\r\nContent-Type: application/gzip\r\n\r\n" : "";
            var head = $"POST {path} HTTP/1.1\r\nHost: {app.BaseAddress.Authority}\r\nContent-Type: {(multipart ? "multipart/form-data; boundary=b" : "application/gzip")}\r\n" +
                       $"Content-Length: {20 * 1024 * 1024}\r\n\r\n{preamble}";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
            await stream.WriteAsync(FilesClient.Gzip(5 * 1024 * 1024, 3)); // a quarter of what was announced, then the line drops
            await stream.FlushAsync();
            await Task.Delay(300);
            client.Client.LingerState = new System.Net.Sockets.LingerOption(true, 0);
            client.Close();
        }
        // The server notices the abort asynchronously; give it a moment to discard the staged blocks.
        for (var i = 0; i < 50 && ((await app.Blobs(space, caseId)).Count > 0 || await app.PendingBlobNotes(space) > 0); i++) await Task.Delay(100);
        Assert.Empty(await app.Blobs(space, caseId));
        Assert.Equal(0, await app.PendingBlobNotes(space));
        Assert.Empty(await app.ExtraRows(space));
        Assert.Null(await app.TotalFiles(space, caseId));
        var actions = await (await app.Http.GetAsync(CasesAppFixture.Api(space, $"/cases/{caseId}/user_actions/_find"))).Json();
        Assert.Equal(1, actions["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task Uploads_racing_the_case_deletion_leave_nothing_behind()
    {
        var space = CasesAppFixture.NewSpace();
        var caseId = (await app.CreateCase(space))["id"]!.GetValue<string>();
        var uploads = Enumerable.Range(0, 4).Select(i => i % 2 == 0
            ? app.UploadRaw(space, caseId, $"f{i}.gz", "application/gzip", FilesClient.Gzip(3 * 1024 * 1024, i))
            : app.UploadForm(space, caseId, $"f{i}.gz", "application/gzip", FilesClient.Gzip(3 * 1024 * 1024, i))).ToList();
        await Task.Delay(50);
        Assert.Equal(HttpStatusCode.NoContent, (await app.Http.DeleteAsync(CasesAppFixture.Api(space, $"/cases?ids={caseId}"))).StatusCode);
        foreach (var upload in await Task.WhenAll(uploads))
            Assert.True(upload.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound, $"{upload.StatusCode}: {await upload.Content.ReadAsStringAsync()}");
        // An upload that committed before the deletion is purged with the case; one that lost the race took its blob back.
        for (var i = 0; i < 30 && (await app.Blobs(space, caseId)).Count > 0; i++) await Task.Delay(100);
        Assert.Empty(await app.Blobs(space, caseId));
        Assert.DoesNotContain(await app.ExtraRows(space), k => k.StartsWith("file_") || k.StartsWith("fhash_") || k.StartsWith("item_"));
    }

    static byte[] Png(int size)
    {
        var bytes = new byte[size];
        new Random(size).NextBytes(bytes);
        byte[] magic = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        magic.CopyTo(bytes, 0);
        return bytes;
    }

    internal static byte[] PngOf(int size) => Png(size);
}
