// rush-check.test.mjs — the Friday-rush benchmark's checks must be able to
// fail: a synthetic rush (answers + a small database) that is right passes,
// and each kind of violation — a shift over capacity, a waitlist out of
// order, a person in two overlapping shifts, an unexpected answer, answers
// that disagree with the database — makes check() throw.
// Run: node --test tests/bench/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { check } from '../../bench/scenarios/40_friday_rush.mjs';
import { sqlite } from '../../bench/vol_lib.mjs';

// Two overlapping shifts of capacity 2. Volunteers 1–5 try shift 10, 6 and 7
// try shift 11, volunteer 1 also tries 11 (refused: overlap).
function world(mutate = (x) => x) {
  const dir = mkdtempSync(join(tmpdir(), 'rush-check-'));
  const db = join(dir, 'w.db');
  const shifts = [{ id: 10, capacity: 2 }, { id: 11, capacity: 2 }];
  const rows = [	// id, shift, volunteer, status, waitlist position answered
    [1, 10, 1, 'confirmed'], [2, 10, 2, 'confirmed'], [3, 11, 6, 'confirmed'], [4, 10, 3, 'waitlisted', 1],
    [5, 10, 4, 'waitlisted', 2], [6, 11, 7, 'confirmed'], [7, 10, 5, 'waitlisted', 3],
  ];
  const jobs = [], res = [];
  for (const [id, sid, vid, status, pos] of rows) {
    jobs.push({ v: { vid }, s: { id: sid } });
    res.push({ status: 201, body: JSON.stringify({ id, shift_id: sid, status, waitlist_position: pos ?? null }), start: 0, end: 1 });
  }
  jobs.push({ v: { vid: 1 }, s: { id: 11 } });
  res.push({ status: 409, body: JSON.stringify({ error: { code: 'overlap' } }), start: 0, end: 1 });
  const x = mutate({ rows, jobs, res, extraSql: '' });
  sqlite(db, `CREATE TABLE shifts (id INTEGER PRIMARY KEY, capacity INT, start_at INT, end_at INT, status TEXT);
    CREATE TABLE signups (id INTEGER PRIMARY KEY, shift_id INT, volunteer_id INT, status TEXT);
    INSERT INTO shifts VALUES (10, 2, 1000, 2000, 'open'), (11, 2, 1500, 2500, 'open');
    ${x.rows.map(([id, sid, vid, st]) => `INSERT INTO signups VALUES (${id}, ${sid}, ${vid}, '${st}');`).join('\n')}
    ${x.extraSql}`);
  try { return check(x.jobs, x.res, db, shifts); } finally { rmSync(dir, { recursive: true, force: true }); }
}

test('a right rush passes and is counted', () => {
  assert.deepEqual(world(), { confirmed: 4, places: 4, live: 7 });
});

test('a shift over capacity fails', () => {
  assert.throws(() => world((x) => ({ ...x, extraSql: "UPDATE signups SET status = 'confirmed' WHERE id = 4;" })),
    /shift 10: 3 confirmed/);
});

test('a waitlist out of order fails', () => {
  // Sign-up 5 confirmed although 4 came first and is waitlisted.
  assert.throws(() => world((x) => ({ ...x, extraSql: "UPDATE signups SET status = 'waitlisted' WHERE id = 2; UPDATE signups SET status = 'confirmed' WHERE id = 5;" })),
    /not FIFO/);
});

test('waitlist positions answered out of order fail', () => {
  assert.throws(() => world((x) => {
    x.res[4] = { ...x.res[4], body: JSON.stringify({ id: 5, shift_id: 10, status: 'waitlisted', waitlist_position: 1 }) };
    return x;
  }), /answered position 1, expected 2/);
});

test('a person live in two overlapping shifts fails', () => {
  assert.throws(() => world((x) => ({ ...x, extraSql: "INSERT INTO signups VALUES (8, 11, 1, 'waitlisted');" })),
    /overlapping live sign-ups/);
});

test('an answer other than 201 or 409 overlap fails', () => {
  assert.throws(() => world((x) => { x.res[7] = { ...x.res[7], status: 503, body: '{"error":{"code":"unavailable"}}' }; return x; }),
    /503/);
});

test('a volunteer with both attempts accepted fails', () => {
  assert.throws(() => world((x) => { x.res[7] = { ...x.res[7], status: 201, body: JSON.stringify({ id: 9, shift_id: 11, status: 'waitlisted', waitlist_position: 1 }) }; return x; }),
    /volunteer 1: 2 sign-ups accepted/);
});

test('answers that disagree with the database fail', () => {
  assert.throws(() => world((x) => ({ ...x, extraSql: 'DELETE FROM signups WHERE id = 7;' })), /answered 201 but 6 live/);
});
