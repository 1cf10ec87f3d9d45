/*
 * crypto.h — libsodium in one place: Argon2id password hashes, random tokens,
 * the data key (DIR/secret.key, 0600, made on first run) used to encrypt ID
 * numbers and phones, and the keyed hash that makes ID numbers unique without
 * storing them in clear.
 */
#ifndef WM_CRYPTO_H
#define WM_CRYPTO_H
#include <stddef.h>

/* Loads or creates DIR/secret.key. 0 on success. */
int crypto_setup(const char *dir);
/* Argon2id, libsodium's interactive limits. out needs 128 bytes. */
int pw_hash(const char *password, char *out, size_t outsz);
int pw_verify(const char *hash, const char *password);	/* 1 = match */
/* n random bytes as base64url (no padding) into out. */
void token_new(char *out, size_t outsz, size_t nbytes);
/* Hex of the BLAKE2b hash of a token (sessions store only this). out >= 65. */
void token_hash(const char *token, char *out, size_t outsz);
/* Keyed hash (hex) with the data key: equality without the clear value. */
void keyed_hash(const char *s, char *out, size_t outsz);
/* Authenticated encryption with the data key; base64 in and out. malloc'd,
 * NULL on failure (decrypt: tampered or wrong key). */
char *secret_encrypt(const char *plain);
char *secret_decrypt(const char *b64);
/* Constant-time string compare. */
int secure_streq(const char *a, const char *b);
#endif
