// ken's browser tests, part 4 (issue 16's everyday flows): publishing a how-to with a table, code
// and an image dropped in before the first save, a colleague editing the same lines at once and
// resolving the conflict block by block (also without JavaScript), HR narrowing hidden talent and
// exporting it, the org chart that fits a screen, and admins managing accounts. Each flow runs at
// 1366x900 and at 390x844 with axe-core; screenshots go to SCREENSHOTS (flow4-*.png). The clicks
// each task takes are counted and printed at the end.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { setUp, tearDown, newContext, signIn, shot, axe, closingTests, url, PHONE, STAMP } from './lib.mjs';

const WIDE = { width: 1366, height: 900 };
const SIZES = [['desktop', { viewport: WIDE }],
  ['phone', { viewport: PHONE, isMobile: true, hasTouch: true }]];
const counts = []; // "task at size: N clicks, M fields typed"

// Counts what a person does: every click, choice and key press that submits (typing into a
// field is counted apart, as fields).
function counter() {
  const c = { clicks: 0, fields: 0 };
  c.click = async (loc, opts) => { c.clicks++; await loc.click(opts); };
  c.fill = async (loc, value) => { c.fields++; await loc.fill(value); };
  c.select = async (loc, value) => { c.clicks++; await loc.selectOption(value); };
  return c;
}

async function pngBytes(p) {
  return p.screenshot({ clip: { x: 0, y: 0, width: 64, height: 40 } });
}

// The page's own scroll width (nothing may scroll sideways).
async function fits(p) {
  return p.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);
}

before(setUp);
after(async () => {
  console.log('clicks per task:\n  ' + counts.join('\n  '));
  await tearDown();
});

