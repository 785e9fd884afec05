import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { OtklikError } from '../core/errors.js';

/**
 * Real residents' appeals with the category a control centre filed them under, as in
 * `../shared/data/appeals-kursk/` (`{"id","text","category","executor"}` per line). For measuring
 * only: such sets carry no licence to ship, so nothing built from them goes into `rules/`.
 */
const appealSchema = z.object({ id: z.union([z.string(), z.number()]).transform(String), text: z.string(), category: z.string(), executor: z.string().optional() }).passthrough();
export type Appeal = z.infer<typeof appealSchema>;

export function readAppeals(path: string): Appeal[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((line, i) => {
      const parsed = appealSchema.safeParse(JSON.parse(line));
      if (!parsed.success) throw new OtklikError('RULES_INVALID', `${path}:${i + 1}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      return parsed.data;
    });
}

/** The six groups the real-data targets are stated for. */
export const SIX_GROUPS = ['roads', 'lighting', 'waste', 'housing', 'landscaping', 'snow'] as const;

/**
 * The project's group for a control centre's category, read from the category's own words (the
 * mapping is by meaning, not a list of one region's categories): snow and ice; lighting (but the
 * cleaning and lighting of a block's entrance halls is the managing company's, so housing); power
 * lines and supply are utilities (housing); dumps and household waste; street and yard cleaning
 * are waste; heating, water, sewerage, managing companies and blocks of flats are housing; road
 * surfaces, sidewalks, traffic lights, signs, crossings, parking, manholes and storm drains are
 * roads; trees, lawns, parks, playgrounds, weeds, facades, monuments and restored landscaping are
 * landscaping. Anything else (health, transport, payments, smells from plants) is outside the six.
 */
export function groupOfCategory(category: string): string | undefined {
  const c = category.toLowerCase();
  if (/снег|налед/u.test(c)) return 'snow';
  if (/уборка и освещение|уборке и освещению/u.test(c)) return 'housing';
  if (/освещени/u.test(c)) return 'lighting';
  if (/электросет|энергоснабж/u.test(c)) return 'housing';
  if (/свалк|твёрдых бытовых|твердых бытовых|жидких бытовых/u.test(c)) return 'waste';
  if (/уборка улиц|уборка дворовой/u.test(c)) return 'waste';
  if (/теплоснабж|водоснабж|водоотвед|управляющ|многоквартирного дома|лифт|оплаты (?:услуг жкх|коммунальн)|аварийное жиль/u.test(c)) return 'housing';
  if (/дорожн|дорог|тротуар|светофор|парковк|пешеходн|люков|ливнев|искусственные неровности|разметк/u.test(c)) return 'roads';
  if (/деревь|клумб|газон|парков и скверов|площадк|сорная|благоустройств|фасад|памятник|архитектурн|вырубка/u.test(c)) return 'landscaping';
  return undefined;
}
