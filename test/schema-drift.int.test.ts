import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Pool, createPool, createPrismaClient, defaultMigrationsDir, migrate, readMigrations } from '@correio/db';
import { type TestDatabase, createTestDatabase, repoRoot } from '@correio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * schema.prisma and the database our SQL migrations build must agree. Prisma Migrate, which would
 * diff them, needs a native engine this project cannot download (shared/notes/toolchain.md), so this
 * is the check: apply prisma/migrations to a fresh database, then compare it with
 *  - the generated client's runtime data model (what the running code actually queries: models,
 *    fields, table and column names, scalar types), and
 *  - schema.prisma itself for what that model leaves out: optional `?`, lists `[]`, @db native
 *    types, enum names and values, @id/@unique keys.
 * Every disagreement is one line naming the model and field, so a failure says what to fix.
 */

const SCHEMA_PATH = path.join(repoRoot, 'prisma/schema.prisma');

// ---------------------------------------------------------------------------------------------
// What schema.prisma says

interface SchemaField {
  name: string;
  type: string;
  optional: boolean;
  list: boolean;
  column: string;
  nativeType?: { name: string; args: string[] };
  relation: boolean;
  id: boolean;
  unique: boolean;
}
interface SchemaModel {
  name: string;
  table: string;
  fields: SchemaField[];
  id?: string[];
  uniques: string[][];
}
interface SchemaEnum {
  name: string;
  dbName: string;
  values: string[];
}

const SCALARS = new Set(['String', 'Boolean', 'Int', 'BigInt', 'Float', 'Decimal', 'DateTime', 'Json', 'Bytes']);

/** Drops `//` comments outside string literals. */
function stripComment(line: string): string {
  let inString = false;
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '"' && line[i - 1] !== '\\') inString = !inString;
    if (!inString && line[i] === '/' && line[i + 1] === '/') return line.slice(0, i);
  }
  return line;
}

