/**
 * GET /ui in a real headless browser (Debian's chromium driven by playwright-core; scripts/ensure-chromium.sh installs
 * it in `npm test`): the page loads, shows a held deposit with its reason, and updates once the deposit is credited.
 */
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { type Harness, type RelayerHandle, lock, startHarness, waitForDeposit } from './harness';

jest.setTimeout(120_000);

const CHROMIUM = '/usr/bin/chromium';
let h: Harness;
let relayer: RelayerHandle;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (npm test does: scripts/ensure-chromium.sh)`);
  h = await startHarness({ sources: 1, attesters: 2, threshold: 2, users: 2, finality: { mode: 'confirmations', confirmations: 0 } });
  relayer = await h.startRelayer();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // As the machine notes say: no sandbox as root, and no background networking (the closed network refuses it);
    // playwright gives it a fresh profile of its own.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

afterAll(async () => {
  await browser?.close();
  await h?.stop();
});

test('the status page shows a held deposit with its reason, then the same deposit credited', async () => {
  const source = h.devnet.sources[0]!;
  const dst = h.devnet.destination;
  // WETH's feed goes stale (its heartbeat is 3,600 s): the deposit is held 'stale-price' until the feed updates.
  await dst.anvil.rpc('evm_increaseTime', [3_700]);
  await dst.anvil.mine(1);
  const held = await lock(source, source.users[0]!, source.weth, 10n ** 18n);
  await waitForDeposit(relayer.url, held.guid, 'HELD', (d) => d.state === 'HELD');

  const page = await browser.newPage();
  await page.goto(`${relayer.url}/ui`);
  await page.waitForSelector('#status');
  const heldTable = page.locator('#held');
  await heldTable.getByText('stale-price').waitFor({ timeout: 10_000 });
  expect(await heldTable.textContent()).toContain(held.guid.slice(0, 10));
  expect(await page.locator('#status').textContent()).toContain('NOT READY');
  expect(await page.locator('#problems').textContent()).toContain('feed-stale');
  expect(await page.locator('#chains').textContent()).toContain(source.name);

  // The feed updates: the deposit is credited, and the page shows it without a reload.
  await (await dst.feeds.WETH.getFunction('updateAnswer').send(dst.prices.WETH)).wait();
  await (await dst.feeds.USDC.getFunction('updateAnswer').send(dst.prices.USDC)).wait();
  await waitForDeposit(relayer.url, held.guid, 'CREDITED', (d) => d.state === 'CREDITED');
  const row = page.locator('#deposits tr', { hasText: held.guid.slice(0, 10) });
  await row.getByText('CREDITED').waitFor({ timeout: 10_000 });
  await page.locator('#held').getByText('none').waitFor({ timeout: 10_000 });
  await page.locator('#status').getByText('READY').waitFor({ timeout: 10_000 });
  expect(await page.locator('#status').textContent()).not.toContain('NOT READY');
  // The deposit links to its history (the API's JSON).
  expect(await row.locator('a').getAttribute('href')).toBe(`deposits/${held.guid}`);
  await page.close();
});
