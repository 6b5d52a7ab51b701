// One open SAVEPOINT of a connection: its name, the pager savepoint that undoes the pages
// written since it (or PendingSavepoint while the transaction has not written yet), and the
// deferred foreign-key violation counts when it opened, which ROLLBACK TO restores.
namespace Tern.Vdbe;

/// <summary>An open SAVEPOINT.</summary>
internal readonly record struct SavepointEntry(string Name, int PagerIndex, long DeferredViolations, long DeferredImmediateViolations);
