//! Proves the browser harness itself: the system Chromium starts headless, renders a page, and axe-core finds a real violation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './lib/browser.mjs';
import { axeViolations } from './lib/axe.mjs';

test('chromium renders a page and axe-core reports an unlabelled input', async () => {
  const browser = await launch();
  try {
    const page = await browser.context.newPage();
    await page.setContent('<!doctype html><html lang="en"><head><title>t</title></head><body><main><h1>Hallo</h1><input type="text"></main></body></html>');
    assert.equal(await page.locator('h1').textContent(), 'Hallo');
    const violations = await axeViolations(page);
    assert.ok(violations.some((v) => v.id === 'label'), `expected a 'label' violation, got ${JSON.stringify(violations)}`);
  } finally {
    await browser.close();
  }
});
