// ci/trace-screenshot.js: the picture of go tool trace in the docs
// (docs/img/trace-preempt.png).
//
//   cd misc && go run ./tracepreempt /tmp/trace.out
//   go tool trace -http=127.0.0.1:18557 /tmp/trace.out &
//   npm install playwright-core   # in a scratch directory; uses /usr/bin/chromium
//   node ci/trace-screenshot.js 'http://127.0.0.1:18557/trace?view=proc' docs/img/trace-preempt.png [Y]
//
// It opens the proc view in headless Chromium, selects the Proc 1 row (at
// height Y, 261 by default) with the selection tool, so that the bottom
// panel lists its events, the policy preemptions among them, and takes a
// screenshot.
const { chromium } = require('playwright-core');
(async () => {
  const [url, out] = process.argv.slice(2);
  const browser = await chromium.launch({executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox','--disable-gpu','--disable-quic','--no-first-run','--disable-background-networking','--disable-component-update','--disable-sync']});
  const page = await browser.newPage({viewport: {width: 1400, height: 760}});
  await page.goto(url);
  await page.waitForTimeout(6000);
  await page.keyboard.press('1'); // selection tool
  const y = parseInt(process.argv[4] || '261');
  await page.mouse.move(255, y - 12);
  await page.mouse.down();
  await page.mouse.move(1365, y + 30, {steps: 10});
  await page.mouse.up();
  await page.waitForTimeout(1500);
  await page.screenshot({path: out});
  await browser.close();
})();
