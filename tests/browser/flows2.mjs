// ken's browser tests, part two (part one is flows.mjs; the harness is lib.mjs): the graph
// pictures, asking the people who know, recognition, e-mail settings and HR's hidden talent, in
// the system Chromium on a demo company of its own.
//
// Run: KEN=build-test/ken node --test tests/browser/flows2.mjs   (ctest does this, label `browser`)
//
// - The pictures of a person's, a topic's and a department's neighbourhood: drawn (an inline
//   <svg> with a size), their circles labelled with names from the demo company (read from
//   web/demo/people.tsv, not written here), a circle opening its page, zooming and dragging
//   changing the viewBox, and the same picture, links working, with JavaScript off.
// - A question asked from the search page's "Ask this" (the words fill the title), with similar
//   pages shown before posting; whom ken asked and why; one of them (signed in as them) finds it
//   in their inbox, counted in the header, and answers; the asker votes and accepts; the accepted
//   answer becomes a wiki page.
// - /thanks and /admin/engagement count that answer; e-mail settings: the admin's form, and a
//   person's choices, which /inbox offers only while e-mail is on: the admin turns it on for the
//   moment it takes to save them (to an SMTP address on 127.0.0.1 where nothing listens, while
//   nothing is queued) and off again; nothing is sent.
// - HR finds the demo's accountant who writes Python by searching for the skill.
// - axe-core and the phone width for the new screens.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  HERE, SHOTS, STAMP, url, freePort, newContext, signIn, shot, axe, get, phoneScreens, closingTests,
  setUp, tearDown,
} from './lib.mjs';

// The demo company as web/demo/people.tsv has it: login, name, role, department, ..., skills.
const DEMO = readFileSync(join(HERE, '../../web/demo/people.tsv'), 'utf8').trim().split('\n')
  .slice(1).map((line) => {
    const [login, name, role, department, team, title, manager, , , skills] = line.split('\t');
    return { login, name, role, department, team, title, manager, skills: skills || '' };
  });
const NAMES = new Set(DEMO.map((p) => p.name));
const DEPARTMENTS = new Set(DEMO.map((p) => p.department));
const byLogin = (login) => DEMO.find((p) => p.login === login);

let desk, deskCtx;      // mara's (admin) signed-in desktop page and its context
let questionUrl;        // the question the Q&A flow asks, e.g. /questions/1
let answerer;           // the login of the colleague who answered it
let answererCtx;        // their context (for the e-mail choices)
const QUESTION = `how do we fail back a postgresql replica after a ${STAMP} outage`;

before(async () => {
  await setUp();
  deskCtx = await newContext();
  desk = await signIn(deskCtx, 'mara');
});

after(tearDown);

/* ---- the graph pictures ---- */

// The labels of the picture's circles of a kind (center, person, department), as drawn.
async function labels(p, kind) {
  return p.locator(`svg.graph-svg g.node.${kind} > text`).allTextContents();
}

async function viewBox(p) {
  return (await p.locator('svg.graph-svg').getAttribute('viewBox')).split(/\s+/).map(Number);
}

// A point of the picture, in page coordinates, where no circle, name or line is: where a drag
// starts.
async function emptyPoint(p) {
  return p.locator('svg.graph-svg').evaluate((svg) => {
    const r = svg.getBoundingClientRect();
    for (let y = r.top + 10; y < r.bottom - 10; y += 17)
      for (let x = r.left + 10; x < r.right - 10; x += 23) {
        const el = document.elementFromPoint(x, y);
        if (el && svg.contains(el) && el.tagName === 'rect') return { x, y };
      }
    return null;
  });
}

// The picture is drawn, sized and labelled with the demo's names; returns the people's labels.
async function checkPicture(p, what) {
  const svg = p.locator('svg.graph-svg');
  await svg.waitFor();
  const box = await svg.boundingBox();
  assert.ok(box.width > 300 && box.height > 200, `${what}: the picture has a size (${box.width}x${box.height})`);
  const people = [...await labels(p, 'center'), ...await labels(p, 'person')];
  assert.ok(people.length >= 3, `${what}: at least three people drawn (${people})`);
  for (const name of people) assert.ok(NAMES.has(name), `${what}: "${name}" is someone in the demo`);
  const listed = await p.locator('ol.graph-nodes > li > a').allTextContents();
  for (const name of listed.filter((n) => NAMES.has(n)))
    assert.ok(people.includes(name), `${what}: ${name}, listed below, is in the picture`);
  return people;
}

