using System.Text;
using Azure.Data.Tables;

namespace Cases.Functions.Storage;

/// <summary>
/// Table Storage caps a string property at 64 KiB (32K UTF-16 characters); a case's JSON can exceed that
/// (200 tags of 256 characters alone do), so it is split across numbered properties.
/// </summary>
public static class ChunkedText
{
    const int ChunkLength = 30_000;

    public static void Write(TableEntity entity, string name, string text)
    {
        var count = 0;
        for (var start = 0; start < text.Length || count == 0; start += ChunkLength, count++)
            entity[$"{name}{count}"] = text.Substring(start, Math.Min(ChunkLength, text.Length - start));
        entity[$"{name}Chunks"] = count;
    }

    public static string Read(TableEntity entity, string name)
    {
        var count = entity.GetInt32($"{name}Chunks") ?? 1;
        if (count == 1) return entity.GetString($"{name}0") ?? "";
        var text = new StringBuilder();
        for (var i = 0; i < count; i++) text.Append(entity.GetString($"{name}{i}"));
        return text.ToString();
    }
}