const fieldList = (s: string) =>
  s
    .split(',')
    .map((f) => f.trim().replace(/\(.*$/, ''))
    .filter(Boolean);

function parseSchema(text: string): { models: SchemaModel[]; enums: SchemaEnum[] } {
  const models: SchemaModel[] = [];
  const enums: SchemaEnum[] = [];
  const lines = text.split(/\r?\n/).map(stripComment);
  for (let i = 0; i < lines.length; i++) {
    const head = lines[i]!.match(/^\s*(model|enum)\s+(\w+)\s*\{\s*$/);
    if (!head) continue;
    const body: string[] = [];
    while (++i < lines.length && !/^\s*\}\s*$/.test(lines[i]!)) if (lines[i]!.trim()) body.push(lines[i]!.trim());
    const [, kind, name] = head as unknown as [string, 'model' | 'enum', string];
    const map = body.map((l) => l.match(/^@@map\(\s*"([^"]+)"\s*\)/)?.[1]).find(Boolean);
    if (kind === 'enum') {
      enums.push({ name, dbName: map ?? name, values: body.filter((l) => !l.startsWith('@@')).map((l) => l.split(/\s+/)[0]!) });
      continue;
    }
    const model: SchemaModel = { name, table: map ?? name, fields: [], uniques: [] };
    for (const line of body) {
      const block = line.match(/^@@(id|unique)\(\s*(?:fields:\s*)?\[([^\]]*)\]/);
      if (block) {
        if (block[1] === 'id') model.id = fieldList(block[2]!);
        else model.uniques.push(fieldList(block[2]!));
        continue;
      }
      if (line.startsWith('@@')) continue;
      const f = line.match(/^(\w+)\s+(\w+)(\[\])?(\?)?(.*)$/);
      if (!f) throw new Error(`schema.prisma: cannot read the line "${line}" of model ${name}`);
      const [, fieldName, type, list, optional, attrs] = f as unknown as [
        string,
        string,
        string,
        string | undefined,
        string | undefined,
        string,
      ];
      const native = attrs.match(/@db\.(\w+)(?:\(([^)]*)\))?/);
      model.fields.push({
        name: fieldName,
        type,
        list: !!list,
        optional: !!optional,
        column: attrs.match(/@map\(\s*"([^"]+)"\s*\)/)?.[1] ?? fieldName,
        nativeType: native ? { name: native[1]!, args: native[2] ? native[2].split(',').map((a) => a.trim()) : [] } : undefined,
        relation: false, // decided below, once every enum and model name is known
        id: /@id\b/.test(attrs),
        unique: /@unique\b/.test(attrs),
      });
    }
    if (!model.id) {
      const single = model.fields.find((x) => x.id);
      if (single) model.id = [single.name];
    }
    for (const x of model.fields.filter((x) => x.unique)) model.uniques.push([x.name]);
    models.push(model);
  }
  const enumNames = new Set(enums.map((e) => e.name));
  for (const m of models) for (const f of m.fields) f.relation = !SCALARS.has(f.type) && !enumNames.has(f.type);
  return { models, enums };
}

// ---------------------------------------------------------------------------------------------
// What PostgreSQL type each Prisma field needs (Prisma's PostgreSQL mapping and @db attributes)

interface ColumnType {
  /** information_schema.columns.udt_name (int8, text, timestamptz, _text, an enum's name, ...). */
  udt: string;
  precision?: number;
}

const DEFAULT_UDT: Record<string, string> = {
  String: 'text',
  Boolean: 'bool',
  Int: 'int4',
  BigInt: 'int8',
  Float: 'float8',
  Decimal: 'numeric',
  DateTime: 'timestamp',
  Json: 'jsonb',
  Bytes: 'bytea',
};

const NATIVE_UDT: Record<string, string> = {
  Text: 'text',
  VarChar: 'varchar',
  Char: 'bpchar',
  Uuid: 'uuid',
  Citext: 'citext',
  Inet: 'inet',
  SmallInt: 'int2',
  Integer: 'int4',
  BigInt: 'int8',
  Oid: 'oid',
  Real: 'float4',
  DoublePrecision: 'float8',
  Decimal: 'numeric',
  Money: 'money',
  Timestamp: 'timestamp',
  Timestamptz: 'timestamptz',
  Date: 'date',
  Time: 'time',
  Timetz: 'timetz',
  Boolean: 'bool',
  Bit: 'bit',
  VarBit: 'varbit',
  Json: 'json',
  JsonB: 'jsonb',
  ByteA: 'bytea',
  Xml: 'xml',
};

function expectedType(f: SchemaField, enums: Map<string, SchemaEnum>): ColumnType {
  const base = enums.get(f.type)?.dbName ?? (f.nativeType ? NATIVE_UDT[f.nativeType.name] : DEFAULT_UDT[f.type]);
  if (!base) throw new Error(`no PostgreSQL mapping known for ${f.type}${f.nativeType ? ` @db.${f.nativeType.name}` : ''}`);
  const temporal = ['timestamp', 'timestamptz', 'time', 'timetz'].includes(base);
  // Prisma's DateTime defaults to precision 3; @db.Timestamptz(6) etc. say otherwise.
  const precision = temporal ? Number(f.nativeType?.args[0] ?? 3) : undefined;
  return { udt: f.list ? `_${base}` : base, precision };
}

const describeType = (t: ColumnType) =>
  `${t.udt.startsWith('_') ? `${t.udt.slice(1)}[]` : t.udt}${t.precision !== undefined ? `(${t.precision})` : ''}`;

// ---------------------------------------------------------------------------------------------
// What the database has

interface DbColumn {
  table: string;
  column: string;
  udt: string;
  nullable: boolean;
  precision: number | null;
}

async function readDatabase(pool: Pool) {
  const columns = (
    await pool.query<DbColumn>(
      `SELECT table_name AS "table", column_name AS "column", udt_name AS udt, is_nullable = 'YES' AS nullable,
              datetime_precision AS precision
         FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`,
    )
  ).rows;
  const tables = (
    await pool.query<{ name: string }>(
      "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
    )
  ).rows.map((r) => r.name);
  const enums = (
    await pool.query<{ name: string; values: string[] }>(
      `SELECT t.typname AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS values
         FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE n.nspname = current_schema() GROUP BY t.typname`,
    )
  ).rows;
  // Primary keys and unique indexes (plain column lists, no expressions or predicates), as column sets.
  const keys = (
    await pool.query<{ table: string; primary: boolean; columns: string[] }>(
      `SELECT c.relname AS "table", i.indisprimary AS primary,
              array_agg(a.attname::text ORDER BY k.ord) AS columns
         FROM pg_index i
         JOIN pg_class c ON c.oid = i.indrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace
         CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
        WHERE n.nspname = current_schema() AND i.indisunique AND i.indpred IS NULL
        GROUP BY c.relname, i.indexrelid, i.indisprimary`,
    )
  ).rows;
  return { columns, tables, enums, keys };
}

// ---------------------------------------------------------------------------------------------
// The comparison

interface RuntimeField {
  name: string;
  kind: 'scalar' | 'enum' | 'object' | 'unsupported';
  type: string;
  dbName?: string;
}
interface RuntimeModel {
  dbName: string | null;
  fields: RuntimeField[];
}

function compare(
  runtime: Record<string, RuntimeModel>,
  schema: ReturnType<typeof parseSchema>,
  db: Awaited<ReturnType<typeof readDatabase>>,
): string[] {
  const problems: string[] = [];
  const enums = new Map(schema.enums.map((e) => [e.name, e]));
  const schemaModels = new Map(schema.models.map((m) => [m.name, m]));
  const sameSet = (a: string[], b: string[]) => a.length === b.length && [...a].sort().join('\0') === [...b].sort().join('\0');

  // The generated client must be generated from this schema.prisma (else `node scripts/prisma-generate.mjs`).
  for (const name of new Set([...Object.keys(runtime), ...schemaModels.keys()])) {
    const r = runtime[name];
    const s = schemaModels.get(name);
    if (!r) problems.push(`model ${name}: in schema.prisma but not in the generated client (run node scripts/prisma-generate.mjs)`);
    if (!s) problems.push(`model ${name}: in the generated client but not in schema.prisma (run node scripts/prisma-generate.mjs)`);
    if (!r || !s) continue;
    const rNames = r.fields.map((f) => f.name);
    const sNames = s.fields.map((f) => f.name);
    const onlySchema = sNames.filter((n) => !rNames.includes(n));
    const onlyClient = rNames.filter((n) => !sNames.includes(n));
    if (onlySchema.length > 0)
      problems.push(
        `model ${name}: fields ${onlySchema.join(', ')} are in schema.prisma but not in the generated client (run node scripts/prisma-generate.mjs)`,
      );
    if (onlyClient.length > 0)
      problems.push(
        `model ${name}: fields ${onlyClient.join(', ')} are in the generated client but not in schema.prisma (run node scripts/prisma-generate.mjs)`,
      );
  }

  const mappedTables = new Set<string>();
  for (const [modelName, model] of Object.entries(runtime)) {
    const s = schemaModels.get(modelName);
    const table = model.dbName ?? modelName;
    mappedTables.add(table);
    const columns = new Map(db.columns.filter((c) => c.table === table).map((c) => [c.column, c]));
    if (!db.tables.includes(table)) {
      problems.push(`model ${modelName}: table "${table}" does not exist in the migrated database`);
      continue;
    }
    const known = new Set<string>();
    const columnOf = new Map<string, string>();
    for (const f of model.fields) {
      if (f.kind === 'object') continue; // relations have no column of their own
      const sf = s?.fields.find((x) => x.name === f.name);
      const column = f.dbName ?? f.name;
      known.add(column);
      columnOf.set(f.name, column);
      const where = `${modelName}.${f.name} (${table}.${column})`;
      const c = columns.get(column);
      if (!c) {
        problems.push(`${where}: no such column in the migrated database`);
        continue;
      }
      if (!sf) continue; // already reported as a client/schema mismatch
      if (sf.column !== column) problems.push(`${where}: schema.prisma maps it to column "${sf.column}"`);
      const want = expectedType(sf, enums);
      const have: ColumnType = { udt: c.udt, precision: want.precision !== undefined ? (c.precision ?? undefined) : undefined };
      if (want.udt !== have.udt || want.precision !== have.precision) {
        problems.push(
          `${where}: schema says ${sf.type}${sf.list ? '[]' : ''} → ${describeType(want)}, database column is ${describeType(have)}`,
        );
      }
      // Optional ↔ NULL allowed. Lists are never optional in Prisma; we keep them NOT NULL too.
      if (sf.optional !== c.nullable) {
        problems.push(
          `${where}: schema says ${sf.optional ? 'optional (?)' : 'required'}, database column is ${c.nullable ? 'NULL' : 'NOT NULL'}`,
        );
      }
    }
    for (const column of columns.keys()) {
      if (!known.has(column)) problems.push(`model ${modelName} (${table}): database column "${column}" is not in schema.prisma`);
    }
    if (!s) continue;
    const keysOf = (primary: boolean) => db.keys.filter((k) => k.table === table && k.primary === primary).map((k) => k.columns);
    const cols = (fields: string[]) => fields.map((f) => columnOf.get(f) ?? f);
    if (s.id) {
      const pk = keysOf(true)[0];
      if (!pk || !sameSet(pk, cols(s.id))) {
        problems.push(`model ${modelName} (${table}): schema's @id is (${cols(s.id)}), database primary key is (${pk ?? 'none'})`);
      }
    }
    for (const u of s.uniques) {
      if (!keysOf(false).some((k) => sameSet(k, cols(u)))) {
        problems.push(`model ${modelName} (${table}): schema's @unique (${cols(u)}) has no unique index in the database`);
      }
    }
  }

  for (const table of db.tables) {
    if (!mappedTables.has(table) && table !== '_prisma_migrations')
      problems.push(`table "${table}" exists in the database but no model maps to it`);
  }
  for (const e of schema.enums) {
    const dbEnum = db.enums.find((x) => x.name === e.dbName);
    if (!dbEnum) problems.push(`enum ${e.name}: type "${e.dbName}" does not exist in the database`);
    else if (dbEnum.values.join(',') !== e.values.join(',')) {
      problems.push(`enum ${e.name} (${e.dbName}): schema values [${e.values}], database values [${dbEnum.values}]`);
    }
  }
  for (const e of db.enums) {
    if (!schema.enums.some((x) => x.dbName === e.name))
      problems.push(`enum type "${e.name}" exists in the database but not in schema.prisma`);
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------

describe('schema drift: schema.prisma ↔ the migrated database', () => {
  let testDb: TestDatabase;
  let pool: Pool;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    pool = createPool({ url: testDb.url, max: 2, applicationName: 'correio-schema-drift' });
  });
  afterAll(async () => {
    await pool?.end();
    await testDb?.drop();
  });

  it('applies every migration once; a second run is a no-op', async () => {
    const names = readMigrations().map((m) => m.name);
    expect(names.length).toBeGreaterThan(0);
    expect(await migrate(pool)).toEqual({ applied: names, alreadyApplied: [] });
    expect(await migrate(pool)).toEqual({ applied: [], alreadyApplied: names });
    const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM "_prisma_migrations"');
    expect(rows[0]!.n).toBe(names.length);
  });

  it('every model, field, type, nullability, key and enum agrees (and nothing extra exists)', async () => {
    // The generated client's runtime data model: models, fields, kinds, types, table/column names.
    const client = createPrismaClient(pool) as unknown as { _runtimeDataModel: { models: Record<string, RuntimeModel> } };
    const runtime = client._runtimeDataModel.models;
    expect(Object.keys(runtime).length).toBeGreaterThan(0);
    const schema = parseSchema(readFileSync(SCHEMA_PATH, 'utf8'));
    const problems = compare(runtime, schema, await readDatabase(pool));
    expect(problems, `schema.prisma and the migrations disagree:\n  ${problems.join('\n  ')}\n`).toEqual([]);
  });

  it('notices a column added by SQL only, and a column whose type or nullability changed', async () => {
    // The comparison itself must be able to fail: drift one table on purpose, in a transaction
    // that is rolled back.
    const runtime = (createPrismaClient(pool) as unknown as { _runtimeDataModel: { models: Record<string, RuntimeModel> } })
      ._runtimeDataModel.models;
    const schema = parseSchema(readFileSync(SCHEMA_PATH, 'utf8'));
    const client = await pool.connect();
    try {
      const baseline = compare(runtime, schema, await readDatabase(client as unknown as Pool));
      await client.query('BEGIN');
      await client.query('ALTER TABLE domains ADD COLUMN sneaky text');
      await client.query('ALTER TABLE domains ALTER COLUMN catch_all SET NOT NULL');
      await client.query('ALTER TABLE accounts ALTER COLUMN used_bytes TYPE integer');
      await client.query('CREATE TABLE orphans (id int)');
      const problems = compare(runtime, schema, await readDatabase(client as unknown as Pool));
      expect(problems.filter((p) => !baseline.includes(p))).toEqual([
        'Domain.catchAll (domains.catch_all): schema says optional (?), database column is NOT NULL',
        'model Domain (domains): database column "sneaky" is not in schema.prisma',
        'Account.usedBytes (accounts.used_bytes): schema says BigInt → int8, database column is int4',
        'table "orphans" exists in the database but no model maps to it',
      ]);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });

  it('refuses a migration that was modified after it was applied, and applies a new one', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'correio-migrations-'));
    try {
      cpSync(defaultMigrationsDir, dir, { recursive: true });
      const [first] = readMigrations(dir);
      // Add a new migration: only it is applied.
      const added = path.join(dir, '99991231000000_drift_probe');
      cpSync(path.join(dir, first!.name), added, { recursive: true });
      writeFileSync(path.join(added, 'migration.sql'), 'CREATE TABLE drift_probe (id int);\n');
      const names = readMigrations().map((m) => m.name);
      expect(await migrate(pool, dir)).toEqual({ applied: ['99991231000000_drift_probe'], alreadyApplied: names });
      // Edit an applied one: refused, and nothing runs.
      writeFileSync(path.join(dir, first!.name, 'migration.sql'), `${first!.sql}\n-- edited later\n`);
      await expect(migrate(pool, dir)).rejects.toThrow(`migration ${first!.name} was modified after it was applied`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await pool.query('DROP TABLE IF EXISTS drift_probe');
      await pool.query(`DELETE FROM "_prisma_migrations" WHERE migration_name = '99991231000000_drift_probe'`);
    }
  });
});
