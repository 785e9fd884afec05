/**
 * The direction of imports, checked by `npm run lint` (dependency-cruiser). The folders show the
 * data flow connector → pipeline → incidents → index → API; dependencies point inwards:
 *
 *   core (the domain, pure)  ←  ports (interfaces of stores and outside services)
 *   ←  application: pipeline, incidents, learning, routing, reports, retention, training
 *   ←  adapters (Redis, queues, search, notify, files), api (HTTP)  ←  roles, cli (composition)
 *
 * Connectors (plugins, `connectors/`) use only the connector kit (`src/connector`), the domain and
 * the shared platform HTTP clients (`src/platform`). No cycles anywhere.
 */
const APP = '^src/(pipeline|incidents|learning|routing|reports|retention|training)/';
module.exports = {
  forbidden: [
    { name: 'no-cycles', severity: 'error', comment: 'a cycle makes two modules one; split what they share', from: {}, to: { circular: true } },
    {
      name: 'core-is-pure',
      severity: 'error',
      comment: 'the domain imports only the domain',
      from: { path: '^src/core/' },
      to: { path: '^(src/(?!core/)|connectors/)' },
    },
    { name: 'ports-see-only-the-domain', severity: 'error', from: { path: '^src/ports/' }, to: { path: '^(src/(?!core/|ports/)|connectors/)' } },
    { name: 'platform-sees-only-the-domain', severity: 'error', from: { path: '^src/platform/' }, to: { path: '^(src/(?!core/|platform/)|connectors/)' } },
    {
      name: 'connector-kit',
      severity: 'error',
      comment: 'the connector kit is what connectors build on: the domain, ports and platform clients only',
      from: { path: '^src/connector/' },
      to: { path: '^(src/(?!core/|ports/|platform/|connector/)|connectors/)' },
    },
    {
      name: 'connectors-use-the-kit',
      severity: 'error',
      comment: 'a connector sees the connector kit, the domain and the platform clients, nothing of the engine',
      from: { path: '^connectors/' },
      to: { path: '^src/(?!connector/|core/|platform/)' },
    },
    {
      name: 'application-uses-ports',
      severity: 'error',
      comment: 'the application reaches stores and outside services through ports, never adapters, the API or the composition',
      from: { path: APP },
      to: { path: '^(src/(adapters|api|roles|cli)/|connectors/)' },
    },
    {
      name: 'incidents-before-pipeline',
      severity: 'error',
      comment: 'posts flow into incidents: the pipeline may hand alerts to incidents, incidents never reach back',
      from: { path: '^src/incidents/' },
      to: { path: '^src/pipeline/' },
    },
    {
      name: 'adapters-implement-ports',
      severity: 'error',
      comment: 'an adapter implements a port: it sees the domain, the ports and platform clients, not the application that uses it',
      from: { path: '^src/adapters/' },
      to: { path: '^(src/(pipeline|incidents|learning|routing|reports|retention|api|roles|cli)/|connectors/)' },
    },
    {
      name: 'api-uses-services-and-ports',
      severity: 'error',
      comment: 'the HTTP edge is handed ready services; it builds no store',
      from: { path: '^src/api/' },
      to: { path: '^(src/(adapters|roles|cli)/|connectors/)' },
    },
    {
      name: 'config-is-a-leaf',
      severity: 'error',
      from: { path: '^src/config/' },
      to: { path: '^(src/(?!core/|config/)|connectors/)' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // Imports name the built `.js`; TypeScript's resolution (tsConfig) finds the `.ts` sources.
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
    exclude: { path: '^(node_modules|dist|data)/' },
  },
};
