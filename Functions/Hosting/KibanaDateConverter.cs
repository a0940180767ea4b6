using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cases.Functions.Hosting;

/// <summary>Kibana writes timestamps as ISO 8601 in UTC with milliseconds and a trailing Z: 2023-10-13T15:40:32.335Z.</summary>
public sealed class KibanaDateConverter : JsonConverter<DateTimeOffset>
{
    public const string Format = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateTimeOffset.Parse(reader.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(Text(value));

    public static string Text(DateTimeOffset value) => value.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);
}
