import type { ReportLink } from '../../model/reportView.js';

/** A link, clickable only when it is `https:`: no data can put a `javascript:` URL into an `href`. */
export function link(url: string): ReportLink {
  if (!URL.canParse(url)) return { url, href: null };
  const parsed = new URL(url);
  return { url, href: parsed.protocol === 'https:' ? parsed.href : null };
}

/** A fragment id (`check-EP-01`): the id with every character an id may not hold replaced. */
export function anchorFor(prefix: string, id: string): string {
  return `${prefix}-${id.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}
