namespace Bus.Core.Checkpoints;

/// <summary>
/// The record of a run that stopped on a non-finite value after writing a checkpoint: <c>nonfinite-stop.json</c> in the
/// checkpoint folder, written when the run stops and removed by the next checkpoint written (the last checkpoint is then
/// no longer the one before a stop). <see cref="CheckpointOptions.Rescue"/> needs it.
/// </summary>
/// <param name="Step">The step whose loss, gradient or update was not finite.</param>
/// <param name="CheckpointStep">The step the last finite checkpoint holds.</param>
/// <param name="LearningRate">The run's learning rate.</param>
/// <param name="Message">The stop's message.</param>
internal sealed record NonFiniteStop(long Step, long CheckpointStep, double LearningRate, string Message)
{
    /// <summary>File name in the checkpoint folder.</summary>
    public const string FileName = "nonfinite-stop.json";

    /// <summary>Path of the record in <paramref name="checkpoint"/>'s folder.</summary>
    public static string PathOf(CheckpointOptions checkpoint) => Path.Combine(checkpoint.Directory, FileName);

    /// <summary>Writes the record atomically (a temporary file renamed over it).</summary>
    public void Write(CheckpointOptions checkpoint)
    {
        string path = PathOf(checkpoint);
        string temp = Path.Combine(checkpoint.Directory, $".{FileName}.{Guid.NewGuid():N}.tmp");
        File.WriteAllText(temp, JsonSerializer.Serialize(this));
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>The record of <paramref name="checkpoint"/>'s folder, or null when there is none.</summary>
    /// <exception cref="InvalidDataException">The file is not a valid record (the message names it).</exception>
    public static NonFiniteStop? Read(CheckpointOptions checkpoint)
    {
        string path = PathOf(checkpoint);
        if (!File.Exists(path)) return null;
        NonFiniteStop? stop;
        try
        {
            stop = JsonSerializer.Deserialize<NonFiniteStop>(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException(
                $"'{path}' is not a non-finite stop record ({e.Message.Split('\n')[0]}); delete it to start over.", e);
        }

        if (stop is null || stop.Step < 1 || stop.CheckpointStep < 0 || stop.CheckpointStep >= stop.Step || !(stop.LearningRate > 0))
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"'{path}' is not a valid non-finite stop record (step {stop?.Step}, checkpoint step {stop?.CheckpointStep}, learning " +
                $"rate {stop?.LearningRate})."));
        return stop;
    }

    /// <summary>Removes the record of <paramref name="checkpoint"/>'s folder, if any.</summary>
    public static void Delete(CheckpointOptions checkpoint) => File.Delete(PathOf(checkpoint));
}
