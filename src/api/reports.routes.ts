import { routePlugin } from './plugin.js';
import { z } from 'zod';
import type { AccessPolicy } from '../core/access/access-policy.js';
import { monthSchema, quarterSchema } from '../core/reports/periods.js';
import type { ReportService } from '../reports/report-service.js';
import { monthlyCsv, monthlyHtml, quarterlyCsv, quarterlyHtml } from '../reports/render.js';
import { principalOf } from './auth.js';

const format = z.enum(['json', 'html', 'csv']).default('html');
const monthlyQuery = z.object({ month: monthSchema, region: z.string().trim().min(1).max(200).optional(), format }).strict();
const quarterlyQuery = z.object({ quarter: quarterSchema, format }).strict();

/** The monthly analytical note per region and the quarterly rating of bodies. */
export const reportRoutes = routePlugin<{ reports: ReportService; access: AccessPolicy; zone: string }>('otklik-report-routes', (app, d) => {
  app.get('/reports/monthly', { schema: { querystring: monthlyQuery, tags: ['reports'], summary: 'Monthly analytical note for a region (HTML, CSV or JSON)' } }, async (req, reply) => {
    const who = principalOf(req);
    d.access.require(who, 'reports');
    const q = req.query as z.infer<typeof monthlyQuery>;
    // A moderator of some regions reads their regions' notes only.
    d.access.requireRegion(who, q.region);
    const note = await d.reports.monthly(q.month, q.region, d.zone);
    if (q.format === 'json') return note;
    const file = `otklik-${q.month}${q.region ? '-region' : ''}.${q.format}`;
    void reply.header('content-disposition', `inline; filename="${file}"`);
    if (q.format === 'csv') return reply.type('text/csv; charset=utf-8').send(monthlyCsv(note));
    return reply.type('text/html; charset=utf-8').header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'").send(monthlyHtml(note));
  });
  app.get('/reports/quarterly', { schema: { querystring: quarterlyQuery, tags: ['reports'], summary: 'Quarterly rating of bodies (HTML, CSV or JSON)' } }, async (req, reply) => {
    const who = principalOf(req);
    d.access.require(who, 'reports');
    const q = req.query as z.infer<typeof quarterlyQuery>;
    // A moderator of some regions rates their regions' bodies only.
    const rating = await d.reports.quarterly(q.quarter, d.zone, d.access.reportBodies(who));
    if (q.format === 'json') return rating;
    void reply.header('content-disposition', `inline; filename="otklik-rating-${q.quarter}.${q.format}"`);
    if (q.format === 'csv') return reply.type('text/csv; charset=utf-8').send(quarterlyCsv(rating));
    return reply.type('text/html; charset=utf-8').header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'").send(quarterlyHtml(rating));
  });
});