for (const [size, opts] of SIZES) {
  const slug = `how-to-flash-the-loom-firmware-${size}-${STAMP}`;
  const path = `engineering/${slug}`;

  test(`(b) ${size}: a team lead publishes a how-to with a table, code and an image`, { timeout: 90000 }, async () => {
    const ctx = await newContext(opts);
    try {
      const p = await signIn(ctx, 'daniel');
      await p.goto(url + '/spaces/engineering');
      const c = counter();
      // From the space, "New page" lands in that space.
      const newLink = p.getByRole('link', { name: 'New page' }).first();
      if (!(await newLink.isVisible())) await c.click(p.locator('summary', { hasText: /menu/i }).first());
      await Promise.all([p.waitForURL(/\/new/), c.click(newLink)]);
      assert.equal(await p.locator('select[name=space]').inputValue(), 'engineering',
        'the new page is in the space the person came from');
      await c.fill(p.getByLabel('Title'), `How to flash the loom firmware ${size} ${STAMP}`);
      // Choosing a template keeps the title (and the space).
      await Promise.all([p.waitForURL(/\/edit\/$/), c.click(p.getByRole('button', { name: 'How-to' }))]);
      assert.equal(await p.getByLabel('Title').inputValue(), `How to flash the loom firmware ${size} ${STAMP}`,
        'the title typed before choosing the template is kept');
      assert.equal(await p.locator('select[name=space]').inputValue(), 'engineering');
      const text = p.locator('textarea[name=markdown]');
      assert.match(await text.inputValue(), /## Steps/, 'the template fills the text');
      await c.fill(p.getByLabel('Address in the space'), slug);
      // The toolbar: code and a table at the end of the text.
      await text.focus();
      await p.keyboard.press('Control+End');
      await c.click(p.getByRole('button', { name: 'Code' }));
      c.fields++;
      await p.keyboard.type('make flash BOARD=loom-mk2');
      await p.keyboard.press('Control+End');
      await c.click(p.getByRole('button', { name: 'Table' }));
      const md = await text.inputValue();
      assert.match(md, /```\nmake flash BOARD=loom-mk2\n```/, 'the code button makes a code block');
      assert.match(md, /\| Column \| Column \|\n\| --- \| --- \|/, 'the table button makes a table');
      // Ctrl+B makes the selection bold.
      await p.keyboard.type('\nPress ');
      await p.keyboard.type('Reset');
      for (let i = 0; i < 5; i++) await p.keyboard.press('Shift+ArrowLeft');
      await p.keyboard.press('Control+b');
      assert.match(await text.inputValue(), /Press \*\*Reset\*\*/, 'Ctrl+B wraps the selection in **');
      // An image before the first save: the Image button's file picker.
      await p.keyboard.press('Control+End');
      const [chooser] = await Promise.all([p.waitForEvent('filechooser'),
        c.click(p.getByRole('button', { name: 'Add an image or file' }))]);
      await chooser.setFiles({ name: 'Loom board.png', mimeType: 'image/png', buffer: await pngBytes(p) });
      await p.locator('.upload-status', { hasText: 'Added Loom-board.png' }).waitFor();
      assert.match(await text.inputValue(), /!\[Loom board\]\(Loom-board\.png\)/, 'the image is linked where the cursor was');
      // And one pasted from the clipboard.
      const pasted = (await pngBytes(p)).toString('base64');
      await text.evaluate((t, b64) => {
        const bytes = Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
        const dt = new DataTransfer();
        dt.items.add(new File([bytes], 'image.png', { type: 'image/png' }));
        t.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
      }, pasted);
      await p.locator('.upload-status', { hasText: /Added pasted-\d+\.png/ }).waitFor();
      // The preview: beside the text on a wide screen, behind a toggle on a phone.
      const preview = p.locator('#edit-preview');
      if (size === 'phone') {
        assert.ok(await preview.isHidden(), 'on a phone the preview waits for the toggle');
        await c.click(p.getByRole('button', { name: 'Live preview' }));
      }
      await preview.locator('table td', { hasText: 'Text' }).first().waitFor();
      await preview.locator('pre code', { hasText: 'make flash' }).waitFor();
      const img = preview.locator('img[src*="/drafts/"]').first();
      await img.waitFor();
      await p.waitForFunction(() => [...document.querySelectorAll('#edit-preview img')].every((i) => i.complete));
      assert.ok(await img.evaluate((i) => i.naturalWidth > 0), 'the dropped image shows in the preview');
      if (size === 'desktop') {
        const t = await text.boundingBox(), v = await preview.boundingBox();
        assert.ok(v.x > t.x + t.width - 5 && v.y < t.y + t.height, 'the preview is beside the text');
      }
      assert.ok(await fits(p), 'the editor does not scroll sideways');
      await shot(p, `flow4-new-page-${size}`, false);
      await axe(p, `the new page editor (${size})`);
      // Ctrl+Enter saves (on a phone, the Save button).
      if (size === 'phone') {
        await Promise.all([p.waitForURL(url + `/wiki/${path}`), c.click(p.getByRole('button', { name: 'Save' }))]);
      } else {
        await text.focus();
        c.clicks++;
        await Promise.all([p.waitForURL(url + `/wiki/${path}`), p.keyboard.press('Control+Enter')]);
      }
      await p.locator('.markdown table').first().waitFor();
      await p.locator('.markdown pre code', { hasText: 'make flash' }).waitFor();
      const shown = p.locator(`.markdown img[src="/files/${path}/Loom-board.png"]`);
      await shown.waitFor();
      await p.waitForFunction(() => [...document.querySelectorAll('.markdown img')].every((i) => i.complete));
      assert.ok(await shown.evaluate((i) => i.naturalWidth > 0), 'the image is the page\'s attachment now');
      await shot(p, `flow4-published-${size}`);
      counts.push(`(b) publish a how-to with a table, code and two images, ${size}: ${c.clicks} clicks/keys, ${c.fields} fields typed`);
    } finally {
      await ctx.close();
    }
  });

  test(`(b) ${size}: a colleague edits the same lines at once and resolves it block by block`, { timeout: 90000 }, async () => {
    const leadCtx = await newContext(opts);
    // On the phone the colleague has no JavaScript: the resolution is a plain form.
    const mateCtx = await newContext({ ...opts, javaScriptEnabled: size !== 'phone' });
    try {
      const lead = await signIn(leadCtx, 'daniel');
      const mate = await signIn(mateCtx, 'priya');
      const c = counter();
      await lead.goto(url + `/edit/${path}`);
      await mate.goto(url + `/wiki/${path}`);
      await Promise.all([mate.waitForURL(/\/edit\//), c.click(mate.getByRole('link', { name: 'Edit', exact: true }).first())]);
      const mine = lead.locator('textarea[name=markdown]');
      await mine.fill((await mine.inputValue()).replace('| Symptom | What to do |', '| Symptom | Fix |'));
      await Promise.all([lead.waitForURL(url + `/wiki/${path}`), lead.getByRole('button', { name: 'Save' }).click()]);
      const theirs = mate.locator('textarea[name=markdown]');
      await c.fill(theirs, (await theirs.inputValue())
        .replace('| Symptom | What to do |', '| Symptom | Who can help |')
        .replace('How to tell the job is done.', 'The loom blinks green twice.'));
      const [resp] = await Promise.all([mate.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes('/edit/')),
        c.click(mate.getByRole('button', { name: 'Save' }))]);
      assert.equal(resp.status(), 409, 'the second save on the same line answers 409');
      const block = mate.locator('fieldset.merge-conflict');
      assert.equal(await block.count(), 1, 'one block is in conflict');
      assert.match(await block.locator('pre[data-side=mine]').textContent(), /Who can help/);
      assert.match(await block.locator('pre[data-side=theirs]').textContent(), /\| Fix \|/);
      // Without JavaScript nothing can be evaluated in the page (axe runs on the desktop run).
      const box = await block.boundingBox();
      assert.ok(box.x >= 0 && box.x + box.width <= opts.viewport.width, 'the blocks fit the screen');
      await shot(mate, `flow4-conflict-${size}`);
      if (size !== 'phone') await axe(mate, `the conflict resolution (${size})`);
      await c.click(block.getByLabel('this text:'));
      await c.fill(block.getByRole('textbox'), '| Symptom | Fix, or who can help |\n');
      await Promise.all([mate.waitForURL(url + `/wiki/${path}`), c.click(mate.getByRole('button', { name: 'Save' }))]);
      const body = await mate.locator('.markdown').first().textContent();
      assert.match(body, /Fix, or who can help/, 'the edited block is saved');
      assert.match(body, /blinks green twice/, 'the colleague\'s other change is kept');
      assert.doesNotMatch(body, /Who can help\b(?!,)/);
      counts.push(`(b) colleague's simultaneous edit of the same line, resolved, ${size}${size === 'phone' ? ' (no JavaScript)' : ''}: ${c.clicks} clicks, ${c.fields} fields typed`);
    } finally {
      await leadCtx.close();
      await mateCtx.close();
    }
  });

  test(`(c) ${size}: HR finds people outside engineering with a programming skill and exports them`, { timeout: 90000 }, async () => {
    const ctx = await newContext({ ...opts, acceptDownloads: true });
    try {
      const p = await signIn(ctx, 'fiona');
      const c = counter();
      const hr = p.getByRole('link', { name: 'HR', exact: true }).first();
      if (!(await hr.isVisible())) await c.click(p.locator('summary', { hasText: /menu/i }).first());
      await Promise.all([p.waitForURL(/\/hr$/), c.click(hr)]);
      await c.fill(p.getByLabel('Has the skill or category'), 'programming');
      await c.select(p.getByLabel('Department'), 'not:engineering');
      await Promise.all([p.waitForURL(/\/hr\?/), c.click(p.getByRole('button', { name: 'Search' }))]);
      assert.equal(await p.locator('.alert', { hasText: 'No skill' }).count(), 0, 'a category is accepted');
      const rows = p.locator('table.hr-results tbody tr');
      assert.ok(await rows.count() > 0, 'people are found');
      const screen = await rows.evaluateAll((trs) => trs.map((tr) => tr.querySelector('a').getAttribute('href').split('/').pop()));
      const depts = await rows.evaluateAll((trs) => trs.map((tr) => tr.cells[3].textContent));
      assert.ok(depts.every((d) => !/Engineering/.test(d)), `nobody from Engineering: ${depts}`);
      await p.locator('#hidden-talent').scrollIntoViewIfNeeded();
      assert.match(await p.locator('#hidden-talent + .hint').textContent(), /Narrowed by the search above/);
      await shot(p, `flow4-hr-${size}`);
      await axe(p, `HR's search (${size})`);
      const [download] = await Promise.all([p.waitForEvent('download'),
        c.click(p.getByRole('link', { name: 'Download CSV' }).first())]);
      const csv = readFileSync(await download.path(), 'utf8').trim().split('\r\n');
      assert.match(csv[0], /"email".*"category"/, 'the CSV has e-mail and category');
      const logins = csv.slice(1).map((l) => l.split('","')[0].replace(/^"/, ''));
      assert.deepEqual(logins, screen, 'the CSV holds exactly the people on the screen');
      assert.ok(csv.slice(1).every((l) => l.includes(`"${url}/people/`)), 'with absolute links');
      counts.push(`(c) HR: people outside engineering with a programming skill, exported, ${size}: ${c.clicks} clicks, ${c.fields} fields typed`);
    } finally {
      await ctx.close();
    }
  });

  test(`the org chart fits a ${size} screen, folds, is searchable and starts at a person`, { timeout: 90000 }, async () => {
    const ctx = await newContext(opts);
    try {
      const p = await signIn(ctx, 'gareth');
      await p.goto(url + '/org');
      assert.ok(await fits(p), '/org does not scroll sideways');
      const root = await p.locator('.org-tree > li > .org-node').first().boundingBox();
      assert.ok(root.y < opts.viewport.height, 'the top of the tree is on the first screen');
      assert.ok(await p.locator('.org-tree details:not([open])').count() > 0, 'deeper levels are folded');
      await shot(p, `flow4-org-${size}`, false);
      await axe(p, `the org chart (${size})`);
      await p.getByLabel('Find a person').fill('firmware');
      await Promise.all([p.waitForURL(/find=firmware/), p.getByRole('button', { name: 'Show' }).click()]);
      const hit = p.locator('.org-node.hit').first();
      assert.ok(await hit.isVisible(), 'a match is visible: the way to it is open');
      await shot(p, `flow4-org-search-${size}`, false);
      await Promise.all([p.waitForURL(/person=/), p.getByRole('link', { name: /^chart from / }).first().click()]);
      assert.ok(await p.locator('img.org-svg').isVisible(), 'the person\'s picture is there');
      assert.ok(await fits(p), 'the chart from a person fits too');
      await shot(p, `flow4-org-person-${size}`, false);
    } finally {
      await ctx.close();
    }
  });

  test(`an admin manages accounts at /admin (${size})`, { timeout: 90000 }, async () => {
    const ctx = await newContext(opts);
    try {
      const p = await signIn(ctx, 'mara');
      await p.goto(url + '/admin');
      const login = `new-${size}`;
      await p.locator('.add-account > summary').click();
      await p.getByLabel('Login', { exact: true }).fill(login);
      await p.getByLabel('Name', { exact: true }).fill(`New ${size} person`);
      await p.locator('.add-account select[name=role]').selectOption('viewer');
      await Promise.all([p.waitForLoadState('load'), p.getByRole('button', { name: 'Add', exact: true }).click()]);
      await p.getByRole('status').filter({ hasText: `Added ${login} (viewer).` }).waitFor();
      const pw = await p.locator('code.secret').textContent();
      assert.equal(pw.length, 20, 'the password is shown once');
      await shot(p, `flow4-admin-added-${size}`, false);
      await axe(p, `/admin (${size})`);
      const row = p.locator('table.accounts tr', { has: p.locator('.path', { hasText: new RegExp(`^${login}$`) }) });
      await row.getByLabel(`Role of ${login}`).selectOption('editor');
      await Promise.all([p.waitForURL(/done=role/), row.getByRole('button', { name: 'Change' }).click()]);
      await p.getByRole('status').filter({ hasText: `${login} now has the role editor.` }).waitFor();
      await Promise.all([p.waitForLoadState('load'), row.getByRole('button', { name: `Reset password of ${login}` }).click()]);
      await p.getByRole('status').filter({ hasText: `${login} has a new password` }).waitFor();
      await Promise.all([p.waitForURL(/done=tokens/), row.getByRole('button', { name: `Revoke tokens of ${login}` }).click()]);
      await Promise.all([p.waitForURL(/done=left/), row.getByRole('button', { name: `Mark as left: ${login}` }).click()]);
      await p.getByRole('status').filter({ hasText: `${login} is marked as having left` }).waitFor();
      assert.ok(await row.getByRole('button', { name: `Mark as back: ${login}` }).isVisible());
      await row.scrollIntoViewIfNeeded();
      await shot(p, `flow4-admin-left-${size}`, false);
    } finally {
      await ctx.close();
    }
  });
}

closingTests();
