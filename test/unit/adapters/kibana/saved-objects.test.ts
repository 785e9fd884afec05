import { beforeEach, describe, expect, it } from 'vitest';
import { FormData, MockAgent } from 'undici';
import { importSavedObjects, waitForKibana } from '../../../../src/adapters/kibana/saved-objects.js';

const URL = 'http://kibana.test:5601';
let agent: MockAgent;
beforeEach(() => {
  agent = new MockAgent();
  agent.disableNetConnect();
});
const opts = () => ({ url: URL, timeoutMs: 1000, dispatcher: agent, apiKey: 'a2liYW5hLWtleQ==' });

describe('Kibana saved objects import', () => {
  it('posts the bundle as multipart with kbn-xsrf and overwrite, and counts the objects', async () => {
    let headers: Record<string, string> = {};
    let body: unknown;
    agent
      .get(URL)
      .intercept({ path: '/api/saved_objects/_import?overwrite=true', method: 'POST' })
      .reply(200, (o) => {
        headers = o.headers as Record<string, string>;
        body = o.body;
        return { success: true, successCount: 6, successResults: [] };
      });
    expect(await importSavedObjects(opts(), 'sla.ndjson', '{"type":"lens"}\n')).toBe(6);
    expect(headers['kbn-xsrf']).toBe('true');
    expect(headers.authorization).toBe('ApiKey a2liYW5hLWtleQ==');
    expect(body).toBeInstanceOf(FormData);
    const file = (body as FormData).get('file') as File;
    expect(file.name).toBe('sla.ndjson');
    expect(await file.text()).toBe('{"type":"lens"}\n');
  });

  it('a 200 with success false names every failed object', async () => {
    agent.get(URL).intercept({ path: '/api/saved_objects/_import?overwrite=true', method: 'POST' }).reply(200, {
      success: false,
      successCount: 4,
      errors: [{ id: 'otklik-sla-bodies', type: 'lens', error: { type: 'missing_references' } }, { id: 'otklik-sla', type: 'dashboard', error: { type: 'conflict' } }],
    });
    await expect(importSavedObjects(opts(), 'sla.ndjson', '{}')).rejects.toMatchObject({
      code: 'KIBANA_IMPORT_FAILED',
      message: 'sla.ndjson: 2 objects failed: lens otklik-sla-bodies: missing_references; dashboard otklik-sla: conflict',
    });
  });

  it('waits for the status API to answer 200', async () => {
    agent.get(URL).intercept({ path: '/api/status', method: 'GET' }).reply(503, {});
    agent.get(URL).intercept({ path: '/api/status', method: 'GET' }).reply(200, { status: { overall: { level: 'available' } } });
    await waitForKibana(opts(), 3, 10);
    agent.get(URL).intercept({ path: '/api/status', method: 'GET' }).reply(503, {}).times(2);
    await expect(waitForKibana(opts(), 2, 10)).rejects.toMatchObject({ code: 'KIBANA_IMPORT_FAILED' });
  });
});
