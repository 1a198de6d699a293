namespace Bus.Core.Tests.IO;

/// <summary>Hand-listed invalid files, one per validation rule.</summary>
internal static class SafeTensorsInvalidCases
{
    private static readonly byte[] Data8 = new byte[8];

    private static string Entry(string dtype = "\"F32\"", string shape = "[2]", string offsets = "[0,8]") =>
        $"{{\"dtype\":{dtype},\"shape\":{shape},\"data_offsets\":{offsets}}}";

    private static byte[] One(string entry, byte[]? data = null) =>
        SafeTensorsTestFiles.Build($"{{\"a\":{entry}}}", data ?? Data8);

    public static IReadOnlyDictionary<string, byte[]> All { get; } = new Dictionary<string, byte[]>
    {
        ["empty file"] = [],
        ["seven bytes"] = new byte[7],
        ["header length 0"] = SafeTensorsTestFiles.WithPrefix(0, Data8),
        ["header length beyond file"] = SafeTensorsTestFiles.WithPrefix(1000, Encoding.UTF8.GetBytes("{}      ")),
        ["header length over 100 MB"] = SafeTensorsTestFiles.WithPrefix(200_000_000, Encoding.UTF8.GetBytes("{}      ")),
        ["header length u64 max"] = SafeTensorsTestFiles.WithPrefix(ulong.MaxValue, Encoding.UTF8.GetBytes("{}      ")),
        ["invalid utf-8"] = SafeTensorsTestFiles.Build([(byte)'{', (byte)'"', 0xFF, 0xFE, (byte)'"', (byte)':', (byte)'1', (byte)'}'], []),
        ["not json"] = SafeTensorsTestFiles.Build("hello", []),
        ["truncated json"] = SafeTensorsTestFiles.Build("{\"a\":{\"dtype\":", Data8),
        ["json array"] = SafeTensorsTestFiles.Build("[]", []),
        ["json string"] = SafeTensorsTestFiles.Build("\"x\"", []),
        ["trailing garbage"] = SafeTensorsTestFiles.Build("{} x", []),
        ["trailing comma"] = SafeTensorsTestFiles.Build("{\"__metadata__\":{},}", []),
        ["comment"] = SafeTensorsTestFiles.Build("{/* c */}", []),
        ["deep nesting"] = SafeTensorsTestFiles.Build("{\"a\":" + new string('[', 200) + new string(']', 200) + "}", []),
        ["entry not object"] = One("[1,2]"),
        ["unknown dtype"] = One(Entry(dtype: "\"F8\"")),
        ["lowercase dtype"] = One(Entry(dtype: "\"f32\"")),
        ["dtype not string"] = One(Entry(dtype: "4")),
        ["missing dtype"] = One("{\"shape\":[2],\"data_offsets\":[0,8]}"),
        ["missing shape"] = One("{\"dtype\":\"F32\",\"data_offsets\":[0,8]}"),
        ["missing offsets"] = One("{\"dtype\":\"F32\",\"shape\":[2]}"),
        ["unknown key"] = One("{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8],\"x\":1}"),
        ["repeated key"] = One("{\"dtype\":\"F32\",\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}"),
        ["shape not array"] = One(Entry(shape: "2")),
        ["shape negative"] = One(Entry(shape: "[-2]")),
        ["shape fraction"] = One(Entry(shape: "[2.5]")),
        ["shape exponent"] = One(Entry(shape: "[2e0]")),
        ["shape string element"] = One(Entry(shape: "[\"2\"]")),
        ["shape nested"] = One(Entry(shape: "[[2]]")),
        ["shape too large for long"] = One(Entry(shape: "[99999999999999999999]")),
        ["element count overflow"] = One(Entry(shape: "[4294967296,4294967296,4]")),
        ["byte count overflow"] = One(Entry(shape: "[4611686018427387904]")),
        ["offsets one integer"] = One(Entry(offsets: "[8]")),
        ["offsets three integers"] = One(Entry(offsets: "[0,8,8]")),
        ["offsets strings"] = One(Entry(offsets: "[\"0\",\"8\"]")),
        ["offsets object"] = One(Entry(offsets: "{}")),
        ["offsets negative"] = One(Entry(offsets: "[-8,0]")),
        ["offsets begin after end"] = One(Entry(offsets: "[8,0]")),
        ["offsets end beyond data"] = One(Entry(offsets: "[0,16]", shape: "[4]")),
        ["byte length mismatch"] = One(Entry(shape: "[3]")),
        ["truncated data section"] = One(Entry(), new byte[5]),
        ["trailing data bytes"] = One(Entry(), new byte[12]),
        ["overlapping tensors"] = SafeTensorsTestFiles.Build(
            $"{{\"a\":{Entry()},\"b\":{Entry(offsets: "[4,12]")}}}", new byte[12]),
        ["gap between tensors"] = SafeTensorsTestFiles.Build(
            $"{{\"a\":{Entry()},\"b\":{Entry(offsets: "[12,20]")}}}", new byte[20]),
        ["empty tensor inside another"] = SafeTensorsTestFiles.Build(
            $"{{\"a\":{Entry()},\"b\":{Entry(shape: "[0]", offsets: "[4,4]")}}}", Data8),
        ["duplicate tensor name"] = SafeTensorsTestFiles.Build(
            $"{{\"a\":{Entry()},\"a\":{Entry(offsets: "[8,16]")}}}", new byte[16]),
        ["metadata not object"] = SafeTensorsTestFiles.Build("{\"__metadata__\":[\"x\"]}", []),
        ["metadata value number"] = SafeTensorsTestFiles.Build("{\"__metadata__\":{\"k\":1}}", []),
        ["metadata value object"] = SafeTensorsTestFiles.Build("{\"__metadata__\":{\"k\":{}}}", []),
        ["metadata value null"] = SafeTensorsTestFiles.Build("{\"__metadata__\":{\"k\":null}}", []),
        ["metadata duplicate key"] = SafeTensorsTestFiles.Build("{\"__metadata__\":{\"k\":\"1\",\"k\":\"2\"}}", []),
        ["metadata twice"] = SafeTensorsTestFiles.Build("{\"__metadata__\":{},\"__metadata__\":{}}", []),
        ["lone surrogate escape"] = SafeTensorsTestFiles.Build("{\"__metadata__\":{\"k\":\"\\ud800\"}}", []),
    };
}
