import { describe, expect, it } from 'vitest';
import { ConnectorRegistry, parseSourcesFile } from '../../../src/connector/registry.js';
import { connectorFactories } from '../../../connectors/index.js';

const env = { resolvePath: (p: string) => p, now: () => new Date(), secret: () => undefined };

describe('ConnectorRegistry', () => {
  const registry = new ConnectorRegistry(connectorFactories);

  it('builds the connectors named in config', () => {
    const [c] = registry.build([{ id: 'city', type: 'replay', territory: 'Энск', options: { file: 'x.jsonl', ratePerSecond: 5 } }], env, 'sources.json');
    expect(c).toMatchObject({ sourceId: 'city', type: 'replay', itemsPerSecond: 5 });
  });

  it('rejects an unknown source type, naming the file, the entry and the known types', () => {
    expect(() => registry.build([{ id: 'a', type: 'myspace', options: {} }], env, 'rules/sources.json')).toThrow(
      expect.objectContaining({ code: 'SOURCE_UNKNOWN_TYPE', message: expect.stringMatching(/rules\/sources\.json: sources\[0\] \(a\): unknown source type "myspace" \(known: ok-group, replay, telegram, telegram-mtproto, telegram-web, vk-search, vk-wall\)/) }),
    );
  });

  it('lists every bad option and duplicate id at once', () => {
    let message = '';
    try {
      registry.build(
        [
          { id: 'a', type: 'replay', options: { file: '', ratePerSecond: -1 } },
          { id: 'a', type: 'replay', options: { file: 'x', extra: true } },
        ],
        env,
        'sources.json',
      );
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('options.file');
    expect(message).toContain('options.ratePerSecond');
    expect(message).toContain('duplicate source id');
    expect(message).toContain('Unrecognized key');
  });
});

describe('parseSourcesFile', () => {
  it('parses a sources file and defaults options', () => {
    expect(parseSourcesFile('{"sources":[{"id":"a","type":"replay"}]}', 'f')).toEqual([{ id: 'a', type: 'replay', options: {} }]);
  });
  it('names the file and key on bad input', () => {
    expect(() => parseSourcesFile('{"sources":[{"id":"a b","type":"replay"}]}', 'rules/sources.json')).toThrow(/rules\/sources\.json: sources\.0\.id/);
    expect(() => parseSourcesFile('{oops', 'rules/sources.json')).toThrow(/rules\/sources\.json: not valid JSON/);
  });
});
