// The name rules of UPDATE ... FROM with several FROM items. SQLite reads such a FROM
// clause as one parenthesised item, a subquery "SELECT * FROM <items>" whose columns keep
// their table names, and joins the target with it. So the ON clauses there cannot see the
// target, and every column of that subquery must be unambiguous by its full name
// (schema.table.column, "*" for the schema of a subquery, _ROWID_ for a rowid), or, for a
// column joined by USING or NATURAL, by its bare name. These checks raise SQLite's errors
// before the statement is compiled as a join.
using Tern.Schema;
using Tern.Sql.Ast;

namespace Tern.Compiler;

internal sealed partial class CodeGenerator
{
    /// <summary>One table of the FROM clause, as the check sees it.</summary>
    private sealed record UpdateFromLeaf(string Schema, string Name, List<string> Columns, bool HasRowid, HashSet<string> Using);

    /// <summary>
    /// Raises the errors SQLite gives for an UPDATE whose FROM clause has several items:
    /// "no such column" for the target named in an ON clause, "ambiguous column name" for a
    /// column the FROM subquery holds twice under one name.
    /// </summary>
    private void CheckUpdateFromNames(UpdateStatement u, Table t)
    {
        if (u.From.Count < 2) return;
        string target = u.Table.Alias ?? t.Name;
        var leaves = new List<UpdateFromLeaf>();
        bool known = Leaves(u.From);
        // The ON clauses are resolved inside the subquery, where the target is not visible.
        // (A subquery there that names a table of the target's name is left to compilation.)
        foreach (FromItem fi in AllItems(u.From))
        {
            if (fi.On == null) continue;
            var walk = new NameWalk(null);
            walk.Expr(fi.On);
            foreach (ColumnRef c in walk.Refs)
            {
                if (c.Table == null || !string.Equals(c.Table, target, StringComparison.OrdinalIgnoreCase)) continue;
                if (leaves.Any(l => string.Equals(l.Name, c.Table, StringComparison.OrdinalIgnoreCase))) continue;
                if (NamesTable(fi.On, c.Table)) continue;
                throw new TernException(ResultCode.Error, "no such column: " + (c.Schema != null ? c.Schema + "." : "") + c.Table + "." + c.Column) { Position = c.Start };
            }
        }
        if (!known) return;
        // An unqualified name in an ON clause (outside its subqueries) that only the target has.
        foreach (FromItem fi in AllItems(u.From))
        {
            if (fi.On == null) continue;
            ColumnRef? missing = null;
            Walk(fi.On, x =>
            {
                if (missing == null && x is ColumnRef { Table: null } c && !leaves.Any(l => l.Columns.Contains(c.Column, StringComparer.OrdinalIgnoreCase))
                    && (t.FindColumn(c.Column) >= 0 || (!t.WithoutRowid && IsRowidName(c.Column))) && !(leaves.Any(l => l.HasRowid) && IsRowidName(c.Column)))
                    missing = c;
                return missing == null;
            });
            if (missing != null) throw new TernException(ResultCode.Error, "no such column: " + missing.Column) { Position = missing.Start };
        }
        // The subquery's columns in order: each table's columns, then its rowid.
        foreach (UpdateFromLeaf leaf in leaves)
        {
            foreach (string col in leaf.Columns)
            {
                if (leaf.Using.Contains(col))
                {
                    if (Matches(null, col) > 1) throw new TernException(ResultCode.Error, "ambiguous column name: " + col);
                }
                else if (Matches(leaf, col) > 1)
                {
                    throw new TernException(ResultCode.Error, $"ambiguous column name: {leaf.Schema}.{leaf.Name}.{col}");
                }
            }
            if (leaf.HasRowid && leaves.Count(l => l.HasRowid && SameName(l, leaf)) > 1)
                throw new TernException(ResultCode.Error, $"ambiguous column name: {leaf.Schema}.{leaf.Name}._ROWID_");
        }

        // SQLite's lookup: a table joined to an earlier match by USING on the column is not a second match.
        int Matches(UpdateFromLeaf? qualifier, string col)
        {
            int count = 0;
            foreach (UpdateFromLeaf l in leaves)
            {
                if (qualifier != null && !SameName(l, qualifier)) continue;
                if (!l.Columns.Contains(col, StringComparer.OrdinalIgnoreCase)) continue;
                if (count > 0 && l.Using.Contains(col)) continue;
                count++;
            }
            return count;
        }

        static bool SameName(UpdateFromLeaf a, UpdateFromLeaf b) =>
            string.Equals(a.Schema, b.Schema, StringComparison.OrdinalIgnoreCase) && string.Equals(a.Name, b.Name, StringComparison.OrdinalIgnoreCase);

        // Collects the tables; false when an item's columns are not known here (a subquery,
        // view, CTE or table function): the column checks are then left out.
        bool Leaves(NodeList<FromItem> items)
        {
            bool ok = true;
            foreach (FromItem fi in items)
            {
                if (fi.Source is NestedJoin nj)
                {
                    ok &= nj.Alias == null && Leaves(nj.Items);
                    continue;
                }
                if (fi.Source is not NamedTable nt || (nt.Schema == null && FindCte(nt.Name) != null) || FindTable(nt.Schema, nt.Name) is not { } table)
                {
                    ok = false;
                    continue;
                }
                List<string> cols = table.Columns.Where(c => !c.IsHidden).Select(c => c.Name).ToList();
                var usingNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                if ((fi.Join & JoinType.Natural) != 0)
                {
                    foreach (string c in cols)
                    {
                        if (leaves.Any(l => l.Columns.Contains(c, StringComparer.OrdinalIgnoreCase))) usingNames.Add(c);
                    }
                }
                foreach (string c in fi.Using) usingNames.Add(c);
                if (leaves.Count == 0) usingNames.Clear();
                leaves.Add(new UpdateFromLeaf(_schemas.NameOf(table.Db), nt.Alias ?? nt.Name, cols, !table.WithoutRowid, usingNames));
            }
            return ok;
        }
    }

    private static IEnumerable<FromItem> AllItems(NodeList<FromItem> items)
    {
        foreach (FromItem fi in items)
        {
            yield return fi;
            if (fi.Source is NestedJoin nj)
            {
                foreach (FromItem inner in AllItems(nj.Items)) yield return inner;
            }
        }
    }

    /// <summary>Whether a subquery inside <paramref name="e"/> has a FROM item named <paramref name="name"/>.</summary>
    private static bool NamesTable(Expr e, string name)
    {
        bool found = false;
        Walk(e, x =>
        {
            SelectStatement? s = x switch { ExistsExpr ex => ex.Select, SubqueryExpr sq => sq.Select, InSelectExpr ins => ins.Select, _ => null };
            if (s?.First is SelectClause sc && AllItems(sc.From).Any(fi => fi.Source switch
            {
                NamedTable nt => string.Equals(nt.Alias ?? nt.Name, name, StringComparison.OrdinalIgnoreCase),
                SubquerySource sub => string.Equals(sub.Alias, name, StringComparison.OrdinalIgnoreCase),
                _ => false,
            })) found = true;
            return !found;
        });
        return found;
    }
}
