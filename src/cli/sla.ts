/** Entry point of `npm run -s sla -- deadline ...`; see sla-command.ts. */
import { isOtklikError } from '../core/errors.js';
import { run } from './sla-command.js';

try {
  process.stdout.write(run(process.argv.slice(2)) + '\n');
} catch (e) {
  const message = isOtklikError(e) ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e);
  process.stderr.write(`sla: ${message}\n`);
  process.exitCode = 2;
}