test('a person\'s picture: from the profile, drawn with colleagues\' names; a circle opens their profile', async () => {
  const tomasz = byLogin('tomasz');
  await desk.goto(url + '/people/tomasz');
  const img = desk.locator('img.graph-img');
  await img.scrollIntoViewIfNeeded();
  await desk.waitForFunction(() => document.querySelector('img.graph-img').complete);
  assert.ok(await img.evaluate((i) => i.naturalWidth > 0), 'the profile shows the picture');
  await Promise.all([desk.waitForURL(/\/graph\?person=tomasz$/), img.click()]);
  assert.equal(await desk.locator('h1').textContent(), `Who ${tomasz.name} knows`);
  const people = await checkPicture(desk, 'person');
  assert.deepEqual(await labels(desk, 'center'), [tomasz.name], 'the person is in the middle');
  const reports = DEMO.filter((p) => p.manager === 'tomasz').map((p) => p.name);
  assert.ok(reports.length >= 2, 'tomasz manages people in the demo');
  for (const name of reports) assert.ok(people.includes(name), `${name}, whom they manage, is drawn`);
  await shot(desk, 'graph-person');
  const node = desk.locator('svg.graph-svg a:has(g.node.person)').first();
  const href = await node.getAttribute('href');
  const name = await node.locator('text').textContent();
  await Promise.all([desk.waitForURL(url + href), node.locator('circle').click()]);
  assert.equal((await desk.locator('h1').first().textContent()).trim(), name, 'the circle opens that profile');
});

test('zooming and dragging the picture change its viewBox; a double click puts it back', async () => {
  await desk.goto(url + '/graph?person=tomasz');
  const home = await viewBox(desk);
  const svg = desk.locator('svg.graph-svg');
  const box = await svg.boundingBox();
  await desk.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await desk.mouse.wheel(0, -400);
  await desk.waitForFunction((w) => document.querySelector('svg.graph-svg').viewBox.baseVal.width < w, home[2]);
  const zoomed = await viewBox(desk);
  assert.ok(zoomed[2] < home[2] && zoomed[3] < home[3], `the wheel zooms in (${home} -> ${zoomed})`);
  const from = await emptyPoint(desk);
  assert.ok(from, 'somewhere empty to drag from');
  await desk.mouse.move(from.x, from.y);
  await desk.mouse.down();
  await desk.mouse.move(from.x + 120, from.y + 60, { steps: 5 });
  await desk.mouse.up();
  const dragged = await viewBox(desk);
  assert.ok(dragged[0] < zoomed[0] && dragged[1] < zoomed[1], `dragging right and down moves the view (${zoomed} -> ${dragged})`);
  assert.equal(dragged[2], zoomed[2], 'dragging does not zoom');
  assert.equal(await desk.evaluate(() => window.getSelection().toString()), '', 'nor selects the names');
  await shot(desk, 'graph-zoomed', false);
  const empty = await emptyPoint(desk);
  await desk.mouse.dblclick(empty.x, empty.y);
  assert.deepEqual(await viewBox(desk), home, 'a double click shows the whole picture again');
  await svg.focus();
  await desk.keyboard.press('+');
  assert.ok((await viewBox(desk))[2] < home[2], 'the + key zooms in');
  await desk.keyboard.press('0');
  assert.deepEqual(await viewBox(desk), home, 'and 0 goes back');
});

test('a topic\'s picture: from a profile\'s "knows about", who knows PostgreSQL', async () => {
  await desk.goto(url + '/people/priya');
  const topic = desk.locator('ul.graph-topics a', { hasText: /^PostgreSQL$/ });
  await Promise.all([desk.waitForURL(/\/graph\?topic=postgresql$/), topic.click()]);
  assert.equal(await desk.locator('h1').textContent(), 'Who knows PostgreSQL');
  const people = await checkPicture(desk, 'topic');
  const declared = DEMO.filter((p) => /(^|,)PostgreSQL:[45]/.test(p.skills)).map((p) => p.name);
  assert.ok(declared.length >= 1, 'the demo has PostgreSQL experts');
  for (const name of declared) assert.ok(people.includes(name), `${name}, a declared PostgreSQL expert, is drawn`);
  await shot(desk, 'graph-topic');
  const svg = await get(desk, '/topics/postgresql/graph.svg');
  assert.equal(svg.status, 200);
  assert.match(svg.type, /^image\/svg\+xml/);
});

