namespace Bus.Core.Checkpoints;

/// <summary>
/// A training algorithm or selector whose configuration belongs to the run's fingerprint (e.g. a growth plan: its
/// stages, targets and operators). Resuming from a checkpoint whose fingerprint differs is refused.
/// </summary>
public interface IFingerprinted
{
    /// <summary>A stable, human-readable description of the configuration (equal exactly when the configuration is).</summary>
    string Fingerprint { get; }
}
