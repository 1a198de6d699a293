namespace Bus.Optimizers;

/// <summary>A state that can list its tensors (for <see cref="GroupedOptimizer{TOptions}.StateBytes"/>).</summary>
internal interface IStateTensors
{
    /// <summary>The state's tensors (those it holds; none is null).</summary>
    IEnumerable<Tensor> Tensors { get; }
}
