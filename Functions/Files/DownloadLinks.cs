using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Azure.Storage.Sas;
using Cases.Domain.Files;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Cases.Functions.Files;

/// <summary>
/// With <c>Cases:Files:RedirectDownloads</c>, a download is answered with a redirect to the blob itself (the bytes
/// then never pass through the app): a read-only SAS for that one blob, valid for a few minutes, that makes Blob
/// Storage serve it with the file's type and name (ranges included). Signed with the account key where the app has one
/// (a connection string, Azurite); else (a managed identity, no shared keys in Azure) a user-delegation SAS, signed
/// with a delegation key fetched once a day.
/// </summary>
public sealed class DownloadLinks(BlobServiceClient service, IOptions<FilesOptions> options)
{
    static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);
    readonly SemaphoreSlim gate = new(1, 1);
    UserDelegationKey? delegationKey;

    public bool Redirect => options.Value.RedirectDownloads;

    public async Task<Uri> For(BlockBlobClient blob, CaseFile file, CancellationToken ct)
    {
        // Blob Storage checks the link against its own clock: it is signed with real time, whatever clock the app runs on.
        var now = DateTimeOffset.UtcNow;
        var disposition = new ContentDispositionHeaderValue("attachment");
        disposition.SetHttpFileName(file.Extension.Length > 0 ? $"{file.Name}.{file.Extension}" : file.Name);
        var sas = new BlobSasBuilder(BlobSasPermissions.Read, now + options.Value.DownloadLinkLifetime)
        {
            BlobContainerName = blob.BlobContainerName,
            BlobName = blob.Name,
            Resource = "b",
            StartsOn = now - ClockSkew,
            ContentType = file.MimeType,
            ContentDisposition = disposition.ToString(),
            Protocol = blob.Uri.Scheme == Uri.UriSchemeHttps ? SasProtocol.Https : SasProtocol.HttpsAndHttp,
        };
        if (blob.CanGenerateSasUri) return blob.GenerateSasUri(sas);
        return blob.GenerateUserDelegationSasUri(sas, await DelegationKey(now, ct));
    }

    /// <summary>A user-delegation key valid for a day, renewed when less than an hour of it is left.</summary>
    async Task<UserDelegationKey> DelegationKey(DateTimeOffset now, CancellationToken ct)
    {
        if (delegationKey is { } current && current.SignedExpiresOn - now > TimeSpan.FromHours(1)) return current;
        await gate.WaitAsync(ct);
        try
        {
            if (delegationKey is { } fresh && fresh.SignedExpiresOn - now > TimeSpan.FromHours(1)) return fresh;
            var request = new BlobGetUserDelegationKeyOptions(now + TimeSpan.FromDays(1)) { StartsOn = now - ClockSkew };
            delegationKey = (await service.GetUserDelegationKeyAsync(request, ct)).Value;
            return delegationKey;
        }
        finally
        {
            gate.Release();
        }
    }
}
