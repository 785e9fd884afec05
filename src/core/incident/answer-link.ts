import { z } from 'zod';

/**
 * Where each platform shows a post and its comments: a link a responder records for an answer
 * published by hand must point there, so a report's "answered publicly" leads to the platform.
 */
const PLATFORM_HOSTS: Readonly<Record<string, readonly string[]>> = {
  vk: ['vk.com', 'm.vk.com', 'vk.ru', 'm.vk.ru'],
  ok: ['ok.ru', 'm.ok.ru'],
  tg: ['t.me'],
};

/** An http(s) link (no `javascript:` or `data:`), as long as a browser keeps. */
export const answerLinkSchema = z
  .string()
  .max(2000)
  .url()
  .refine((u) => /^https?:\/\//i.test(u), 'an http(s) link');

/** Why a recorded link cannot be the answer to a post of this platform, or undefined when it can. */
export function answerLinkProblem(platform: string, link: string): string | undefined {
  const hosts = PLATFORM_HOSTS[platform];
  if (!hosts) return undefined;
  const host = new URL(link).hostname.toLowerCase();
  return hosts.includes(host) ? undefined : `the answer's link must lead to ${hosts[0] ?? platform}, where the post is, not to ${host}`;
}
