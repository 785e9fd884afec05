import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';

/**
 * A stand-in for an Elasticsearch node on loopback, for fault tests of the whole engine (no real
 * cluster runs here): it answers the calls the engine's bootstrap and bulk writes make, keeps the
 * documents by index alias and id, and can be taken down (connections cut, the port refusing) and brought back on the same port.
 * Request shapes are checked by the contract tests; this only has to be a node that comes and goes.
 */
export class FakeElasticsearch {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private port = 0;
  private readonly aliases = new Set<string>();
  /** Documents by target (alias or data stream) and id; a write of the same id replaces. */
  readonly docs = new Map<string, Map<string, unknown>>();
  /** Targets (alias or data stream) whose documents are refused for good, as a mapping error would. */
  refuse = new Set<string>();
  /** A slow cluster: each bulk request is answered after this long. */
  bulkDelayMs = 0;
  /** Requests answered, and the bulk ones among them. */
  readonly counts = { requests: 0, bulk: 0 };
  url = '';

  async start(): Promise<void> {
    await this.listen(0);
    this.url = `http://127.0.0.1:${this.port}`;
  }

  private async listen(port: number): Promise<void> {
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        this.counts.requests++;
        const path = new URL(req.url ?? '/', 'http://x').pathname;
        const [status, answer] = this.answer(req.method ?? 'GET', path, body);
        const send = () => {
          res.writeHead(status, { 'content-type': 'application/json', 'x-elastic-product': 'Elasticsearch' });
          res.end(req.method === 'HEAD' ? undefined : JSON.stringify(answer));
        };
        if (path === '/_bulk' && this.bulkDelayMs > 0) setTimeout(send, this.bulkDelayMs);
        else send();
      });
    });
    server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.once('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
    const addr = server.address();
    this.port = typeof addr === 'object' && addr ? addr.port : 0;
    this.server = server;
  }

  /** The node dies: open connections are cut and the port refuses new ones. */
  async takeDown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise<void>((r) => server.close(() => r()));
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    await closed;
  }

  /** The node is back on the same address. */
  async bringUp(): Promise<void> {
    if (!this.server) await this.listen(this.port);
  }

  count(target: string): number {
    return this.docs.get(target)?.size ?? 0;
  }

  async stop(): Promise<void> {
    await this.takeDown();
  }

  private answer(method: string, path: string, body: string): [number, unknown] {
    if (path === '/_cluster/health') return [200, { cluster_name: 'fake', status: 'green' }];
    if (path === '/_bulk') return [200, this.bulk(body)];
    const alias = /^\/_alias\/([^/]+)$/.exec(path);
    if (alias && method === 'HEAD') return [this.aliases.has(decodeURIComponent(alias[1] ?? '')) ? 200 : 404, {}];
    const index = /^\/([^_/][^/]*)$/.exec(path);
    if (index && method === 'PUT') {
      const parsed = JSON.parse(body || '{}') as { aliases?: Record<string, unknown> };
      for (const a of Object.keys(parsed.aliases ?? {})) this.aliases.add(a);
      return [200, { acknowledged: true, index: decodeURIComponent(index[1] ?? '') }];
    }
    // Lifecycle policies and templates: acknowledged.
    return [200, { acknowledged: true }];
  }

  private bulk(body: string): unknown {
    this.counts.bulk++;
    const lines = body.split('\n').filter((l) => l !== '');
    const items: unknown[] = [];
    for (let i = 0; i + 1 < lines.length; i += 2) {
      const action = JSON.parse(lines[i] ?? '{}') as Record<string, { _index: string; _id: string }>;
      const [op, meta] = Object.entries(action)[0] ?? ['index', { _index: '?', _id: '?' }];
      const target = this.docs.get(meta._index) ?? new Map<string, unknown>();
      this.docs.set(meta._index, target);
      if (this.refuse.has(meta._index)) {
        items.push({ [op]: { _index: meta._index, _id: meta._id, status: 400, error: { type: 'mapper_parsing_exception', reason: 'failed to parse' } } });
        continue;
      }
      const existed = target.has(meta._id);
      if (op === 'create' && existed) {
        items.push({ [op]: { _index: meta._index, _id: meta._id, status: 409, error: { type: 'version_conflict_engine_exception', reason: 'exists' } } });
        continue;
      }
      target.set(meta._id, JSON.parse(lines[i + 1] ?? '{}'));
      items.push({ [op]: { _index: meta._index, _id: meta._id, _version: 1, result: existed ? 'updated' : 'created', status: existed ? 200 : 201 } });
    }
    return { took: 1, errors: items.some((it) => (Object.values(it as Record<string, { status: number }>)[0]?.status ?? 200) >= 300), items };
  }
}
