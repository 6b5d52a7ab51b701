// The differential test: statements from the corpus and from OracleEdgeCaseTests are
// mutated (a token deleted, swapped with its neighbour, duplicated, or replaced by
// another token; sometimes twice; fixed seed) and handed to Tern's parser and to
// SQLite's sqlite3_prepare_v2 on a database where the corpus file's names resolve (its
// statements are replayed first). Both must make the same accept/reject decision for
// syntax, with the same message.
//
// SQLite's prepare also reports semantic errors (no such table, ...). When SQLite
// reports one and Tern accepts, they agree. When SQLite reports one and Tern reports a
// syntax error, SQLite may have stopped before the bad token (some checks run in the
// middle of a statement, e.g. CREATE TABLE of an existing name), so the statement is
// prepared again on a database holding only the tables, then on an empty one; if SQLite
// still stops at a semantic error the case is undecidable and counted apart.
//
// TERN_DIFF_SEED, TERN_DIFF_STATEMENTS and TERN_DIFF_MUTATIONS change the run (for long
// runs on demand); TERN_DIFF_VERBOSE prints the undecidable cases.
using System.Text;
using Microsoft.Data.Sqlite;
using Tern.Sql.Lexer;
using Tern.Sql.Tests.Support;
using Xunit.Abstractions;

namespace Tern.Sql.Tests;

public sealed class DifferentialTests(ITestOutputHelper output)
{
    private static readonly int Seed = int.TryParse(Environment.GetEnvironmentVariable("TERN_DIFF_SEED"), out int s) ? s : 20261127;
    private static readonly int StatementsPerFile = int.TryParse(Environment.GetEnvironmentVariable("TERN_DIFF_STATEMENTS"), out int n) ? n : 12;
    private static readonly int MutationsPerStatement = int.TryParse(Environment.GetEnvironmentVariable("TERN_DIFF_MUTATIONS"), out int m) ? m : 3;

    private static readonly string[] Vocabulary =
    [
        "(", ")", ",", ";", ".", "*", "+", "-", "=", "<", "||", "->", "NOT", "NULL", "AND", "OR", "IS",
        "IN", "LIKE", "ESCAPE", "BETWEEN", "SELECT", "FROM", "WHERE", "GROUP", "BY", "ORDER", "LIMIT",
        "OFFSET", "AS", "ON", "USING", "JOIN", "LEFT", "NATURAL", "CROSS", "UNION", "ALL", "VALUES",
        "DISTINCT", "CASE", "WHEN", "THEN", "ELSE", "END", "CAST", "COLLATE", "INSERT", "INTO", "UPDATE",
        "SET", "DELETE", "CREATE", "TABLE", "INDEX", "VIEW", "TRIGGER", "PRIMARY", "KEY", "UNIQUE",
        "CHECK", "DEFAULT", "REFERENCES", "WITH", "RECURSIVE", "OVER", "PARTITION", "WINDOW", "FILTER",
        "ROWS", "RANGE", "PRECEDING", "FOLLOWING", "CURRENT", "ROW", "EXISTS", "RETURNING", "DO",
        "CONFLICT", "REPLACE", "IGNORE", "RAISE", "x", "t1", "a", "1", "2.5", "'s'", "?", ":p", "X'00'",
        "EXCEPT", "INTERSECT", "HAVING", "INDEXED", "TEMP", "IF", "GENERATED", "ALWAYS", "FIRST", "NULLS",
    ];

    [Fact]
    public void Mutated_corpus_statements_get_the_same_verdict_as_SQLite()
    {
        var rng = new Random(Seed);
        using SqliteConnection empty = SqliteOracle.OpenMemory();
        int total = 0, agreed = 0, undecidable = 0, syntaxErrors = 0;
        var disagreements = new List<string>();
        foreach (IGrouping<string, CorpusScript> file in Corpus.All.GroupBy(s => s.Id[..s.Id.LastIndexOf(':')]))
        {
            using SqliteConnection db = SqliteOracle.OpenMemory();
            using SqliteConnection tablesOnly = SqliteOracle.OpenMemory();
            var statements = new List<string>();
            foreach (CorpusScript script in file)
            {
                foreach (string stmt in SplitStatements(script.Sql))
                {
                    statements.Add(stmt);
                    if (!script.ExpectError || script.IsSlt)
                    {
                        // Only the schema matters to prepare: replay the statements that shape it.
                        Ast.Statement parsed = SqlParser.Parse(stmt);
                        if (parsed is Ast.CreateTableStatement or Ast.CreateViewStatement or Ast.CreateIndexStatement
                            or Ast.CreateTriggerStatement or Ast.CreateVirtualTableStatement or Ast.DropStatement
                            or Ast.RenameTableStatement or Ast.RenameColumnStatement or Ast.AddColumnStatement
                            or Ast.DropColumnStatement or Ast.AttachStatement or Ast.DetachStatement)
                        {
                            TryExecute(db, stmt);
                        }
                        if (parsed is Ast.CreateTableStatement or Ast.CreateViewStatement) TryExecute(tablesOnly, stmt);
                    }
                }
            }
            if (statements.Count == 0) continue;
            for (int i = 0; i < StatementsPerFile; i++)
            {
                string seed = statements[rng.Next(statements.Count)];
                for (int m = 0; m < MutationsPerStatement; m++)
                {
                    string sql = Mutate(seed, rng);
                    if (rng.Next(4) == 0) sql = Mutate(sql, rng);
                    total++;
                    switch (Compare([db, tablesOnly, empty], sql, out string detail))
                    {
                        case Verdict.Agree:
                            agreed++;
                            if (detail.Contains("Tern:   near") || detail.Contains("Tern:   incomplete") || detail.Contains("Tern:   unrec")) syntaxErrors++;
                            break;
                        case Verdict.Undecidable:
                            undecidable++;
                            if (Environment.GetEnvironmentVariable("TERN_DIFF_VERBOSE") is not null) output.WriteLine("UNDECIDABLE " + detail);
                            break;
                        default: disagreements.Add(detail); break;
                    }
                }
            }
        }
        // The hand-picked edge cases are seeds too, on their own small schema.
        using (SqliteConnection db = SqliteOracle.OpenMemory())
        using (SqliteConnection tablesOnly = SqliteOracle.OpenMemory())
        {
            foreach (SqliteConnection c in new[] { db, tablesOnly })
            {
                SqliteOracle.Execute(c, "CREATE TABLE t(a, b, c); CREATE TABLE t2(a, b, c); CREATE TABLE s(x, y)");
            }
            SqliteOracle.Execute(db, "CREATE INDEX i ON t(a)");
            foreach (string seed in OracleEdgeCaseTests.Statements())
            {
                for (int m = 0; m < MutationsPerStatement; m++)
                {
                    string sql = Mutate(seed, rng);
                    if (rng.Next(4) == 0) sql = Mutate(sql, rng);
                    total++;
                    switch (Compare([db, tablesOnly, empty], sql, out string detail))
                    {
                        case Verdict.Agree: agreed++; break;
                        case Verdict.Undecidable: undecidable++; break;
                        default: disagreements.Add(detail); break;
                    }
                }
            }
        }
        output.WriteLine($"differential: {agreed} passed, {disagreements.Count} failed, {undecidable} undecidable (of {total}; {syntaxErrors} agreed syntax errors)");
        foreach (string d in disagreements.Take(200)) output.WriteLine(d);
        Assert.True(total > 2000, $"only {total} mutations were tried");
        Assert.Empty(disagreements);
    }

