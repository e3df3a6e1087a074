// ken's browser tests, part three (parts one and two are flows.mjs and flows2.mjs; the harness is
// lib.mjs): the everyday flows of issue 16, each at 1366x900 and at a phone's 390x844, in the
// system Chromium on a demo company of its own.
//
// Run: KEN=build-test/ken node --test tests/browser/flows3.mjs   (ctest does this, label `browser`)
//
// - Who knows what: the header leads to experts, skills, communities and the org chart; a Sales
//   viewer's technical search shows the answer and "People who know" with title and department
//   (the person searched for by name is not an expert on their own name), on to /experts, and
//   "Contact X" lands on the profile's contact details near the top. The clicks are counted.
// - Asking: the viewer's weak search offers "Ask this", prefilled; the viewer asks.
// - Tags as tokens: "dev environment" stays one tag, from the editor to the page and its list.
// - The space tree: engineering/firmware is a folder holding the firmware pages.
// - The phone: a compact header that stays on top, results before the folded filters, contact
//   near the top of a profile.
// - The demo is alive: recent edits, open, answered and accepted questions, thanks this month.
// - axe-core on every screen at both sizes; screenshots in build-test/screenshots/flows3-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HERE, STAMP, url, newContext, signIn, shot, axe, closingTests, setUp, tearDown } from './lib.mjs';

const WIDE = { width: 1366, height: 900 };
const PHONE = { width: 390, height: 844 };
const SIZES = [['wide', { viewport: WIDE }],
  ['phone', { viewport: PHONE, isMobile: true, hasTouch: true }]];

// The demo company as web/demo/people.tsv has it.
const DEMO = readFileSync(join(HERE, '../../web/demo/people.tsv'), 'utf8').trim().split('\n')
  .slice(1).map((line) => {
    const [login, name, role, department, team, title] = line.split('\t');
    return { login, name, role, department, team, title };
  });
const byName = (name) => DEMO.find((p) => p.name === name);
// A viewer in Sales: the person of task (a).
const VIEWER = DEMO.find((p) => p.role === 'viewer' && p.department === 'Sales');
const clicks = {}; // task -> size -> clicks, printed at the end

before(async () => {
  assert.ok(VIEWER, 'the demo has a viewer in Sales');
  await setUp();
});
after(async () => {
  console.log(`clicks: ${JSON.stringify(clicks)}`);
  await tearDown();
});

// Counts one click (or Enter, or Back) for task at size.
function count(task, size) {
  clicks[task] ??= {};
  clicks[task][size] = (clicks[task][size] || 0) + 1;
}

// Clicks `what` (a locator) and waits for the navigation it starts; counts one click for task.
async function go(p, what, task, size) {
  count(task, size);
  await Promise.all([p.waitForNavigation(), what.click()]);
}

// Types `text` into the header's search box and presses Enter (one action, counted as a click).
async function search(p, text, task, size) {
  count(task, size);
  const box = p.locator('header.top form.search input[name=q]');
  await box.fill(text);
  await Promise.all([p.waitForNavigation(), box.press('Enter')]);
}

// The top of `locator` in the viewport (px from the top of the screen).
async function topOf(locator) {
  return (await locator.boundingBox()).y;
}

