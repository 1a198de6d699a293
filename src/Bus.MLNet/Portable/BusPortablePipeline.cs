namespace Bus.MLNet.Portable;

/// <summary>
/// Builds the saved form of a trained Bus model from public ML.NET transforms only, so that
/// <c>mlContext.Model.Save</c> stores it and <c>mlContext.Model.Load</c> gives it back with the weights inside
/// the model file:
/// <list type="number">
/// <item>copy the text column to <see cref="BusModelColumns.Text"/>;</item>
/// <item>custom mapping "Bus.MLNet.ModelKey": a constant key 1;</item>
/// <item>two value mappings (lookup tables saved in the model file): key 1 -> the flat weights, key 1 -> the JSON header;</item>
/// <item>custom mapping "Bus.MLNet.Model": rebuilds the model once (cached by header) and writes a padded output vector;</item>
/// <item>the task's outputs (slot selection to the real size, label names to keys), then the internal columns are dropped.</item>
/// </list>
/// Cost: the lookup copies the weights into each row (O(parameters), small next to the forward pass, which is
/// O(parameters x length)).
/// </summary>
internal static class BusPortablePipeline
{
    public static ITransformer Build(MLContext ml, IDataView input, string textColumn, BusModelHeader header, float[] weights,
        Func<MLContext, IDataView, ITransformer> outputs)
    {
        var weightTable = new[] { new KeyValuePair<uint, float[]>(1, weights) };
        var headerTable = new[] { new KeyValuePair<uint, string>(1, header.ToJson()) };
        var model = ml.Transforms.CopyColumns(BusModelColumns.Text, textColumn)
            .Append(ml.Transforms.CustomMapping<BusKeyInput, BusKeyOutput>(BusModelKeyFactory.Map, BusModelKeyFactory.ContractName))
            .Append(ml.Transforms.Conversion.MapValue(BusModelColumns.Weights, weightTable, BusModelColumns.Key))
            .Append(ml.Transforms.Conversion.MapValue(BusModelColumns.Header, headerTable, BusModelColumns.Key))
            .Append(ml.Transforms.CustomMapping<BusModelInput, BusModelOutput>(new BusModelMapping().Map,
                BusModelMappingFactory.ContractName))
            .Fit(input);
        var tail = outputs(ml, model.GetOutputSchema(input.Schema) is { } schema ? new EmptyDataView(schema) : input);
        var drop = ml.Transforms.DropColumns(
                BusModelColumns.Text, BusModelColumns.Key, BusModelColumns.Weights, BusModelColumns.Header, BusModelColumns.Output,
                    BusModelColumns.Predicted)
            .Fit(new EmptyDataView(tail.GetOutputSchema(model.GetOutputSchema(input.Schema))));
        return new TransformerChain<ITransformer>(model, tail, drop);
    }

    /// <summary>
    /// Keeps the first <paramref name="size"/> slots of <see cref="BusModelColumns.Output"/> as <paramref name="outputColumn"/>
    /// (a known-size vector). ML.NET has no public slot-dropping estimator, so this fits the count-based feature
    /// selector on one synthetic row whose first <paramref name="size"/> slots are non-zero: it keeps exactly those.
    /// </summary>
    public static ITransformer FirstSlots(MLContext ml, string outputColumn, int size)
    {
        var row = new float[BusModelColumns.OutputLength];
        Array.Fill(row, 1f, 0, size);
        var definition = SchemaDefinition.Create(typeof(SlotRow));
        var data = ml.Data.LoadFromEnumerable([new SlotRow { Output = row }], definition);
        return ml.Transforms.FeatureSelection.SelectFeaturesBasedOnCount(outputColumn, BusModelColumns.Output, count: 1).Fit(data);
    }

    private sealed class SlotRow
    {
        [ColumnName(BusModelColumns.Output), VectorType(BusModelColumns.OutputLength)]
        public float[] Output { get; set; } = [];
    }
}
