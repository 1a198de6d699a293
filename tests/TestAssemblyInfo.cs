// TorchSharp's default random generator is process-wide: tests that seed it (model initialisation, dropout,
// determinism and resume checks) must not interleave with each other, so test classes within one assembly
// run one at a time. Test assemblies still run in parallel, each in its own process.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
