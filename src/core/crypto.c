/* crypto.c — see crypto.h. */
#include "crypto.h"
#include "log.h"
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static unsigned char enc_key[crypto_secretbox_KEYBYTES];
static unsigned char mac_key[crypto_generichash_KEYBYTES];

int crypto_setup(const char *dir)
{
	if (sodium_init() < 0)
		return -1;
	char path[4096];
	unsigned char raw[64];
	snprintf(path, sizeof path, "%s/secret.key", dir);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		randombytes_buf(raw, sizeof raw);
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0 || write(fd, raw, sizeof raw) != (ssize_t)sizeof raw || fsync(fd) != 0) {
			log_error("cannot create %s: %s", path, strerror(errno));
			if (fd >= 0)
				close(fd);
			return -1;
		}
		close(fd);
	} else if (fd < 0) {
		log_error("cannot open %s: %s", path, strerror(errno));
		return -1;
	} else {
		struct stat st;
		if (fstat(fd, &st) == 0 && (st.st_mode & 077))
			log_warn("%s is readable by others; it should be mode 0600", path);
		ssize_t n = read(fd, raw, sizeof raw);
		close(fd);
		if (n != (ssize_t)sizeof raw) {
			log_error("%s is damaged (expected %zu bytes)", path, sizeof raw);
			return -1;
		}
	}
	memcpy(enc_key, raw, 32);
	memcpy(mac_key, raw + 32, 32);
	sodium_memzero(raw, sizeof raw);
	return 0;
}

int pw_hash(const char *password, char *out, size_t outsz)
{
	if (outsz < crypto_pwhash_STRBYTES)
		return -1;
	return crypto_pwhash_str_alg(out, password, strlen(password),
				     crypto_pwhash_OPSLIMIT_INTERACTIVE,
				     crypto_pwhash_MEMLIMIT_INTERACTIVE,
				     crypto_pwhash_ALG_ARGON2ID13);
}

int pw_verify(const char *hash, const char *password)
{
	return hash && crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

void token_new(char *out, size_t outsz, size_t nbytes)
{
	unsigned char raw[64];
	if (nbytes > sizeof raw)
		nbytes = sizeof raw;
	randombytes_buf(raw, nbytes);
	sodium_bin2base64(out, outsz, raw, nbytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

void token_hash(const char *token, char *out, size_t outsz)
{
	unsigned char h[32];
	crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token), NULL, 0);
	sodium_bin2hex(out, outsz, h, sizeof h);
}

void keyed_hash(const char *s, char *out, size_t outsz)
{
	unsigned char h[32];
	crypto_generichash(h, sizeof h, (const unsigned char *)s, strlen(s), mac_key, sizeof mac_key);
	sodium_bin2hex(out, outsz, h, sizeof h);
}

char *secret_encrypt(const char *plain)
{
	size_t n = strlen(plain);
	size_t clen = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + n;
	unsigned char *c = malloc(clen);
	if (!c)
		return NULL;
	randombytes_buf(c, crypto_secretbox_NONCEBYTES);
	crypto_secretbox_easy(c + crypto_secretbox_NONCEBYTES, (const unsigned char *)plain, n, c, enc_key);
	size_t blen = sodium_base64_ENCODED_LEN(clen, sodium_base64_VARIANT_ORIGINAL);
	char *b = malloc(blen);
	if (b)
		sodium_bin2base64(b, blen, c, clen, sodium_base64_VARIANT_ORIGINAL);
	free(c);
	return b;
}

char *secret_decrypt(const char *b64)
{
	size_t blen = strlen(b64), clen = 0;
	unsigned char *c = malloc(blen + 1);
	if (!c)
		return NULL;
	if (sodium_base642bin(c, blen + 1, b64, blen, NULL, &clen, NULL, sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    clen < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
		free(c);
		return NULL;
	}
	size_t n = clen - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES;
	char *p = malloc(n + 1);
	if (p && crypto_secretbox_open_easy((unsigned char *)p, c + crypto_secretbox_NONCEBYTES,
					    clen - crypto_secretbox_NONCEBYTES, c, enc_key) != 0) {
		free(p);
		p = NULL;
	}
	if (p)
		p[n] = 0;
	free(c);
	return p;
}

int secure_streq(const char *a, const char *b)
{
	size_t n = strlen(a);
	if (n != strlen(b))
		return 0;
	return sodium_memcmp(a, b, n) == 0;
}