    private enum Verdict { Agree, Disagree, Undecidable }

    private static Verdict Compare(SqliteConnection[] dbs, string sql, out string detail)
    {
        string? ours = null;
        try
        {
            SqlParser.ParseNext(Encoding.UTF8.GetBytes(sql));
        }
        catch (SqlParseException e)
        {
            ours = e.Message;
        }
        string? theirs = SqliteOracle.PrepareError(dbs[0], sql);
        for (int i = 1; i < dbs.Length && ours is not null && theirs is not null && !SqliteOracle.IsParserMessage(theirs); i++)
        {
            // A semantic error may have stopped SQLite early (a CREATE of a name that exists):
            // ask again on a database with only the tables, then on an empty one.
            string? again = SqliteOracle.PrepareError(dbs[i], sql);
            if (again is null || SqliteOracle.IsParserMessage(again)) theirs = again;
        }
        detail = $"SQL: {sql.Replace('\n', ' ')}\n  Tern:   {ours ?? "ok"}\n  SQLite: {theirs ?? "ok"}";
        if (theirs is not null && theirs.StartsWith("Expression tree is too large") && ours is null)
        {
            // SQLite checks the depth again while resolving names (the engine's job).
            return Verdict.Undecidable;
        }
        if (theirs is null || !SqliteOracle.IsParserMessage(theirs))
        {
            if (ours is null) return Verdict.Agree;
            return theirs is null ? Verdict.Disagree : Verdict.Undecidable;
        }
        return ours == theirs ? Verdict.Agree : Verdict.Disagree;
    }

    private static void TryExecute(SqliteConnection db, string sql)
    {
        try
        {
            SqliteOracle.Execute(db, sql);
        }
        catch (SqliteException)
        {
        }
    }

    /// <summary>Splits a script into statement texts with Tern's own parser (stopping at the first error).</summary>
    private static List<string> SplitStatements(string sql)
    {
        var list = new List<string>();
        byte[] bytes = Encoding.UTF8.GetBytes(sql);
        int offset = 0;
        try
        {
            while (SqlParser.ParseNext(bytes, offset) is { } s)
            {
                string text = Encoding.UTF8.GetString(bytes, s.Start, s.End - s.Start);
                if (text.Length < 4000) list.Add(text);
                offset = s.End;
            }
        }
        catch (SqlParseException)
        {
        }
        return list;
    }

    /// <summary>Applies one random token-level mutation.</summary>
    internal static string Mutate(string sql, Random rng)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(sql);
        var tokens = new List<Token>();
        int pos = 0;
        while (true)
        {
            Token t = SqlLexer.Next(bytes, pos);
            if (t.Kind == TokenKind.Eof || t.Length == 0) break;
            if (t.Kind is not (TokenKind.Space or TokenKind.Comment)) tokens.Add(t);
            pos = t.End;
        }
        var parts = tokens.Select(t => Encoding.UTF8.GetString(bytes, t.Start, t.Length)).ToList();
        if (parts.Count == 0) return sql;
        int i = rng.Next(parts.Count);
        switch (rng.Next(4))
        {
            case 0:
                parts.RemoveAt(i);
                break;
            case 1:
                if (i + 1 < parts.Count) (parts[i], parts[i + 1]) = (parts[i + 1], parts[i]);
                else parts.RemoveAt(i);
                break;
            case 2:
                parts.Insert(i, parts[i]);
                break;
            default:
                parts[i] = Vocabulary[rng.Next(Vocabulary.Length)];
                break;
        }
        return string.Join(" ", parts);
    }
}
