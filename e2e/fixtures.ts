import { test as base, expect } from '@playwright/test';

/**
 * Every spec's `page` fails its test when Chromium reports a Content-Security-Policy violation, so
 * walking the dashboard in the suite proves the CSP (see server/gate) does not break it.
 */
export const test = base.extend({
  page: async ({ page }, use) => {
    const violations: string[] = [];
    page.on('console', (msg) => {
      const text = msg.text();
      if (/Content Security Policy|Refused to (execute|load|apply|connect|frame|evaluate)/i.test(text)) {
        violations.push(`${msg.type()}: ${text.slice(0, 300)}`);
      }
    });
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        console.error(`Content Security Policy violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`);
      });
    });
    await use(page);
    expect(violations, 'Content-Security-Policy violations in the console').toEqual([]);
  },
});

export { expect };
