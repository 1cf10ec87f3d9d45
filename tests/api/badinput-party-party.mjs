// badinput-party-party.mjs — the bad-input fixtures of the party feature's body routes
// (docs/PARTY.md), merged into badinput.test.mjs's BODY_ROUTES. Each route: (fx) → where
// to send it, as whom (`who`: a session; default admin), a valid body (never sent as is)
// and a body of wrong types (each key → "wrong_type"). fixtures() creates or finds the
// objects the paths name and returns them to be merged into fx.
import { api, as, login, orgId, tag } from './harness.mjs';

export const routes = {
};

export async function fixtures({ admin, fx }) {
  return {};
}
