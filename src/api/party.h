/*
 * party.h (api) — the party tree shared by party_orgs.c and party_members.c:
 * every party org with its party parent (the org tree holds 党总支 under
 * their community, so the party tree is derived, see party_tree_build).
 */
#ifndef WM_API_PARTY_H
#define WM_API_PARTY_H
#include "api.h"

/* store_party_orgs() with "parent_id" replaced by the party parent (or null),
 * "org_parent_id" the org tree's parent, and per org "counts" (own members)
 * and "subtree" (members of it and every party org below it), "children". */
json_t *party_tree_build(struct req *r);
/* The row of org id in a tree from party_tree_build, or NULL. */
json_t *party_tree_find(json_t *tree, int64_t id);
/* A JSON array of id and the ids of every party org below it. */
json_t *party_tree_subtree_ids(json_t *tree, int64_t id);
/* 1 when id is a party org the caller's grant covers (else it reads as missing). */
int party_org_visible(struct req *r, int64_t id);
#endif
