using Bus.Core;
using TorchSharp;

namespace Bus.MLNet.Training;

/// <summary>Start-up check of <see cref="BusTrainerOptions.Device"/>: a known name, and a CUDA device only where CUDA libtorch is loaded.</summary>
internal static class DeviceCheck
{
    /// <summary>Throws <see cref="ArgumentException"/> (parameter "Device") when the device is unknown or not available in this process.</summary>
    public static void Require(string device)
    {
        torch.Device parsed;
        try
        {
            parsed = BusDevice.Parse(device);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException(e.Message, nameof(BusTrainerOptions.Device), e);
        }
        if (parsed.type == DeviceType.CUDA && !torch.cuda.is_available())
            throw new ArgumentException(
                $"Device '{device}' is not available: this process has no CUDA libtorch (torch.cuda.is_available() is false). " +
                "Reference a CUDA backend package (TorchSharp-cuda-linux or TorchSharp-cuda-windows) instead of TorchSharp-cpu, or use \"cpu\".",
                nameof(BusTrainerOptions.Device));
    }
}
