/**
 * `npm run -s routes:check`: the route table's routes that can never win, change nothing, name a
 * territory the gazetteer does not know or an administration nobody is. Exit 1 when there are any.
 */
import { loadConfig } from '../config/config.js';
import { isOtklikError } from '../core/errors.js';
import { checkRoutes } from '../core/routing/route-check.js';
import { loadRules } from '../roles/rules.js';

function main(): void {
  const rules = loadRules(loadConfig(process.env));
  const known = new Set(rules.territories.list().map((t) => t.id));
  const administered = rules.bodies.all().flatMap((b) => (b.administration && b.territory ? [b.territory] : []));
  const table = rules.router.routes();
  const problems = checkRoutes(table, { knownTerritory: (id) => known.has(id), contains: (o, i) => rules.territories.contains(o, i), administered });
  for (const p of problems) process.stdout.write(`${p.kind}: ${p.message}\n`);
  process.stdout.write(`${table.routes.length} routes, ${problems.length} problem(s)\n`);
  if (problems.length > 0) process.exitCode = 1;
}

try {
  main();
} catch (e: unknown) {
  process.stderr.write(`routes:check: ${isOtklikError(e) ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 2;
}
