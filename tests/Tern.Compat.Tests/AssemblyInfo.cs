// The corpus runners run one at a time: the sqllogictest ratchet has records close to its
// 5-second interrupt, and the sqltest run next to it on a two-core machine would push
// them over.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
