import type { Page } from 'playwright-core';

export interface InlineScriptProbe {
  /** JavaScript runs in the page at all (an event listener fires): without it, a CSP test proves nothing. */
  scripting: boolean;
  /** The injected inline script ran. */
  ran: boolean;
  /** The directive the browser reported as violated, if it blocked the script. */
  violated: string | null;
}

/**
 * Asks the browser itself whether the page's CSP blocks inline script: injects an inline <script>
 * into the loaded page and waits for one of two events — the script ran, or the browser reported a
 * `securitypolicyviolation`. One of them always happens once JavaScript is on, so this never waits on
 * a clock. Reading the header instead let a test pass with 'unsafe-inline' in another directive
 * (script-src-elem), and a page opened with JavaScript off can raise no violation at all.
 */
export async function probeInlineScript(page: Page): Promise<InlineScriptProbe> {
  const scripting = await page.evaluate(() => {
    let fired = false;
    document.addEventListener('csp-probe', () => (fired = true), { once: true });
    document.dispatchEvent(new Event('csp-probe'));
    return fired;
  });
  if (!scripting) return { scripting, ran: false, violated: null };
  return page.evaluate(() => new Promise<InlineScriptProbe>((resolve) => {
    const w = window as unknown as { __inlineRan?: boolean };
    document.addEventListener('securitypolicyviolation', (e) => resolve({ scripting: true, ran: w.__inlineRan === true, violated: e.violatedDirective }), { once: true });
    document.addEventListener('inline-ran', () => resolve({ scripting: true, ran: true, violated: null }), { once: true });
    const s = document.createElement('script');
    s.textContent = 'window.__inlineRan = true; document.dispatchEvent(new Event("inline-ran"));';
    document.head.append(s);
  }));
}
