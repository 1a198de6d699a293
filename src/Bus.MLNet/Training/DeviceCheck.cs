using System.Text.RegularExpressions;
using TorchSharp;

namespace Bus.MLNet.Training;

/// <summary>
/// Start-up check of <see cref="BusTrainerOptions.Device"/>: a known name, and a CUDA device only where CUDA libtorch
/// is loaded.
/// </summary>
internal static partial class DeviceCheck
{
    /// <summary>
    /// Throws <see cref="ArgumentException"/> (parameter "Device") when the device is unknown or not available in this
    /// process.
    /// </summary>
    public static void Require(string device)
    {
        if (Cuda().IsMatch(device))
        {
            if (!torch.cuda.is_available())
                throw new ArgumentException(
                    $"Device '{device}' is not available: this process has no CUDA libtorch (torch.cuda.is_available() is false). " +
                    "Reference a CUDA backend package (TorchSharp-cuda-linux or TorchSharp-cuda-windows) instead of TorchSharp-cpu, "
                        + "or use \"cpu\".",
                    nameof(BusTrainerOptions.Device));
            return;
        }
        try
        {
            _ = BusDevice.Parse(device);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"Unknown device '{device}': use \"cpu\", \"cuda\" or \"cuda:N\".",
                nameof(BusTrainerOptions.Device), e);
        }
    }

    [GeneratedRegex(@"^cuda(:\d+)?$", RegexOptions.IgnoreCase)]
    private static partial Regex Cuda();
}
