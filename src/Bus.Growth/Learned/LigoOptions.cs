namespace Bus.Growth.Learned;

/// <summary>Options of <see cref="LigoOperator"/>: the operator's training (<see cref="LearnedGrowthOptions"/>).</summary>
public sealed record LigoOptions : LearnedGrowthOptions;
