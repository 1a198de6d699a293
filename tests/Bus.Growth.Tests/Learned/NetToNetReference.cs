using Bus.Core.Model;

namespace Bus.Growth.Tests.Learned;

/// <summary>
/// The Net2Net expansion stacked in depth, computed element by element (no matrix products), as the reference the
/// learned operators must reproduce at step 0: out-indices copy unit g(j), in-indices copy and divide by the copy count.
/// </summary>
internal static class NetToNetReference
{
    public static Dictionary<string, float[]> Expand(GrowableTransformer small, TransformerConfig big, long seed)
    {
        var random = new Random(unchecked((int)seed));
        int[] gd = Mapping(small.Config.DModel, big.DModel, random);
        int[] gf = Mapping(small.Config.DFf, big.DFf, random);
        var weights = small.named_parameters().ToDictionary(p => p.name, p => (p.parameter.data<float>().ToArray(), p.parameter.shape));
        var result = new Dictionary<string, float[]>();
        int[] Identity(int n) => Enumerable.Range(0, n).ToArray();
        foreach (var name in GrowableTransformer.Create(big, 0).named_parameters().Select(p => p.name))
        {
            string smallName = ParameterNames.TryParseBlock(name, out int layer, out string suffix)
                ? ParameterNames.Block(layer % small.Config.Layers, suffix) : name;
            var (data, shape) = weights[smallName];
            string kind = ParameterNames.TryParseBlock(name, out _, out var s) ? s : name;
            (int[] rows, int[]? cols, int smallCols) = kind switch
            {
                "tok_emb.weight" or "pos_emb.weight" => (Identity((int)shape[0]), gd, -1),
                "head.weight" => (Identity((int)shape[0]), gd, small.Config.DModel),
                "head.bias" => (Identity((int)shape[0]), null, 0),
                "mlp.fc1.weight" => (gf, gd, small.Config.DModel),
                "mlp.fc1.bias" => (gf, null, 0),
                "mlp.fc2.weight" => (gd, gf, small.Config.DFf),
                _ when shape.Length == 2 => (gd, gd, small.Config.DModel),
                _ => (gd, null, 0),
            };
            if (cols is null) { result[name] = rows.Select(r => data[r]).ToArray(); continue; }
            int inSmall = (int)shape[1];
            var counts = new int[inSmall];
            foreach (int c in cols) counts[c]++;
            var big2 = new float[rows.Length * cols.Length];
            for (int r = 0; r < rows.Length; r++)
                for (int c = 0; c < cols.Length; c++)
                    big2[r * cols.Length + c] = data[rows[r] * inSmall + cols[c]] / (smallCols > 0 ? counts[cols[c]] : 1);
            result[name] = big2;
        }
        return result;
    }

    /// <summary>The documented mapping, written out independently: identity for the first n units, then a seeded
    /// Fisher-Yates permutation of the old units (System.Random.Shuffle), cycled.</summary>
    private static int[] Mapping(int small, int big, Random random)
    {
        var permutation = Enumerable.Range(0, small).ToArray();
        for (int i = 0; i < small - 1; i++) // .NET's Shuffle: position i takes a uniform pick of positions i..n-1
        {
            int j = random.Next(i, small);
            (permutation[i], permutation[j]) = (permutation[j], permutation[i]);
        }
        var g = new int[big];
        for (int j = 0; j < big; j++) g[j] = j < small ? j : permutation[(j - small) % small];
        return g;
    }
}
