using Bus.Core.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Bus.MLNet.Training;

/// <summary>
/// The peak learning rate an optimizer factory chooses given the options' rate (e.g. Lion's factory: the options'
/// rate / 3), read from an optimizer it creates over one scratch parameter. The training loops schedule this rate,
/// because they set each step's rate themselves and would otherwise overwrite the factory's choice.
/// </summary>
internal static class OptimizerLearningRate
{
    public static double Of(IOptimizerFactory factory, double learningRate, double weightDecay)
    {
        using var scope = NewDisposeScope();
        var scratch = new Parameter(zeros(1));
        using var optimizer = factory.Create([scratch], learningRate, weightDecay);
        return optimizer.ParamGroups.First().LearningRate;
    }
}
