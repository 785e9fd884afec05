import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePreviewPage } from '../../../../connectors/telegram/web-preview.js';

const page = readFileSync(new URL('../../../fixtures/telegram/tme-s-page.html', import.meta.url), 'utf8');

describe('parsePreviewPage (t.me/s markup)', () => {
  it('reads id, text with line breaks and emoji, time, views, edited and signature; skips service messages', () => {
    const r = parsePreviewPage(page);
    expect(r.recognised).toBe(true);
    expect(r.posts.map((p) => p.id)).toEqual([1480, 1482, 1483, 1484]);
    expect(r.posts[0]).toEqual({ id: 1480, channel: 'ensk_online', text: 'На улице Ленина огромная яма,\nмашины объезжают по встречке 🚧', date: '2026-11-21T07:15:02.000Z', edited: false, views: 1200 });
    expect(r.posts[1]).toMatchObject({ text: 'Дорожники обещают заделать до пятницы', edited: true, views: 842, author: 'Редакция' });
    expect(r.posts[2]).toMatchObject({ text: '', views: 3_400_000 });
    // A photo answering a post: the quoted text is not the photo's text.
    expect(r.posts[3]).toMatchObject({ id: 1484, text: '', views: 91 });
  });

  it('an unrelated page is not recognised; an empty channel history is', () => {
    expect(parsePreviewPage('<html><body><div class="tgme_page">Join channel</div></body></html>').recognised).toBe(false);
    expect(parsePreviewPage('<section class="tgme_channel_history"></section>')).toEqual({ posts: [], recognised: true });
  });

  it('survives broken markup: unclosed tags, a bad date, a foreign data-post', () => {
    const html = '<div data-post="ensk_online/7"><div class="tgme_widget_message_text">текст<time datetime="not a date"></div><div data-post="x/1"><time datetime="2026-11-21T07:15:02+00:00">';
    expect(parsePreviewPage(html).posts).toEqual([]);
  });
});