test('a department\'s picture: from the department map; a department\'s circle opens its picture', async () => {
  await desk.goto(url + '/departments/map');
  await Promise.all([desk.waitForURL(/\/graph\?dept=engineering$/),
    desk.locator('a[href="/graph?dept=engineering"]').first().click()]);
  assert.match(await desk.locator('h1').textContent(), /^Engineering/);
  const people = await checkPicture(desk, 'department');
  const engineers = DEMO.filter((p) => p.department === 'Engineering').map((p) => p.name);
  for (const name of people) assert.ok(engineers.includes(name), `${name} works in Engineering`);
  const depts = await labels(desk, 'department');
  assert.ok(depts.length >= 2, 'the departments it works with are drawn');
  for (const d of depts) assert.ok(DEPARTMENTS.has(d) && d !== 'Engineering', `"${d}" is another demo department`);
  await shot(desk, 'graph-department');
  const other = desk.locator('svg.graph-svg a:has(g.node.department)').first();
  const name = await other.locator('text').textContent();
  await Promise.all([desk.waitForURL(url + await other.getAttribute('href')), other.locator('circle').click()]);
  assert.match(await desk.locator('h1').textContent(), new RegExp(`^${name}`), `the circle opens ${name}'s picture`);
});

test('without JavaScript the pictures are the same, and their circles are links', async () => {
  const ctx = await newContext({ javaScriptEnabled: false });
  try {
    const p = await signIn(ctx, 'mara');
    await p.goto(url + '/graph?person=tomasz');
    await checkPicture(p, 'person, no script');
    const svg = p.locator('svg.graph-svg');
    assert.equal(await svg.getAttribute('tabindex'), null, 'no script ran (it makes the picture focusable)');
    await shot(p, 'graph-nojs');
    const node = p.locator('svg.graph-svg a:has(g.node.person)').first();
    await Promise.all([p.waitForURL(url + await node.getAttribute('href')), node.locator('circle').click()]);
    await p.goto(url + '/people/tomasz');
    const img = p.locator('img.graph-img');
    await img.scrollIntoViewIfNeeded();
    await p.waitForFunction(() => document.querySelector('img.graph-img').complete);
    assert.ok(await img.evaluate((i) => i.naturalWidth > 0), 'the profile\'s picture loads');
  } finally {
    await ctx.close();
  }
});

/* ---- asking the people who know ---- */

async function unread(p) {
  const count = p.locator('header .inbox-link .count.unread');
  return await count.count() ? Number(await count.textContent()) : 0;
}

// Clicks a button or link that loads a new page (a form's POST and its redirect, often back to the
// same address) and checks where it ended: a RegExp, or an address optionally followed by #answer-N.
async function submit(p, button, where) {
  await Promise.all([p.waitForNavigation(), button.click()]);
  const re = where instanceof RegExp ? where
    : new RegExp(`^${where.replace(/[.?]/g, '\\$&')}(#answer-\\d+)?$`);
  assert.match(p.url(), re);
}

let askerCtx, asker; // lucia, an editor, asks

