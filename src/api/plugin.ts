import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** The plugin that puts a principal on every request; route plugins declare that they need it. */
export const AUTH_PLUGIN = 'otklik-auth';

/**
 * A named route plugin with its dependencies declared, so fastify refuses to start when a route
 * group is registered before what it relies on (the principal above all). It stays encapsulated:
 * the hooks a group adds (its access check) cover exactly its own routes.
 */
export function routePlugin<O extends object>(name: string, register: (app: FastifyInstance, deps: O) => void | Promise<void>, dependencies: readonly string[] = [AUTH_PLUGIN]) {
  return fp<O>(
    async (app, deps) => {
      await register(app, deps);
    },
    { name, dependencies: [...dependencies], encapsulate: true, fastify: '5.x' },
  );
}
