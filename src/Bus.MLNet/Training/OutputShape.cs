namespace Bus.MLNet.Training;

/// <summary>
/// Output <see cref="SchemaShape"/>s of the Bus estimators. ML.NET's SchemaShape columns can only be made by
/// estimators, so this chains schema-only estimators: the model mapping's output columns, the task's renames, and
/// a drop of the internal columns.
/// </summary>
internal static class OutputShape
{
    public static SchemaShape Of(SchemaShape input, string textColumn,
        Func<MLContext, IEstimator<ITransformer>, IEstimator<ITransformer>> outputs)
    {
        var ml = new MLContext(0);
        IEstimator<ITransformer> start = ml.Transforms.CopyColumns(BusModelColumns.Text, textColumn)
            .Append(ml.Transforms.CustomMapping<BusKeyInput, BusModelOutput>(static (_, _) => { }, contractName: null));
        return outputs(ml, start)
            .Append(ml.Transforms.DropColumns(BusModelColumns.Text, BusModelColumns.Output, BusModelColumns.Predicted))
            .GetOutputSchema(input);
    }
}
