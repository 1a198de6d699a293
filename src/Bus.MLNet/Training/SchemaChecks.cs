namespace Bus.MLNet.Training;

/// <summary>Schema checks with ML.NET-style errors that name the column, the expected type and the actual type.</summary>
internal static class SchemaChecks
{
    public static DataViewSchema.Column Require(DataViewSchema schema, string role, string name, Func<DataViewType, bool> accepts,
        string expected)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var column = schema.GetColumnOrNull(name)
            ?? throw new ArgumentOutOfRangeException("inputSchema", $"Could not find {role} column '{name}'.");
        if (!accepts(column.Type))
            throw new ArgumentOutOfRangeException("inputSchema",
                $"Schema mismatch for {role} column '{name}': expected {expected}, got {column.Type}.");
        return column;
    }

    public static void Require(SchemaShape shape, string role, string name, Func<SchemaShape.Column, bool> accepts, string expected)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var found = shape.Where(c => c.Name == name).ToList();
        if (found.Count == 0)
            throw new ArgumentOutOfRangeException("inputSchema", $"Could not find {role} column '{name}'.");
        var column = found[^1];
        if (!accepts(column))
            throw new ArgumentOutOfRangeException("inputSchema",
                $"Schema mismatch for {role} column '{name}': expected {expected}, got {Describe(column)}.");
    }

    public static DataViewSchema.Column RequireText(DataViewSchema schema, string name) =>
        Require(schema, "text", name, t => t is TextDataViewType, "String");

    public static void RequireText(SchemaShape shape, string name) =>
        Require(shape, "text", name, c => c.Kind == SchemaShape.Column.VectorKind.Scalar && c.ItemType is TextDataViewType, "String");

    /// <summary>A scalar key column (what MapValueToKey makes) with at least two classes.</summary>
    public static DataViewSchema.Column RequireKeyLabel(DataViewSchema schema, string name) =>
        Require(schema, "label", name, t => t is KeyDataViewType { RawType: var raw, Count: >= 2 } && raw == typeof(uint),
            "Key<UInt32> with at least 2 values (use MapValueToKey)");

    public static void RequireKeyLabel(SchemaShape shape, string name) =>
        Require(shape, "label", name,
            c => c.Kind == SchemaShape.Column.VectorKind.Scalar && c.IsKey && c.ItemType.RawType == typeof(uint),
            "Key<UInt32> (use MapValueToKey)");

    /// <summary>A scalar Boolean column (binary classification: false is class 0, true class 1).</summary>
    public static DataViewSchema.Column RequireBooleanLabel(DataViewSchema schema, string name) =>
        Require(schema, "label", name, t => t is BooleanDataViewType, "Boolean");

    public static void RequireBooleanLabel(SchemaShape shape, string name) =>
        Require(shape, "label", name,
            c => c.Kind == SchemaShape.Column.VectorKind.Scalar && !c.IsKey && c.ItemType is BooleanDataViewType, "Boolean");

    /// <summary>A vector of Single: one class id per character.</summary>
    public static DataViewSchema.Column RequireCharacterLabels(DataViewSchema schema, string name) =>
        Require(schema, "label", name, t => t is VectorDataViewType { ItemType: var item } && item == NumberDataViewType.Single,
            "Vector<Single> (one class id per character)");

    public static void RequireCharacterLabels(SchemaShape shape, string name) =>
        Require(shape, "label", name,
            c => c.Kind != SchemaShape.Column.VectorKind.Scalar && !c.IsKey && c.ItemType == NumberDataViewType.Single,
            "Vector<Single> (one class id per character)");

    private static string Describe(SchemaShape.Column column) =>
        column.Kind switch
        {
            SchemaShape.Column.VectorKind.Scalar => column.IsKey ? $"Key<{column.ItemType}>" : column.ItemType.ToString() ?? "",
            _ => $"Vector<{column.ItemType}>",
        };
}
