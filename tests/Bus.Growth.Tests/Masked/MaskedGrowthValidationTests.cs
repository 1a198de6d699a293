namespace Bus.Growth.Tests.Masked;

/// <summary>Bad options of MSG and MIDAS are refused with an ArgumentException naming the parameter and the value.</summary>
public class MaskedGrowthValidationTests
{
    private static readonly TransformerConfig Small = TinyModels.Config(16, 2, 24, layers: 2);

    [Fact]
    public void BadRampOptionsAreRejected()
    {
        var zero = () => new MaskRamp { BudgetFraction = 0 };
        zero.Should().Throw<ArgumentException>().Where(e => e.ParamName == "BudgetFraction").WithMessage("*BudgetFraction*0*");
        var tooLong = () => new MaskRamp { BudgetFraction = 1.5 };
        tooLong.Should().Throw<ArgumentException>().Where(e => e.ParamName == "BudgetFraction").WithMessage("*1.5*");
        var nan = () => new MaskRamp { BudgetFraction = double.NaN };
        nan.Should().Throw<ArgumentException>().Where(e => e.ParamName == "BudgetFraction");
        var negative = () => new MaskRamp { Steps = -3 };
        negative.Should().Throw<ArgumentException>().Where(e => e.ParamName == "Steps").WithMessage("*-3*");
        var init = () => new MsgDepthOptions { Init = (MsgBlockInit)7 };
        init.Should().Throw<ArgumentException>().Where(e => e.ParamName == "Init").WithMessage("*7*");
        var ramp = () => new MsgDepthOptions { Ramp = null! };
        ramp.Should().Throw<ArgumentException>().Where(e => e.ParamName == "Ramp");
    }

    [Fact]
    public void BadMaskValuesAreRejected()
    {
        var mask = new GrowthMask([2, 3]);
        var above = () => mask.Value = 1.5;
        above.Should().Throw<ArgumentException>().Where(e => e.ParamName == "Value").WithMessage("*1.5*");
        var below = () => mask.Value = -0.1;
        below.Should().Throw<ArgumentException>().Where(e => e.ParamName == "Value");
        var block = () => new GrowthMask([-1]);
        block.Should().Throw<ArgumentException>().Where(e => e.ParamName == "maskedBlocks").WithMessage("*-1*");
    }

    [Fact]
    public void DepthThatDoesNotGrowOrChangedWidthIsRejected()
    {
        var same = () => new MsgDepthGrowth().Validate(Small, Small);
        same.Should().Throw<ArgumentException>().Where(e => e.ParamName == "Layers").WithMessage("*source 2*target 2*");
        var wider = () => new MsgDepthGrowth().Validate(Small, Small with { Layers = 4, DModel = 32 });
        wider.Should().Throw<ArgumentException>().WithMessage("*DModel*");
        var midasTooDeep = () => new MidasGrowth().Validate(Small, Small with { Layers = 5 });
        midasTooDeep.Should().Throw<ArgumentException>().Where(e => e.ParamName == "Layers").WithMessage("*source 2*target 5*");
        var midasSame = () => new MidasGrowth().Validate(Small, Small);
        midasSame.Should().Throw<ArgumentException>().Where(e => e.ParamName == "Layers");
    }

    [Fact]
    public void BadMidasStageArgumentsAreRejected()
    {
        var full = Small with { Layers = 4 };
        var start = () => Midas.Stages(Small, full, 1.2, 0.5);
        start.Should().Throw<ArgumentException>().Where(e => e.ParamName == "startFraction").WithMessage("*1.2*");
        var end = () => Midas.Stages(Small, full, 0.5, 0.25);
        end.Should().Throw<ArgumentException>().Where(e => e.ParamName == "endFraction").WithMessage("*0.25*");
        var blocks = () => Midas.Stages(Small, full, 0.25, 0.5, blocksPerStage: 0);
        blocks.Should().Throw<ArgumentException>().Where(e => e.ParamName == "blocksPerStage").WithMessage("*0*");
        var notMultiple = () => Midas.Stages(Small, Small with { Layers = 5 }, 0.25, 0.5, blocksPerStage: 2);
        notMultiple.Should().Throw<ArgumentException>().Where(e => e.ParamName == "blocksPerStage").WithMessage("*3*2*");
        var wider = () => Midas.Stages(Small, full with { DModel = 32 }, 0.25, 0.5);
        wider.Should().Throw<ArgumentException>().Where(e => e.ParamName == "full");
        var tooManyBlocks = () => Midas.Stages(Small, Small with { Layers = 5 }, 0.25, 0.5, blocksPerStage: 3);
        tooManyBlocks.Should().Throw<ArgumentException>().WithMessage("*source 2*target 5*");
    }

    [Fact]
    public void TheOperatorsAreRegisteredByName()
    {
        GrowthOperators.Create("msg-depth").Should().BeOfType<MsgDepthGrowth>().Which.Options.Init.Should().Be(MsgBlockInit.Copy);
        GrowthOperators.Create("msg-depth-fresh").Should().BeOfType<MsgDepthGrowth>().Which.Options.Init.Should().Be(MsgBlockInit.Fresh);
        GrowthOperators.Create("midas").Should().BeOfType<MidasGrowth>();
    }
}
