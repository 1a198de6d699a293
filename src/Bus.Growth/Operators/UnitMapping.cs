namespace Bus.Growth.Operators;

/// <summary>How new units choose the old unit they copy (Net2WiderNet's mapping g, Chen et al. 2016, eq. 1).</summary>
public enum UnitMapping
{
    /// <summary>g(j) = j for the first n units, then a seeded uniformly random old unit (Net2WiderNet, bert2BERT).</summary>
    Random,

    /// <summary>g(j) = j mod n: every old unit is copied as evenly as possible (exactly evenly when n divides the new width).</summary>
    RoundRobin,
}
