/**
 * A URL as it may be shown: scheme, host and port only. Webhook paths and queries often are the
 * credential (Slack-style /services/T…/B…/secret, ?key=), and user:password may sit before the host.
 */
export function urlOrigin(url: string): string {
  if (!URL.canParse(url)) return '(unparseable url)';
  const u = new URL(url);
  const hidden = u.pathname !== '/' || u.search !== '' || u.hash !== '';
  return `${u.protocol}//${u.host}${hidden ? '/…' : ''}`;
}
