import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import ts from 'typescript';
import { createTestDb, dialects } from '#test/db.ts';

/**
 * src/db/schema.ts is written by hand beside the migrations. This test reads it with the
 * TypeScript compiler and compares it with a freshly migrated database on each engine, so a
 * migration whose row type was forgotten (or a type whose column was renamed) fails here
 * instead of at run time.
 */

type Kind = 'number' | 'string';
interface DeclaredColumn {
  kind: Kind;
  nullable: boolean;
  generated: boolean;
}

function declaredTables(): Map<string, Map<string, DeclaredColumn>> {
  const file = new URL('./schema.ts', import.meta.url);
  const source = ts.createSourceFile('schema.ts', fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const interfaces = new Map<string, ts.InterfaceDeclaration>();
  source.forEachChild((node) => {
    if (ts.isInterfaceDeclaration(node)) interfaces.set(node.name.text, node);
  });
  const database = interfaces.get('Database');
  assert.ok(database, 'schema.ts declares a Database interface');
  const tables = new Map<string, Map<string, DeclaredColumn>>();
  for (const member of database.members) {
    assert.ok(ts.isPropertySignature(member) && member.type, 'each Database member names a table type');
    const table = (member.name as ts.Identifier).text;
    const typeName = member.type.getText(source);
    const row = interfaces.get(typeName);
    assert.ok(row, `${table}: interface ${typeName} is declared in schema.ts`);
    const columns = new Map<string, DeclaredColumn>();
    for (const col of row.members) {
      assert.ok(ts.isPropertySignature(col) && col.type, `${typeName}: every member is a column`);
      let text = col.type.getText(source).replace(/\s+/g, ' ');
      const generated = /^Generated<(.*)>$/.exec(text);
      if (generated?.[1]) text = generated[1];
      const parts = text.split('|').map((p) => p.trim());
      const nullable = parts.includes('null');
      const rest = parts.filter((p) => p !== 'null');
      // String unions ('draft' | 'published') are strings; a named string type (EditionStatus)
      // is resolved from schema.ts's own type aliases.
      const kind: Kind = rest.every((p) => p === 'number') ? 'number' : 'string';
      columns.set((col.name as ts.Identifier).text, { kind, nullable, generated: generated !== null });
    }
    tables.set(table, columns);
  }
  return tables;
}

const NUMBER_TYPES = /^(integer|int|int4|int8|bigint|smallint|real|double precision|float8|numeric|boolean)$/i;

for (const dialect of dialects) {
  describe(`schema.ts matches the migrated database on ${dialect}`, () => {
    test('the same tables and columns, with the same nullability and kind', async () => {
      const declared = declaredTables();
      const t = await createTestDb(dialect);
      try {
        // SQLite's full-text index (articles_fts and its shadow tables) is queried in raw SQL
        // by articles/queries.ts, never through the row types.
        const actual = (await t.db.kysely.introspection.getTables()).filter(
          (tb) => !tb.isView && !tb.name.startsWith('sqlite_') && !/^articles_fts(_|$)/.test(tb.name),
        );
        assert.deepEqual(
          actual.map((tb) => tb.name).sort(),
          [...declared.keys()].sort(),
          'tables in the database vs tables in schema.ts',
        );
        const problems: string[] = [];
        for (const tb of actual) {
          const cols = declared.get(tb.name)!;
          // PostgreSQL's full-text column, like SQLite's index tables, is only read in raw SQL.
          const names = tb.columns
            .map((c) => c.name)
            .filter((n) => !(dialect === 'postgres' && tb.name === 'articles' && n === 'search_vector'))
            .sort();
          if (JSON.stringify(names) !== JSON.stringify([...cols.keys()].sort())) {
            problems.push(`${tb.name}: columns ${names.join(', ')} vs declared ${[...cols.keys()].sort().join(', ')}`);
            continue;
          }
          // SQLite reports a primary key that is not declared NOT NULL as nullable (a
          // documented quirk kept for compatibility); no row of ours can hold a null key.
          const keys =
            dialect === 'sqlite'
              ? new Set(
                  (
                    await sql<{
                      name: string;
                    }>`select name from pragma_table_info(${tb.name}) where pk > 0`.execute(t.db.kysely)
                  ).rows.map((r) => r.name),
                )
              : new Set<string>();
          for (const c of tb.columns) {
            const d = cols.get(c.name);
            if (!d) continue;
            const nullable = c.isNullable && !keys.has(c.name);
            if (nullable !== d.nullable)
              problems.push(`${tb.name}.${c.name}: nullable ${nullable} in the database, ${d.nullable} declared`);
            const kind: Kind = NUMBER_TYPES.test(c.dataType) ? 'number' : 'string';
            if (kind !== d.kind)
              problems.push(`${tb.name}.${c.name}: ${c.dataType} in the database, declared ${d.kind}`);
            if (d.generated && !(c.isAutoIncrementing || c.hasDefaultValue))
              problems.push(`${tb.name}.${c.name}: declared Generated but the database gives no value`);
          }
        }
        assert.deepEqual(problems, []);
      } finally {
        await t.cleanup();
      }
    });
  });
}
