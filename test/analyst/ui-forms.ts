import { expect } from 'chai';
import type { Browserless } from './ui-login.ts';

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&#96;': '`' };

/** Undoes the html template's escaping (what a browser does reading an attribute). */
export function unescapeHtml(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|#39|#96);/g, (m) => ENTITIES[m]!);
}

/** The confirmation page's form: where it posts and the hidden fields it carries. */
export function confirmationForm(page: string): { action: string; fields: Record<string, string> } {
  const form = /<form method="post" action="([^"]+)" class="confirm-form">([\s\S]*?)<\/form>/.exec(page);
  if (!form) throw new Error(`no confirmation form in:\n${page.slice(0, 2000)}`);
  const fields: Record<string, string> = {};
  for (const m of form[2]!.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields[m[1]!] = unescapeHtml(m[2]!);
  const button = /<button type="submit" name="confirm" value="yes"/.test(form[2]!);
  if (!button) throw new Error('the confirmation form has no confirm button');
  return { action: unescapeHtml(form[1]!), fields };
}

/**
 * Does an analyst action as a browser without JavaScript would: the form on `page` (its CSRF
 * token), the first post (answered with the confirmation page, nothing done yet — `beforeConfirm`
 * checks that), then the confirmation's own form with confirm=yes. Returns both pages' answers.
 */
export async function act(
  b: Browserless, page: string, action: string, fields: Record<string, string>, beforeConfirm?: () => Promise<void>,
): Promise<{ confirmation: string; done: Response }> {
  const csrf = await b.csrfFrom(page);
  const first = await b.post(action, { _csrf: csrf, ...fields });
  const confirmation = await first.text();
  expect(first.status, confirmation.slice(0, 500)).to.equal(200);
  await beforeConfirm?.();
  const form = confirmationForm(confirmation);
  const done = await b.post(form.action, { ...form.fields, confirm: 'yes' });
  return { confirmation, done };
}