for (const [size, opts] of SIZES) {
  test(`${size}: the header leads to who knows what (experts, skills, communities, org chart)`, async () => {
    const ctx = await newContext(opts);
    try {
      const p = await signIn(ctx, VIEWER.login);
      const nav = p.getByRole('navigation', { name: 'Sections' });
      for (const [name, path, h1] of [['Experts', '/experts', /Who knows/], ['Skills', '/skills', /Skills/],
        ['Communities', '/communities', /Communities/], ['Org chart', '/org', /Org|Organisation/]]) {
        const link = nav.getByRole('link', { name, exact: true });
        await link.scrollIntoViewIfNeeded();
        await Promise.all([p.waitForURL(url + path), link.click()]);
        assert.match(await p.locator('h1').first().textContent(), h1, `${name} opens ${path}`);
        assert.equal(await nav.getByRole('link', { name, exact: true }).getAttribute('aria-current'), 'page',
          `the header marks ${name} as where you are`);
      }
      await p.goto(url + '/');
      const header = p.locator('header.top');
      const height = (await header.boundingBox()).height;
      assert.ok(height <= (size === 'phone' ? 100 : 110), `the header is compact (${height}px)`);
      await shot(p, `flows3-${size}-header`, false);
      await axe(p, `home (${size})`);
    } finally {
      await ctx.close();
    }
  });

  test(`${size}: task (a), a Sales viewer finds the answer and a person outside Sales, and contacts them`, async () => {
    const ctx = await newContext(opts);
    const task = 'a';
    try {
      const p = await signIn(ctx, VIEWER.login);
      await search(p, 'postgres replication failover', task, size);
      // the answer: the replication runbook is the first result
      const first = p.locator('ol.hits > li a.hit-title').first();
      assert.match(await first.textContent(), /PostgreSQL Replication/);
      if (size === 'phone') {
        assert.ok(await topOf(first) < 450, `on a phone the first result is near the top (${await topOf(first)}px)`);
        assert.equal(await p.locator('details.facets-fold').evaluate((d) => d.open), false,
          'and the filters are folded');
      }
      await shot(p, `flows3-${size}-search`, size === 'wide');
      await axe(p, `search (${size})`);
      // people who know, with title and department; someone outside Sales
      const experts = p.locator('ul.side-experts > li');
      assert.ok(await experts.count() >= 2, 'people who know are shown beside the results');
      const rows = await experts.evaluateAll((lis) => lis.map((li) => ({
        name: li.querySelector('a').textContent, org: li.querySelector('.person-org').textContent })));
      for (const r of rows) {
        const person = byName(r.name);
        assert.ok(person, `${r.name} is someone in the demo`);
        assert.equal(r.org, `${person.title} · ${person.department}`, `${r.name}: title and department`);
      }
      const outside = rows.find((r) => byName(r.name).department !== 'Sales');
      assert.ok(outside, 'someone outside Sales knows about it');
      // the answer: open the first result and read it (then back to the results)
      await go(p, first, task, size);
      assert.match(await p.locator('h1').first().textContent(), /PostgreSQL Replication/);
      await p.goBack();
      count(task, size);
      // the short way: from the results straight to the person, whose e-mail is at the top
      const person = byName(outside.name);
      await go(p, p.locator('ul.side-experts > li > a', { hasText: person.name }), task, size);
      assert.equal(new URL(p.url()).pathname, `/people/${person.login}`);
      const contact = p.locator('#contact');
      const mail = contact.getByRole('link', { name: `${person.login}@northwindloom.example` });
      assert.equal(await mail.getAttribute('href'), `mailto:${person.login}@northwindloom.example`);
      const top = await topOf(contact);
      assert.ok(top >= 0 && top < (size === 'phone' ? 844 : 900) / 2,
        `the contact details are in the top half of the screen (${top}px)`);
      assert.ok(await mail.isVisible());
      count(task, size); // clicking the address opens the mail program: the contact is made
      await shot(p, `flows3-${size}-profile`, false);
      await axe(p, `profile (${size})`);
      // the long way: all the people who know, then "Contact X", which lands on #contact
      await p.goBack();
      count('a-experts', size); // the search, as above
      await go(p, p.getByRole('link', { name: 'More people who know' }), 'a-experts', size);
      assert.equal(new URL(p.url()).pathname, '/experts');
      assert.equal(new URL(p.url()).searchParams.get('q'), 'postgres replication failover');
      await axe(p, `experts (${size})`);
      await shot(p, `flows3-${size}-experts`, false);
      await go(p, p.getByRole('link', { name: `Contact ${person.name}` }), 'a-experts', size);
      assert.equal(new URL(p.url()).hash, '#contact');
      const top2 = await topOf(p.locator('#contact'));
      assert.ok(top2 >= 0 && top2 < (size === 'phone' ? 844 : 900) / 2,
        `"Contact ${person.name}" shows the contact details (${top2}px from the top)`);
      assert.ok(await p.locator('#contact a[href^="mailto:"]').isVisible());
      count('a-experts', size); // the e-mail address
      await shot(p, `flows3-${size}-contact`, false);
    } finally {
      await ctx.close();
    }
  });

  test(`${size}: searching a person's name does not list them as an expert on their own name`, async () => {
    const ctx = await newContext(opts);
    try {
      const p = await signIn(ctx, VIEWER.login);
      await search(p, 'Priya Raman', 'name', size);
      assert.equal(await p.locator('ul.side-people a[href="/people/priya"]').count(), 1, 'Priya is found');
      assert.equal(await p.locator('ul.side-experts a[href="/people/priya"]').count(), 0,
        'but not as an expert on herself');
    } finally {
      await ctx.close();
    }
  });

  test(`${size}: a viewer's weak search offers "Ask this", prefilled, and the viewer asks with tags`, async () => {
    const ctx = await newContext(opts);
    try {
      const p = await signIn(ctx, VIEWER.login);
      const question = `can a customer in lisbon extend the loom warranty ${STAMP} ${size}`;
      await search(p, question, 'ask', size);
      await go(p, p.getByRole('link', { name: 'Ask this' }), 'ask', size);
      assert.equal(new URL(p.url()).pathname, '/ask');
      assert.equal(await p.getByLabel('Your question, in one line').inputValue(), question);
      const tags = p.getByLabel('Tags');
      await tags.fill('customer care');
      await tags.press('Enter');
      await tags.pressSequentially('warranty,');
      assert.deepEqual(await p.locator('.tag-token > span').allTextContents(), ['customer care', 'warranty']);
      await axe(p, `ask (${size})`);
      await shot(p, `flows3-${size}-ask`, false);
      await go(p, p.getByRole('button', { name: 'Post the question' }), 'ask', size);
      assert.match(new URL(p.url()).pathname, /^\/questions\/\d+$/);
      assert.match(await p.locator('h1').textContent(), /lisbon/);
      assert.deepEqual(await p.locator('ul.tags li > a:first-child').allTextContents(), ['customer care', 'warranty']);
      assert.equal(await p.locator('ul.tags a', { hasText: 'customer care' }).getAttribute('href'),
        '/questions?tag=customer%20care');
    } finally {
      await ctx.close();
    }
  });

  test(`${size}: tags are tokens; "dev environment" stays one tag from the editor to the page`, async () => {
    const ctx = await newContext(opts);
    try {
      const p = await signIn(ctx, 'priya');
      const page = size === 'wide' ? 'engineering/onboarding/vpn' : 'engineering/git-workflow';
      await p.goto(url + `/edit/${page}`);
      const before = await p.locator('.tag-token > span').allTextContents();
      assert.ok(before.length >= 2, `the page's tags are tokens (${before})`);
      const tags = p.getByLabel('Tags');
      await tags.fill(`dev environment`);
      await tags.press('Enter');
      await tags.fill(`remote ${size}`);
      await tags.press('Enter');
      await p.getByRole('button', { name: `Remove tag ${before[0]}` }).click();
      const after = await p.locator('.tag-token > span').allTextContents();
      assert.deepEqual(after, [...before.slice(1), 'dev environment', `remote ${size}`]);
      await axe(p, `editor (${size})`);
      await shot(p, `flows3-${size}-tags`, false);
      await p.getByLabel('Summary of your change').fill('tags');
      await go(p, p.getByRole('button', { name: 'Save' }), 'tags', size);
      assert.equal(new URL(p.url()).pathname, `/wiki/${page}`);
      const shown = await p.locator('ul.tags li > a:first-child').allTextContents();
      assert.deepEqual(shown, after, 'the page shows the tags as typed');
      await go(p, p.locator('ul.tags a', { hasText: 'dev environment' }), 'tags', size);
      assert.equal(new URL(p.url()).searchParams.get('tag'), 'dev environment');
      assert.equal(await p.locator(`main a[href="/wiki/${page}"]`).count(), 1);
    } finally {
      await ctx.close();
    }
  });

  test(`${size}: the space tree shows engineering/firmware as a folder holding the firmware pages`, async () => {
    const ctx = await newContext(opts);
    try {
      const p = await signIn(ctx, VIEWER.login);
      await p.goto(url + '/spaces/engineering');
      const folder = p.locator('ul.tree > li', { has: p.locator(':scope > span.folder', { hasText: 'firmware/' }) });
      assert.equal(await folder.count(), 1, 'firmware/ is a folder at the top of the space');
      assert.deepEqual(await folder.locator('ul > li > a').allTextContents(),
        ['Firmware C Coding Standard', 'Firmware Release Process']);
      const review = p.locator('ul.tree > li', { has: p.locator(':scope > a', { hasText: 'Code Review Guidelines' }) });
      assert.equal(await review.locator('ul').count(), 0, 'Code Review Guidelines has nothing under it');
      await axe(p, `space (${size})`);
      await shot(p, `flows3-${size}-space`, size === 'wide');
    } finally {
      await ctx.close();
    }
  });

  test(`${size}: the demo is alive: recent edits, open and answered questions, thanks this month`, async () => {
    const ctx = await newContext(opts);
    try {
      const p = await signIn(ctx, VIEWER.login);
      await p.goto(url + '/changes');
      const newest = new Date(await p.locator('h2.day time').first().getAttribute('datetime'));
      assert.ok(Date.now() - newest.getTime() < 4 * 86400e3, `the newest change is recent (${newest.toISOString()})`);
      await p.goto(url + '/questions');
      const states = await p.locator('ol.question-list .qstate').allTextContents();
      for (const state of ['Open', 'Answered', 'Accepted'])
        assert.ok(states.includes(state), `a question is ${state} (${states})`);
      await axe(p, `questions (${size})`);
      await shot(p, `flows3-${size}-questions`, false);
      await p.goto(url + '/thanks');
      const month = new Date().toLocaleString('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });
      assert.match(await p.locator('h1').textContent(), new RegExp(month));
      assert.ok(await p.locator('ol.thanks-answers > li').count() >= 1, 'helpful answers this month');
      assert.ok(await p.locator('ol.thanks-read > li').count() >= 1, 'pages read this month');
      await axe(p, `thanks (${size})`);
      await shot(p, `flows3-${size}-thanks`, false);
    } finally {
      await ctx.close();
    }
  });

  test(`${size}: the header stays on top while a long page scrolls`, async () => {
    const ctx = await newContext(opts);
    try {
      const p = await signIn(ctx, VIEWER.login);
      await p.goto(url + '/people/priya');
      await p.mouse.wheel(0, 1500);
      await p.waitForFunction(() => window.scrollY > 500);
      const box = await p.locator('header.top').boundingBox();
      assert.equal(Math.round(box.y), 0, 'the header is at the top of the screen');
      await shot(p, `flows3-${size}-scrolled`, false);
    } finally {
      await ctx.close();
    }
  });
}

closingTests();
