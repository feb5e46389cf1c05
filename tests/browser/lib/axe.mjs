//! Runs axe-core (from node_modules, injected as a script: nothing is fetched) on the page and returns the violations.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Returns axe-core's violations on the current page (WCAG 2.1 A and AA rules).
 * A page with a strict Content-Security-Policy still takes the script: Playwright evaluates it
 * through the DevTools protocol, not as a page resource.
 */
export async function axeViolations(page) {
  await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(async () =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }),
  );
  return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) }));
}
