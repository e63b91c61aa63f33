// Lint Cypher statements with Neo4j's own parser and semantic analysis, without a server.
//
// Input (stdin): JSON lines, or one JSON array, of {"id": ..., "query": "...", "params": ["name", ...]}.
// Output (stdout): one JSON object {"linter": {...}, "results": [{"id", "diagnostics", "statements",
// "unused_params"}]}. A diagnostic is {"severity", "message", "line", "column", "start", "end"} with
// 1-based line/column and 0-based character offsets into the query.
// Exit status: 0 when no statement has a diagnostic, 1 when some have, 2 on unusable input.
//
// Options:
//   --schema FILE         JSON with labels, relationshipTypes, propertyKeys and graphSchema
//                         ([{from, relType, to}]): unknown labels, types, properties and impossible
//                         pattern directions are then reported as warnings.
//   --cypher-version V    "5" (default: what Neo4j 5.x servers speak) or "25".
//
// Beyond lintCypherQuery itself: built-in functions are declared (from the package's own function
// registry, APOC/GDS left out) so a function Neo4j does not have is reported; console commands
// (":param") are refused; more than one statement in one query is reported, because the driver
// runs exactly one statement per call.
//
// Each statement takes the semantic analysis a few hundred milliseconds, so a large batch is
// split over worker threads, one per core (--jobs N to choose).

import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

import { lintCypherQuery, parseParameters, parseStatementsStrs, testData } from '@neo4j-cypher/language-support';

const SEVERITY = { 1: 'error', 2: 'warning', 3: 'information', 4: 'hint' };

function fail(message) {
  process.stderr.write(`cypher-lint: ${message}\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const options = { schema: null, cypherVersion: '5', jobs: availableParallelism() };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--schema') options.schema = argv[++i];
    else if (arg === '--cypher-version') options.cypherVersion = argv[++i];
    else if (arg === '--jobs') options.jobs = Number.parseInt(argv[++i], 10);
    else if (arg === '-h' || arg === '--help') {
      process.stdout.write(
        'usage: node lint.mjs [--schema FILE] [--cypher-version 5|25] [--jobs N] < statements.jsonl\n',
      );
      process.exit(0);
    } else fail(`unknown argument ${JSON.stringify(arg)}`);
  }
  if (!['5', '25'].includes(options.cypherVersion)) fail('--cypher-version must be 5 or 25');
  if (!(options.jobs >= 1)) fail('--jobs must be a whole number of at least 1');
  return options;
}

function readStatements(text) {
  const trimmed = text.trim();
  if (!trimmed) return [];
  let items;
  try {
    items = trimmed.startsWith('[')
      ? JSON.parse(trimmed)
      : trimmed.split('\n').filter((line) => line.trim()).map((line) => JSON.parse(line));
  } catch (err) {
    fail(`input is not JSON lines or a JSON array: ${err.message}`);
  }
  items.forEach((item, index) => {
    if (typeof item !== 'object' || item === null || typeof item.query !== 'string') {
      fail(`item ${index}: expected {"id", "query": string, "params": [names]}`);
    }
    if (item.params !== undefined && !Array.isArray(item.params)) fail(`item ${index}: "params" must be a list of names`);
  });
  return items;
}

// Neo4j's built-in functions for one Cypher version, without plugins (APOC, GDS) that a plain
// Neo4j Community server does not have.
function builtInFunctions(version) {
  const registry = testData.mockSchema.functions?.[version] ?? {};
  return Object.fromEntries(Object.entries(registry).filter(([, fn]) => fn.isBuiltIn));
}

function buildSchema(options) {
  const version = `CYPHER ${options.cypherVersion}`;
  const schema = { defaultLanguage: version, functions: { [version]: builtInFunctions(version) } };
  if (options.schema) {
    let given;
    try {
      given = JSON.parse(readFileSync(options.schema, 'utf8'));
    } catch (err) {
      fail(`cannot read schema ${options.schema}: ${err.message}`);
    }
    for (const key of ['labels', 'relationshipTypes', 'propertyKeys', 'graphSchema']) {
      if (given[key] !== undefined) schema[key] = given[key];
    }
  }
  return schema;
}

function diagnostic(d, severity, message) {
  return {
    severity: severity ?? SEVERITY[d.severity] ?? String(d.severity),
    message: message ?? d.message,
    line: d.range.start.line + 1,
    column: d.range.start.character + 1,
    start: d.offsets.start,
    end: d.offsets.end,
  };
}

function lintOne(item, baseSchema) {
  const params = item.params ?? [];
  // Only presence matters to the linter; the value is a placeholder.
  const schema = { ...baseSchema, parameters: Object.fromEntries(params.map((name) => [name, null])) };
  const diagnostics = lintCypherQuery(item.query, schema, { consoleCommandsEnabled: false }).diagnostics.map((d) =>
    diagnostic(d),
  );
  const statements = parseStatementsStrs(item.query).length;
  if (statements === 0) {
    diagnostics.push({ severity: 'error', message: 'No statement.', line: 1, column: 1, start: 0, end: 0 });
  } else if (statements > 1) {
    diagnostics.push({
      severity: 'error',
      message: `${statements} statements in one query; the driver runs one statement per call.`,
      line: 1,
      column: 1,
      start: 0,
      end: item.query.length,
    });
  }
  let used = [];
  try {
    used = parseParameters(item.query, false);
  } catch {
    used = params; // a query that does not parse already has its diagnostic
  }
  const unused = params.filter((name) => !used.includes(name));
  return { id: item.id ?? null, diagnostics, statements, unused_params: unused };
}

// Lint `items` on `jobs` threads; results in input order.
async function lintAll(items, schema, jobs) {
  const perWorker = 6; // below this, starting a thread (loading the analyser) costs more than it saves
  const workers = Math.max(1, Math.min(jobs, Math.floor(items.length / perWorker)));
  if (workers === 1) return items.map((item) => lintOne(item, schema));
  const slices = Array.from({ length: workers }, (_, w) => items.filter((_, i) => i % workers === w));
  const done = await Promise.all(
    slices.map(
      (slice) =>
        new Promise((resolve, reject) => {
          const worker = new Worker(new URL(import.meta.url), { workerData: { items: slice, schema } });
          worker.once('message', resolve);
          worker.once('error', reject);
        }),
    ),
  );
  return items.map((_, i) => done[i % workers][Math.floor(i / workers)]);
}

if (!isMainThread) {
  parentPort.postMessage(workerData.items.map((item) => lintOne(item, workerData.schema)));
} else {
  const options = parseArgs(process.argv.slice(2));
  const schema = buildSchema(options);
  const items = readStatements(readFileSync(0, 'utf8'));
  const results = await lintAll(items, schema, options.jobs);
  const pkg = JSON.parse(
    readFileSync(
      fileURLToPath(new URL('./node_modules/@neo4j-cypher/language-support/package.json', import.meta.url)),
      'utf8',
    ),
  );
  process.stdout.write(
    JSON.stringify({
      linter: { package: pkg.name, version: pkg.version, cypher_version: options.cypherVersion },
      results,
    }) + '\n',
  );
  process.exitCode = results.some((r) => r.diagnostics.length > 0) ? 1 : 0;
}
