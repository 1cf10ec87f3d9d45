// clock.mjs — the instant the tests run at. Normally the real time; with
// WENMING_CLOCK_START=<RFC 3339> (scripts/test-dates.sh) the server is started
// with its test clock at that instant (WENMING_TEST_CLOCK=1), and the tests
// read "now" from here instead of Date.now(), so that expectations (today,
// this month, ages, "back to the present" after moving the clock) follow the
// server's clock, not the machine's.
//
// The offset (chosen instant − real time at the server's start) is kept in
// WENMING_CLOCK_OFFSET_MS so the test files run.mjs spawns inherit it.
export const CLOCK_START = process.env.WENMING_CLOCK_START || '';

// The environment for a server that starts at CLOCK_START (empty without it).
// Records the offset: call it right before spawning the server.
export function clockStartEnv() {
  if (!CLOCK_START) return {};
  const t = Date.parse(CLOCK_START);
  if (!Number.isFinite(t)) throw new Error(`WENMING_CLOCK_START=${CLOCK_START} is not an RFC 3339 time`);
  process.env.WENMING_CLOCK_OFFSET_MS = String(t - Date.now());
  return { WENMING_TEST_CLOCK: '1', WENMING_CLOCK_START: CLOCK_START };
}

const offset = () => Number(process.env.WENMING_CLOCK_OFFSET_MS || 0);
// The server's "now" in ms (the real time when no start was chosen).
export const clockNow = () => Date.now() + offset();
// The same as an ISO string: what PUT /api/v1/system/clock takes to put the
// clock back to the present after a test moved it.
export const clockIso = () => new Date(clockNow()).toISOString();
