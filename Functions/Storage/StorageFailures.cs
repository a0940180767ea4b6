using System.Net.Sockets;
using Azure;

namespace Cases.Functions.Storage;

/// <summary>
/// Tells a failure of the storage account (refused, reset, timed out, 5xx; possibly wrapped by the SDK's retries in an
/// <see cref="AggregateException"/>) from everything else, so that every route answers it the same way: 503 with
/// Retry-After, never 500.
/// </summary>
public static class StorageFailures
{
    /// <summary>What a client is told to wait before trying again (seconds).</summary>
    public const int RetryAfterSeconds = 5;

    public const string Message = "The storage service is unavailable; try again shortly.";
    public const string TimeoutMessage = "The storage service did not answer in time; try again shortly.";

    /// <param name="requestAborted">True when the caller itself went away: then a cancellation is not storage's fault.</param>
    public static bool IsUnavailable(Exception ex, bool requestAborted) => ex switch
    {
        RequestFailedException r => r.Status is 0 or 408 or >= 500,
        AggregateException a => a.InnerExceptions.Count > 0 && a.InnerExceptions.All(e => IsUnavailable(e, requestAborted)),
        HttpRequestException or SocketException or TimeoutException => true,
        // The SDK's network timeout (Retry.NetworkTimeout) surfaces as a cancellation nobody asked for.
        OperationCanceledException => !requestAborted,
        _ => false,
    };
}
