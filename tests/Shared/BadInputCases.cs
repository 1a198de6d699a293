using System.Runtime.InteropServices;
using FluentAssertions;

namespace Bus.Testing;

/// <summary>
/// A named table of bad-input cases (action, expected ParamName, text the message must contain), shared by the projects'
/// bad-input tests: each case must throw an <see cref="ArgumentException"/>, never a native (external) error.
/// </summary>
internal sealed class BadInputCases : Dictionary<string, (Action Act, string Param, string Value)>
{
    /// <summary>The case names, as xUnit theory data.</summary>
    public TheoryData<string> Names => new(Keys);

    /// <summary>
    /// Runs case <paramref name="name"/>: it throws an ArgumentException naming the parameter, with the value in the message;
    /// returns the exception for further checks.
    /// </summary>
    public ArgumentException AssertThrowsNaming(string name)
    {
        var (act, param, value) = this[name];
        var e = act.Should().Throw<ArgumentException>().Which;
        e.Should().NotBeAssignableTo<ExternalException>();
        e.ParamName.Should().Be(param, $"case '{name}': {e.Message}");
        e.Message.Should().Contain(value, $"case '{name}'");
        return e;
    }
}
