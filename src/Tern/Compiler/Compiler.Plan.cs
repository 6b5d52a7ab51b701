// EXPLAIN QUERY PLAN: as the compiler generates a statement's code it writes down, in the
// order the code runs, what each loop and each helper structure does, as a tree of notes
// in SQLite's words:
//
//   QUERY PLAN
//   |--SCAN u                                       a full pass over a table
//   |--SEARCH t USING INTEGER PRIMARY KEY (rowid=?) one row by rowid per outer row
//   |--SEARCH t USING INDEX tb (b=?)                index entries equal to a key
//   |--MATERIALIZE s                                a FROM subquery, view or CTE run into
//   |  `--SCAN t                                    a temporary list first
//   |--SCAN s
//   |--USE TEMP B-TREE FOR ORDER BY | GROUP BY | DISTINCT
//   |--SCALAR SUBQUERY 1 | LIST SUBQUERY 2          run once; CORRELATED ... when it runs
//   |  `--SCAN v                                    for every outer row
//   `--COMPOUND QUERY
//      |--LEFT-MOST SUBQUERY
//      `--UNION ALL | UNION USING TEMP B-TREE | INTERSECT ... | EXCEPT ...
//
// Each note is a row (id, parent, notused, detail); ids are numbered in order from 1 and a
// top-level note's parent is 0. The notes describe what Tern's code does, which is not
// always what SQLite would choose (SQLite flattens more subqueries and builds automatic
// indexes, for instance).
using Tern.Schema;
using Index = Tern.Schema.Index;
using Tern.Sql.Ast;

namespace Tern.Compiler;

/// <summary>One row of EXPLAIN QUERY PLAN.</summary>
internal sealed class PlanNote
{
    public required int Id { get; init; }
    public required int Parent { get; init; }
    public required string Detail { get; set; }
}

internal sealed partial class CodeGenerator
{
    private readonly List<PlanNote> _plan = [];
    private int _planParent;
    private int _subqueryNumber;

    /// <summary>Adds a note under the current parent and returns it.</summary>
    private PlanNote Note(string detail)
    {
        var n = new PlanNote { Id = _plan.Count + 1, Parent = _planParent, Detail = detail };
        _plan.Add(n);
        return n;
    }

    /// <summary>Adds a note and makes it the parent of the notes added until the returned scope is disposed.</summary>
    private PlanScope NoteScope(string detail) => new(this, Note(detail));

    /// <summary>Notes made inside it hang under its note.</summary>
    private readonly struct PlanScope : IDisposable
    {
        private readonly CodeGenerator _g;
        private readonly int _saved;

        public PlanScope(CodeGenerator g, PlanNote note)
        {
            _g = g;
            _saved = g._planParent;
            Note = note;
            g._planParent = note.Id;
        }

        public PlanNote Note { get; }

        public void Dispose() => _g._planParent = _saved;
    }

    /// <summary>"SCALAR SUBQUERY n" or "LIST SUBQUERY n" (made CORRELATED when the body turns out so).</summary>
    private PlanScope SubqueryNote(bool list) => NoteScope((list ? "LIST SUBQUERY " : "SCALAR SUBQUERY ") + (++_subqueryNumber).ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The note for one loop of a join.</summary>
    private void LoopNote(Source s, Index? index, bool rowid)
    {
        string name = s.PlanName ?? s.Name;
        if (rowid) Note($"SEARCH {name} USING INTEGER PRIMARY KEY (rowid=?)");
        else if (index != null && index == s.Table.PrimaryKey) Note($"SEARCH {name} USING PRIMARY KEY ({s.Table.Columns[index.Columns[0]].Name}=?)");
        else if (index != null) Note($"SEARCH {name} USING INDEX {index.Name} ({s.Table.Columns[index.Columns[0]].Name}=?)");
        else if (s.VirtualTable) Note($"SCAN {name} VIRTUAL TABLE INDEX 0:");
        else Note("SCAN " + name);
    }

    private static string CompoundNote(CompoundOperator op) => op switch
    {
        CompoundOperator.UnionAll => "UNION ALL",
        CompoundOperator.Union => "UNION USING TEMP B-TREE",
        CompoundOperator.Intersect => "INTERSECT USING TEMP B-TREE",
        _ => "EXCEPT USING TEMP B-TREE",
    };
}