test('asking from a search that finds no page with every word: the title filled in, similar pages first, then whom ken asked and why', async () => {
  askerCtx = await newContext();
  asker = await signIn(askerCtx, 'lucia');
  const box = asker.locator('header form.search input[name=q]');
  await box.fill(QUESTION);
  await Promise.all([asker.waitForURL(/\/search\?q=/), box.press('Enter')]);
  // No page holds the made-up word: search says the results are a partial match and offers to ask.
  assert.match(await asker.locator('.search-results p.partial').textContent(), /No page has all of your words/);
  await submit(asker, asker.getByRole('link', { name: 'Ask this' }), /\/ask\?title=/);
  const title = asker.getByLabel('Your question, in one line');
  assert.equal(await title.inputValue(), QUESTION, 'the search fills in the title');
  const similar = asker.locator('section.similar li a[href^="/wiki/"]');
  assert.ok(await similar.count() >= 1, 'pages like the question are shown before asking');
  assert.match(await similar.first().textContent(), /PostgreSQL/);
  await asker.getByLabel('Details (Markdown)').fill('The old primary came back after the **outage**. ' +
    'Do we rebuild it from a base backup, or can `pg_rewind` make it a replica?');
  await asker.getByLabel('Tags').fill('postgresql, replication');
  await submit(asker, asker.getByRole('button', { name: 'Check for similar' }), /\/ask$/);
  assert.equal(await title.inputValue(), QUESTION, 'checking keeps the title');
  assert.deepEqual(await asker.locator('.tag-token > span').allTextContents(), ['postgresql', 'replication'],
    'checking keeps the tags, as tokens (tags.js)');
  await asker.locator('section.preview .markdown strong', { hasText: 'outage' }).waitFor();
  assert.ok(await asker.locator('section.similar li').count() >= 1);
  await shot(asker, 'ask-similar');
  await submit(asker, asker.getByRole('button', { name: 'Post the question' }), /\/questions\/\d+$/);
  questionUrl = new URL(asker.url()).pathname;
  assert.match(await asker.locator('h1').textContent(), new RegExp(QUESTION));
  assert.equal(await asker.locator('h1 .qstate').textContent(), 'Open');
  const asked = asker.locator('section.asked p a[href^="/people/"]');
  assert.ok(await asked.count() >= 1, 'ken asked somebody');
  const text = await asker.locator('section.asked p').textContent();
  for (const name of await asked.allTextContents()) {
    assert.ok(NAMES.has(name), `${name} is a colleague`);
    assert.match(text, new RegExp(`${name} \\((wrote|declared|endorsed|answered)[^)]+\\)`), `says why ${name}`);
  }
  answerer = (await asked.first().getAttribute('href')).replace('/people/', '');
  assert.notEqual(answerer, 'lucia', 'never the asker');
  await shot(asker, 'question-asked');
});

