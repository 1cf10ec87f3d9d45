/*
 * party_meetings.h — what the 三会一课 files share (party_meetings.c,
 * party_meeting_signin.c, party_compliance.c, the scheduler).
 */
#ifndef WM_API_PARTY_MEETINGS_H
#define WM_API_PARTY_MEETINGS_H
#include "api.h"

/* The meeting if it exists and is in the caller's scope, else answers 404 and
 * returns NULL with *status set. */
json_t *meeting_load(struct req *r, int64_t id, int *status);
/* Drops the internal columns (secret, path) and renders the instants. */
json_t *meeting_view(json_t *m);
/* Reminders before a compliance period closes unmet (party_compliance.c):
 * once per (org, rule, period); *sent = reminders sent. */
int meetings_tick(int64_t now, int *sent);
#endif
