import { SaxesParser } from 'saxes';
import { streamXml } from './xml-stream.js';
import type { GarLink, GarObject } from '../../core/classify/gazetteer-gar.js';

/**
 * Streams the elements of a ГАР XML file (one self-closing element per record, attributes only)
 * through saxes: a region's files run to gigabytes, so nothing is read whole.
 */
async function eachRecord(path: string, element: string, onRecord: (attrs: Record<string, string>) => void): Promise<number> {
  const parser = new SaxesParser();
  let n = 0;
  parser.on('opentag', (tag) => {
    if (tag.name !== element) return;
    const attrs: Record<string, string> = {};
    for (const [k, v] of Object.entries(tag.attributes)) attrs[k] = String(v);
    onRecord(attrs);
    n++;
  });
  await streamXml(path, parser, 'a ГАР XML');
  return n;
}

export async function readGarObjects(path: string): Promise<GarObject[]> {
  const out: GarObject[] = [];
  await eachRecord(path, 'OBJECT', (a) => {
    if (!a.OBJECTID || !a.NAME || !a.LEVEL) return;
    out.push({ id: a.OBJECTID, name: a.NAME, typeName: a.TYPENAME ?? '', level: Number(a.LEVEL), active: a.ISACTUAL === '1' && a.ISACTIVE === '1' });
  });
  return out;
}

export async function readGarHierarchy(path: string): Promise<GarLink[]> {
  const out: GarLink[] = [];
  await eachRecord(path, 'ITEM', (a) => {
    if (!a.OBJECTID || !a.PARENTOBJID) return;
    out.push({ id: a.OBJECTID, parentId: a.PARENTOBJID, active: a.ISACTIVE === '1' });
  });
  return out;
}