test('one of the people asked finds it in their inbox, counted in the header, and answers', async () => {
  answererCtx = await newContext();
  const p = await signIn(answererCtx, answerer);
  await p.goto(url + '/inbox');
  await p.reload(); // the first look at the inbox marks endorsements seen; questions stay unread
  const before = await unread(p);
  assert.ok(before >= 1, `the header counts unread items (${before})`);
  const item = p.locator('li.inbox-item', { has: p.locator(`a.title[href="${questionUrl}"]`) });
  assert.match(await item.getAttribute('class'), /\bunread\b/, 'the question is new');
  assert.match(await item.locator('.excerpt').textContent(), /^Why you: .+/);
  await shot(p, 'inbox');
  await submit(p, item.locator('a.title'), url + questionUrl);
  assert.equal(await p.locator('section.asked').count(), 0, 'whom ken asked is for the asker');
  await p.getByLabel('Answer (Markdown)').fill('Yes: stop it, then run `pg_rewind` against the new ' +
    'primary and start it as a standby. Rebuild from a base backup only if pg_rewind refuses.');
  await submit(p, p.getByRole('button', { name: 'Post your answer' }), /#answer-\d+$/);
  assert.equal(await p.locator('.answers h2').textContent(), '1 answer');
  assert.match(await p.locator('.answer .answer-body .meta').first().textContent(),
    new RegExp(`Answered by ${byLogin(answerer).name}`));
  assert.equal(await p.locator('h1 .qstate').textContent(), 'Answered');
  // The page that marks an item read may still count it in its header (inbox_http.c); the next not.
  await p.goto(url + '/inbox');
  assert.equal(await unread(p), before - 1, 'opening the question marked it read');
  assert.doesNotMatch(await item.getAttribute('class'), /\bunread\b/);
});

test('the asker is told, votes, accepts; the question shows as accepted; the answer becomes a page', async () => {
  const before = await unread(asker);
  await asker.goto(url + '/');
  assert.equal(await unread(asker), before + 1, 'the answer is counted in the asker\'s header');
  await asker.goto(url + questionUrl);
  const answer = asker.locator('.answer').first();
  assert.equal(await answer.locator('.vote-count').textContent(), '0');
  await submit(asker, answer.getByRole('button', { name: 'Vote up' }), url + questionUrl);
  assert.equal(await answer.locator('.vote-count').textContent(), '1');
  assert.equal(await answer.locator('form[action$="/vote"] button').textContent(), 'Voted ✓');
  await submit(asker, answer.getByRole('button', { name: 'Accept this answer' }), url + questionUrl);
  assert.equal(await asker.locator('h1 .qstate').textContent(), 'Accepted');
  assert.match(await answer.getAttribute('class'), /\baccepted\b/);
  assert.equal(await answer.locator('.accepted-mark').textContent(), '✓ Accepted answer');
  await shot(asker, 'question-accepted');
  assert.deepEqual(await phoneScreens(await askerCtx.storageState(), [['question-accepted', questionUrl]]), [],
    'the accepted answer with its "Make a page" form fits a phone');
  const path = `engineering/answers/failback-${STAMP}`;
  await answer.getByLabel('Make it a page at').fill(path);
  await submit(asker, answer.getByRole('button', { name: 'Make a page' }), url + '/wiki/' + path);
  assert.match(await asker.locator('h1').first().textContent(), new RegExp(QUESTION, 'i'));
  assert.match(await asker.locator('.markdown').first().textContent(), /run pg_rewind against the new primary/);
  await shot(asker, 'question-page');
  await asker.goto(url + questionUrl);
  assert.equal(await asker.locator('p.notice a').getAttribute('href'), '/wiki/' + path,
    'the question links to its page');
  await asker.goto(`${url}/ask?title=${encodeURIComponent(QUESTION)}`);
  const same = asker.locator(`section.similar li:has(a[href="${questionUrl}"])`);
  assert.match(await same.locator('.qstate').textContent(), /Accepted/, 'asking again shows it, answered');
});

/* ---- recognition and e-mail settings ---- */

test('/thanks shows this month\'s helpful answer and who gave it', async () => {
  await desk.goto(url + '/thanks');
  const month = new Date().toLocaleString('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });
  assert.equal(await desk.locator('h1').textContent(), `Thanks: ${month}`);
  const answer = desk.locator('ol.thanks-answers > li', { has: desk.locator(`a[href^="${questionUrl}#answer-"]`) });
  assert.match(await answer.textContent(), /Accepted/);
  assert.match(await answer.locator('.meta').textContent(), new RegExp(`answered by ${byLogin(answerer).name}`));
  assert.ok(await desk.locator(`ol.helpers a[href="/people/${answerer}"]`).count() === 1, 'thanked');
  await shot(desk, 'thanks');
});

test('/admin/engagement counts the question, its answer and its acceptance', async () => {
  await desk.goto(url + '/admin/engagement');
  const row = (name) => desk.locator(`table.engagement-figures tr:has(th:text-is("${name}"))`);
  assert.ok(Number(await row('Questions asked').locator('td.figure').textContent()) >= 1);
  assert.match(await row('Questions asked').locator('td.muted').textContent(), /[1-9]\d* of them answered, [1-9]\d* with an accepted answer/);
  assert.ok(Number(await row('Answers written').locator('td.figure').textContent()) >= 1);
  assert.match(await row('Answer rate').locator('td.figure').textContent(), /\d/);
  await shot(desk, 'engagement');
});

async function saveMail(on, smtp) {
  await desk.goto(url + '/admin');
  const form = desk.locator('form.mail-settings');
  await form.getByLabel('Send e-mail notifications').setChecked(on);
  await form.getByLabel('SMTP server').fill(smtp);
  await form.getByLabel('From address').fill('ken@northwindloom.example');
  await submit(desk, form.getByRole('button', { name: 'Save e-mail settings' }), /\/admin#email$/);
}

test('e-mail settings: the admin\'s form keeps what was saved; a person\'s choices save; nothing is sent', async () => {
  const smtp = `smtp://127.0.0.1:${await freePort()}`; // nothing listens there
  await saveMail(false, smtp);
  const form = desk.locator('form.mail-settings');
  assert.equal(await form.getByLabel('SMTP server').inputValue(), smtp);
  assert.equal(await form.getByLabel('Send e-mail notifications').isChecked(), false);
  assert.match(await desk.locator('#email + p').textContent(), /E-mail is off/);
  await desk.locator('#email').scrollIntoViewIfNeeded();
  await shot(desk, 'admin-mail', false);
  const p = answererCtx.pages()[0];
  await p.goto(url + '/inbox');
  assert.equal(await p.locator('form.mail-prefs').count(), 0, 'no e-mail choices while e-mail is off');
  await saveMail(true, smtp);
  try {
    await p.goto(url + '/inbox');
    const box = p.getByLabel('Endorsements of my skills');
    assert.equal(await box.isChecked(), true, 'every kind is on until the person says otherwise');
    await box.uncheck();
    await submit(p, p.locator('form.mail-prefs').getByRole('button', { name: 'Save' }), /\/inbox#email$/);
    assert.equal(await p.getByLabel('Endorsements of my skills').isChecked(), false, 'the choice is kept');
    const kinds = p.locator('form.mail-prefs input[name=kind]');
    assert.equal(await p.locator('form.mail-prefs input[name=kind]:checked').count(), await kinds.count() - 1,
      'and only that one changed');
    await p.locator('#email').scrollIntoViewIfNeeded();
    await shot(p, 'inbox-email', false);
  } finally {
    await saveMail(false, smtp);
  }
  assert.match(await desk.locator('#email + p').textContent(), /E-mail is off/, 'e-mail is off again');
  assert.equal(await desk.locator('p.mail-queue').textContent(), '0 waiting, 0 sent (last 30 days), 0 failed');
});

/* ---- HR ---- */

let hrCtx;
test('HR finds hidden talent: the accountant who writes Python, searching for the skill', async () => {
  const planted = DEMO.find((p) => p.department === 'Finance' && /(^|,)Python:[3-5]/.test(p.skills));
  assert.ok(planted, 'the demo has someone in Finance who writes Python');
  hrCtx = await newContext();
  const hr = await signIn(hrCtx, 'fiona');
  await hr.goto(url + '/hr');
  await hr.getByLabel('Has the skill').fill('Python');
  await submit(hr, hr.getByRole('button', { name: 'Search' }).last(), /skill=Python/);
  const row = hr.locator('table.hr-results tbody tr', { has: hr.locator(`a[href="/people/${planted.login}"]`) });
  assert.equal(await row.count(), 1, `${planted.name} is found by the skill`);
  assert.match(await row.locator('td').nth(3).textContent(), /^Finance/, 'although they work in Finance');
  assert.ok(await hr.locator('table.hr-results tbody tr').count() >= 3, 'among the people who know Python');
  await shot(hr, 'hr-python', false);
  const talent = hr.locator('section.talent', { has: hr.locator('h4 a', { hasText: /^Python$/ }) });
  assert.equal(await talent.locator(`a[href="/people/${planted.login}"]`).count(), 1,
    'and listed as hidden talent under Python');
  assert.match(await talent.locator('h4 .hint').textContent(), /usual in .*Engineering/);
  await talent.screenshot({ path: join(SHOTS, 'hr-hidden-talent.png') });
});

/* ---- accessibility and the phone width of the new screens ---- */

const SCREENS = [['thanks', '/thanks'], ['engagement', '/admin/engagement'],
  ['question', () => questionUrl], ['graph', '/graph?person=tomasz'], ['inbox', '/inbox']];

for (const [label, path] of SCREENS) {
  test(`accessibility (axe-core): ${label}, no serious or critical violations`, async () => {
    const p = await deskCtx.newPage();
    try {
      const resp = await p.goto(url + (typeof path === 'function' ? path() : path));
      assert.ok(resp.status() < 400, `${label} answers ${resp.status()}`);
      await axe(p, label);
    } finally {
      await p.close();
    }
  });
}

test('phone width (390x844): the new screens fit the width', async () => {
  const wide = await phoneScreens(await deskCtx.storageState(),
    SCREENS.map(([name, path]) => [name, typeof path === 'function' ? path() : path]));
  assert.deepEqual(wide, [], 'screens wider than a 390px phone');
});

closingTests();
