import { load } from 'cheerio';

/** One post as the public web preview (`t.me/s/<channel>`) shows it. */
export interface PreviewPost {
  id: number;
  channel: string;
  text: string;
  /** ISO instant from the post's `<time datetime>`. */
  date: string;
  edited: boolean;
  views?: number;
  author?: string;
}

export interface PreviewPage {
  posts: PreviewPost[];
  /** Whether the page looks like a channel history at all (markup changes, hidden channels). */
  recognised: boolean;
}

/** "1.2K" → 1200, "3M" → 3000000: the preview rounds view counts. */
function parseViews(text: string): number | undefined {
  const m = /^([\d.,]+)\s*([KM]?)$/i.exec(text.trim());
  if (!m) return undefined;
  const n = Number((m[1] as string).replace(',', '.'));
  if (!Number.isFinite(n)) return undefined;
  const scale = m[2]?.toUpperCase() === 'K' ? 1e3 : m[2]?.toUpperCase() === 'M' ? 1e6 : 1;
  return Math.round(n * scale);
}

/**
 * Reads the posts of a `t.me/s/<channel>` page. The markup is Telegram's and can change without
 * notice, so only a few long-standing hooks are relied on — `data-post="<channel>/<id>"` on each
 * message, the message text block, `<time datetime>` — and a page without them is reported as not
 * recognised instead of as "no posts". Service messages (photo changed, pinned...) are skipped.
 */
export function parsePreviewPage(html: string): PreviewPage {
  const $ = load(html);
  const messages = $('[data-post]');
  const recognised = messages.length > 0 || $('.tgme_channel_history').length > 0;
  const posts: PreviewPost[] = [];
  messages.each((_, el) => {
    const node = $(el);
    // `service_message` is a class of the message element itself (photo changed, pinned...).
    if (node.hasClass('service_message')) return;
    const m = /^([A-Za-z0-9_]{3,64})\/(\d+)$/.exec(node.attr('data-post') ?? '');
    const datetime = node.find('time[datetime]').first().attr('datetime');
    const date = datetime ? new Date(datetime) : undefined;
    if (!m || !date || Number.isNaN(date.getTime())) return;
    // The text block of the message itself, never a quoted reply inside it (the quote is a
    // `metatext` today, was a `message_text` before: both stay out).
    const textNode = node.find('.tgme_widget_message_text').not('.tgme_widget_message_reply *').first();
    textNode.find('br').replaceWith('\n');
    const views = parseViews(node.find('.tgme_widget_message_views').first().text());
    const author = node.find('.tgme_widget_message_from_author').first().text().trim();
    posts.push({
      id: Number(m[2]),
      channel: m[1] as string,
      text: textNode.text().trim(),
      date: date.toISOString(),
      edited: /edited|изменено/i.test(node.find('.tgme_widget_message_meta').first().text()),
      ...(views === undefined ? {} : { views }),
      ...(author ? { author } : {}),
    });
  });
  return { posts: posts.sort((a, b) => a.id - b.id), recognised };
}
