using System.Text;
using Cases.Domain.Users;

namespace Cases.Domain.Find;

public sealed partial class CaseView
{
    const int FormatVersion = 3;

    /// <summary>Writes the view in its compact form: the pools, then each case as numbers (no case JSON).</summary>
    public void WriteTo(Stream stream)
    {
        gate.EnterReadLock();
        try
        {
            using var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            w.Write(FormatVersion);
            WritePool(w, strings);
            WritePool(w, words);
            w.Write7BitEncodedInt(users.Count);
            foreach (var u in users)
            {
                WriteNullable(w, u.Email);
                WriteNullable(w, u.FullName);
                WriteNullable(w, u.Username);
                WriteNullable(w, u.ProfileUid);
            }
            w.Write7BitEncodedInt(cases.Count);
            foreach (var c in cases.Values)
            {
                w.Write(c.Id);
                w.Write7BitEncodedInt(c.Version);
                w.Write(c.Status);
                w.Write(c.Severity);
                w.Write7BitEncodedInt(c.Owner);
                w.Write(c.CreatedTicks);
                w.Write(c.UpdatedTicks);
                w.Write(c.ClosedTicks);
                w.Write7BitEncodedInt64(c.Duration + 1);
                w.Write(c.Title);
                w.Write7BitEncodedInt(c.Category + 1);
                WriteInts(w, c.Tags);
                WriteInts(w, c.Assignees);
                w.Write7BitEncodedInt(c.Reporter);
                WriteInts(w, c.CustomFields);
                WriteInts(w, c.TitleWords);
                WriteInts(w, c.DescriptionWords);
            }
        }
        finally
        {
            gate.ExitReadLock();
        }
    }

    /// <summary>Reads what <see cref="WriteTo"/> wrote; null when the format is not this version's.</summary>
    /// <remarks>Compiled optimized at once: it runs once per load, on a new instance, over every case.</remarks>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static CaseView? ReadFrom(Stream stream)
    {
        using var r = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        if (r.ReadInt32() != FormatVersion) return null;
        var view = new CaseView();
        ReadPool(r, view.strings);
        ReadPool(r, view.words);
        var userCount = r.Read7BitEncodedInt();
        for (var i = 0; i < userCount; i++)
        {
            var user = new CaseUser(ReadNullable(r), ReadNullable(r), ReadNullable(r), ReadNullable(r));
            view.userIds.TryAdd(user, i);
            view.users.Add(user);
        }
        var count = r.Read7BitEncodedInt();
        view.cases.EnsureCapacity(count);
        for (var i = 0; i < count; i++)
        {
            var c = new CompactCase
            {
                Id = r.ReadString(),
                Version = r.Read7BitEncodedInt(),
                Status = r.ReadByte(),
                Severity = r.ReadByte(),
                Owner = r.Read7BitEncodedInt(),
                CreatedTicks = r.ReadInt64(),
                UpdatedTicks = r.ReadInt64(),
                ClosedTicks = r.ReadInt64(),
                Duration = r.Read7BitEncodedInt64() - 1,
                Title = r.ReadString(),
                Category = r.Read7BitEncodedInt() - 1,
                Tags = ReadInts(r),
                Assignees = ReadInts(r),
                Reporter = r.Read7BitEncodedInt(),
                CustomFields = ReadInts(r),
                TitleWords = ReadInts(r),
                DescriptionWords = ReadInts(r),
            };
            view.cases[c.Id] = c;
            view.Tally(c, +1);
            view.Index(c, +1);
        }
        return view;
    }

    static void WritePool(BinaryWriter w, StringPool pool)
    {
        w.Write7BitEncodedInt(pool.Count);
        foreach (var value in pool.Values) w.Write(value);
    }

    static void ReadPool(BinaryReader r, StringPool pool)
    {
        var count = r.Read7BitEncodedInt();
        for (var i = 0; i < count; i++) pool.Intern(r.ReadString());
    }

    static void WriteNullable(BinaryWriter w, string? value)
    {
        w.Write(value is not null);
        if (value is not null) w.Write(value);
    }

    static string? ReadNullable(BinaryReader r) => r.ReadBoolean() ? r.ReadString() : null;

    /// <summary>A length, then each number plus one (-1 marks "none" in custom fields) in 7-bit groups: pool ids are small,
    /// so most take one or two bytes, and the stored form is a third of raw 32-bit numbers once compressed.</summary>
    static void WriteInts(BinaryWriter w, int[] values)
    {
        w.Write7BitEncodedInt(values.Length);
        foreach (var value in values) w.Write7BitEncodedInt(value + 1);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    static int[] ReadInts(BinaryReader r)
    {
        var length = r.Read7BitEncodedInt();
        if (length == 0) return [];
        var values = new int[length];
        for (var i = 0; i < values.Length; i++) values[i] = r.Read7BitEncodedInt() - 1;
        return values;
    }
}
