import { test as base, expect } from '@playwright/test';
import { baseUrl } from './helpers';
import { accessCookie } from './server-process';

/**
 * Every browser context and API request context of a spec is the local person: it carries the
 * cookie the printed access link sets (read from the suite server's DATA_DIR; the storage state
 * also reaches `browser.newPage()` and the `request` fixture). e2e/local-access.spec.ts opens the
 * real link instead, and the request matrix sends no credential, a wrong one and a bearer token.
 *
 * Every spec's `page` fails its test when Chromium reports a Content-Security-Policy violation, so
 * walking the dashboard in the suite proves the CSP (see server/gate) does not break it.
 */
export const test = base.extend({
  storageState: async ({}, use) => {
    await use({ cookies: [accessCookie(baseUrl())], origins: [] });
  },
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
