/*
 * fuzz_api.c — the whole request path in process: libmicrohttpd's parser
 * (headers, query string, our %-unescaper), the dispatcher (route match,
 * query-parameter checks, auth, CSRF, permission and scope, JSON parsing,
 * idempotency keys, the write transaction) and the real handlers of every
 * route family, on a demo database built in a temporary directory at start.
 * Multipart photo uploads go through MHD's post processor and photos.c; the
 * CSV/XLSX imports through their row handlers.
 *
 * The request is written to one end of a loopback TCP connection whose other
 * end is handed to a daemon with no listening socket and no threads
 * (server_start_local), driven with MHD_run.
 *
 * Input, lines (see fuzz/corpus/api for realistic ones):
 *   1  route: a handler name from routes.def (else a hash picks one)
 *   2  values for the pattern's {…} parts, space-separated, in order
 *   3  the query string (bytes a request line cannot hold are %-encoded)
 *   4  options: a anonymous, v volunteer, r resident, o office (default
 *      admin); k session cookie with its CSRF token, K cookie without;
 *      j json, m multipart, f form, t text/csv, x xlsx, n no Content-Type
 *      (default by route); i an Idempotency-Key; M<c> another method
 *   5… the body
 *
 * Properties: every answer is a complete HTTP response; never a 500 (an
 * internal error is a bug: bad input must get a 4xx); a JSON answer parses;
 * an error answer of /api/v1 has the SPEC §11 shape {"error":{code,message}};
 * no request leaves a file descriptor open.
 *
 * State: writes commit, so an answer may depend on the inputs run before it
 * in the same process (the replay runs them in file-name order, so the test
 * is deterministic; to reproduce a libFuzzer finding that needs history, give
 * it the corpus too). The four sessions are recreated before every request
 * when an input logged one out. FUZZ_API_PEOPLE (default 30) sizes the demo.
 */
#include "fuzz.h"
#include "api/api.h"
#include "api/sites.h"
#include "core/crypto.h"
#include "core/photo.h"
#include "core/log.h"
#include "demo.h"
#include "http/metrics.h"
#include "http/server.h"
#include "store/store.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static struct MHD_Daemon *daemon_;
static char dir[256];
static int listener = -1;	/* 127.0.0.1:ephemeral, for the connection pairs */
static struct sockaddr_in listen_addr;

/* Demo accounts with a fixed session token each (recreated when a request
 * logged it out). */
static struct who {
	const char *login;
	char opt;
	char token[40], hash[65], csrf[40];
	int64_t id;
} who[] = {{.login = "admin"}, {.login = "volunteer", .opt = 'v'}, {.login = "resident", .opt = 'r'},
	   {.login = "office", .opt = 'o'}};
#define NWHO (sizeof who / sizeof *who)

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	return remove(path);
}

static void cleanup(void)
{
	if (daemon_)
		MHD_stop_daemon(daemon_);
	daemon_ = NULL;
	if (listener >= 0)
		close(listener);
	store_shutdown();
	if (dir[0])
		nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Removes the databases of earlier runs that died (a crash skips atexit):
 * wm-fuzz-api-PID-* whose PID is gone. */
static void sweep(const char *tmp)
{
	DIR *d = opendir(tmp);
	if (!d)
		return;
	for (struct dirent *e; (e = readdir(d));) {
		long pid;
		char path[512];
		if (sscanf(e->d_name, "wm-fuzz-api-%ld-", &pid) != 1 || pid <= 0 || kill((pid_t)pid, 0) == 0 ||
		    errno != ESRCH)
			continue;
		snprintf(path, sizeof path, "%s/%s", tmp, e->d_name);
		nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	}
	closedir(d);
}

static void sessions(void)
{
	for (size_t i = 0; i < NWHO; i++) {
		json_t *s = store_session_get(who[i].hash);
		if (!s && who[i].id) {
			store_begin();
			store_session_create(who[i].hash, who[i].id, who[i].csrf, (int64_t)time(NULL) + 86400 * 365);
			store_commit();
		}
		json_decref(s);
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	CHECK(photo_init((*argv)[0]) == 0);
	const char *tmp = getenv("TMPDIR");
	tmp = tmp && *tmp ? tmp : "/tmp";
	sweep(tmp);
	snprintf(dir, sizeof dir, "%s/wm-fuzz-api-%ld-XXXXXX", tmp, (long)getpid());
	CHECK(mkdtemp(dir));
	atexit(cleanup);
	log_quiet(1);
	snprintf(app.data_dir, sizeof app.data_dir, "%s", dir);
	CHECK(crypto_setup(dir) == 0 && store_init(dir) == STORE_OK);
	CHECK(categories_load_defaults(0) == 0 && site_types_load_defaults() == 0);
	int people = getenv("FUZZ_API_PEOPLE") ? atoi(getenv("FUZZ_API_PEOPLE")) : 30;
	CHECK(demo_build(people) == 0);
	app.demo = 1;
	metrics_init(api_route_names(), api_nroutes);
	for (size_t i = 0; i < NWHO; i++) {
		json_t *a = store_account_auth(who[i].login);
		CHECK(a);
		who[i].id = jint(a, "id", 0);
		json_decref(a);
		snprintf(who[i].token, sizeof who[i].token, "fuzz-token-%s", who[i].login);
		snprintf(who[i].csrf, sizeof who[i].csrf, "fuzz-csrf-%s", who[i].login);
		token_hash(who[i].token, who[i].hash, sizeof who[i].hash);
	}
	sessions();
	struct server_hooks h = {api_begin, api_handle, api_finish};
	daemon_ = server_start_local(&h);
	CHECK(daemon_);
	listener = socket(AF_INET, SOCK_STREAM, 0);
	listen_addr = (struct sockaddr_in){.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t al = sizeof listen_addr;
	CHECK(listener >= 0 && bind(listener, (struct sockaddr *)&listen_addr, sizeof listen_addr) == 0 &&
	      listen(listener, 4) == 0 && getsockname(listener, (struct sockaddr *)&listen_addr, &al) == 0);
	return 0;
}

typedef struct {
	char *p;
	size_t len, cap;
} sbuf;

static void put(sbuf *b, const void *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->p = realloc(b->p, b->cap);
		CHECK(b->p);
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = 0;
}

static void puts_(sbuf *b, const char *s)
{
	put(b, s, strlen(s));
}

/* Bytes a request line cannot hold as they are, %-encoded; keep_extra lists
 * the reserved characters kept raw. */
static void put_enc(sbuf *b, const char *s, size_t n, const char *keep_extra)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c > 0x20 && c < 0x7f && c != '#' && c != '?' && c != '"' && c != '<' && c != '>' && c != '\\' &&
		     c != '^' && c != '`' && c != '{' && c != '}' && c != '|') ||
		    (c && strchr(keep_extra, c))) {
			put(b, &s[i], 1);
		} else {
			char e[4];
			snprintf(e, sizeof e, "%%%02X", c);
			put(b, e, 3);
		}
	}
}

/* The next line of [*p, end) (without its LF); *p moves past it. */
static const char *line(const char **p, const char *end, size_t *n)
{
	const char *s = *p;
	const char *nl = s < end ? memchr(s, '\n', (size_t)(end - s)) : NULL;
	*n = (size_t)((nl ? nl : end) - s);
	*p = nl ? nl + 1 : end;
	return s;
}

static const struct route *pick_route(const char *name, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < api_nroutes; i++)
		if (strlen(api_routes[i].name) == n && !memcmp(api_routes[i].name, name, n))
			return &api_routes[i];
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)name[i]) * 16777619u;
	return &api_routes[h % api_nroutes];
}

/* Sends req over a loopback connection and returns the raw response (malloc'd). */
static char *exchange(const char *req, size_t len, size_t *out_len)
{
	int sv[2];
	struct sockaddr_in peer;
	socklen_t pl = sizeof peer;
	/* MHD closes first, so every connection leaves a TIME_WAIT for 60 s; at a
	 * few hundred requests a second one source address runs out of ports.
	 * All of 127/8 is loopback: each request comes from the next of 65 000. */
	static unsigned next_src;
	struct sockaddr_in src = {.sin_family = AF_INET,
				  .sin_addr.s_addr = htonl(0x7F010001u + next_src++ % 65000u)};
	sv[0] = socket(AF_INET, SOCK_STREAM, 0);
	CHECK(sv[0] >= 0 && bind(sv[0], (struct sockaddr *)&src, sizeof src) == 0);
	if (connect(sv[0], (struct sockaddr *)&listen_addr, sizeof listen_addr) != 0) {
		perror("fuzz_api: connect");
		CHECK(!"connected");
	}
	sv[1] = accept(listener, (struct sockaddr *)&peer, &pl);
	CHECK(sv[1] >= 0);
	int one = 1;	/* MHD writes headers and body apart: no 40 ms delayed-ACK stall */
	setsockopt(sv[1], IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	setsockopt(sv[0], IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	CHECK(MHD_add_connection(daemon_, sv[1], (const struct sockaddr *)&peer, pl) == MHD_YES);
	sbuf resp = {0};
	size_t sent = 0;
	int idle = 0;
	for (;;) {
		int progress = 0;
		if (sent < len) {
			ssize_t w = write(sv[0], req + sent, len - sent);
			if (w > 0) {
				sent += (size_t)w;
				progress = 1;
			}
		}
		MHD_run(daemon_);
		char chunk[65536];
		ssize_t r = read(sv[0], chunk, sizeof chunk);
		if (r > 0) {
			put(&resp, chunk, (size_t)r);
			progress = 1;
		} else if (r == 0 || (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK))
			break;	/* MHD closed the connection: the answer is complete */
		if (!progress) {
			struct pollfd pf = {.fd = sv[0], .events = POLLIN};
			poll(&pf, 1, 1);
			if (++idle > 20000) {	/* ~20 s without a byte: MHD is stuck */
				fprintf(stderr, "no answer to:\n%.*s\n", (int)(len < 2000 ? len : 2000), req);
				CHECK(!"request answered");
			}
		} else
			idle = 0;
	}
	close(sv[0]);
	MHD_run(daemon_);	/* lets MHD notice the close and free the request */
	*out_len = resp.len;
	if (!resp.p)
		puts_(&resp, "");
	return resp.p;
}

static void check_response(const struct route *rt, const char *method, const char *resp, size_t n, const char *req,
			   size_t req_len)
{
	int status = 0;
	if (n < 12 || sscanf(resp, "HTTP/1.%*c %d", &status) != 1) {
		fprintf(stderr, "no HTTP answer (%zu bytes) to:\n%.*s\n", n, (int)(req_len < 4000 ? req_len : 4000), req);
		CHECK(!"an HTTP response");
	}
	CHECK(status >= 200 && status < 600);
	if (status == 500) {
		fprintf(stderr, "500 from %s %s for:\n%.*s\n--- answer:\n%.*s\n", rt->method, rt->pattern,
			(int)(req_len < 4000 ? req_len : 4000), req, (int)(n < 2000 ? n : 2000), resp);
		CHECK(status != 500);
	}
	const char *body = strstr(resp, "\r\n\r\n");
	CHECK(body);
	body += 4;
	size_t blen = n - (size_t)(body - resp);
	int is_json = strstr(resp, "Content-Type: application/json") && strstr(resp, "Content-Type: application/json") < body;
	if (is_json && blen && strcmp(method, "HEAD")) {
		json_error_t err;
		json_t *j = json_loadb(body, blen, JSON_DECODE_ANY, &err);
		CHECK(j);
		if (status >= 400 && !strncmp(rt->pattern, "/api/", 5)) {
			json_t *e = json_object_get(j, "error");
			if (!json_is_string(json_object_get(e, "code")) || !json_is_string(json_object_get(e, "message")))
				fprintf(stderr, "error answer without the error shape: %.*s\n", (int)blen, body);
			CHECK(json_is_string(json_object_get(e, "code")) && json_is_string(json_object_get(e, "message")));
		}
		json_decref(j);
	}
}

/* Open file descriptors, and the target of the highest one. */
static int count_fds(char *last, size_t n)
{
	int count = 0, hi = -1;
	DIR *d = opendir("/proc/self/fd");
	if (!d)
		return -1;
	for (struct dirent *e; (e = readdir(d));) {
		if (e->d_name[0] == '.')
			continue;
		count++;
		if (atoi(e->d_name) > hi)
			hi = atoi(e->d_name);
	}
	closedir(d);
	char link[64];
	snprintf(link, sizeof link, "/proc/self/fd/%d", hi - 1);	/* hi is the DIR's own */
	ssize_t k = readlink(link, last, n - 1);
	last[k > 0 ? k : 0] = 0;
	return count;
}

static const char *const methods[] = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 256 * 1024)
		return 0;
	const char *p = (const char *)data, *end = p + size;
	size_t n_name, n_params, n_query, n_opts;
	const char *name = line(&p, end, &n_name);
	const char *params = line(&p, end, &n_params);
	const char *query = line(&p, end, &n_query);
	const char *opts = line(&p, end, &n_opts);
	const char *body = p;
	size_t blen = (size_t)(end - p);
	const struct route *rt = pick_route(name, n_name);

	const char *method = rt->method;
	struct who *as = &who[0];
	int anonymous = 0, cookie = 0, csrf = 1, idem = 0;
	const char *ctype = NULL;
	if (rt->flags & R_RAW)
		ctype = strstr(rt->pattern, "photos") ? "multipart/form-data; boundary=fuzzb"
			: strstr(rt->pattern, "open311") ? "application/x-www-form-urlencoded"
							  : "text/csv";
	else
		ctype = "application/json";
	for (size_t i = 0; i < n_opts; i++) {
		switch (opts[i]) {
		case 'a': anonymous = 1; break;
		case 'k': cookie = 1; break;
		case 'K': cookie = 1, csrf = 0; break;
		case 'j': ctype = "application/json"; break;
		case 'm': ctype = "multipart/form-data; boundary=fuzzb"; break;
		case 'f': ctype = "application/x-www-form-urlencoded"; break;
		case 't': ctype = "text/csv"; break;
		case 'x': ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"; break;
		case 'n': ctype = NULL; break;
		case 'i': idem = 1; break;
		case 'M':
			if (i + 1 < n_opts)
				method = methods[(unsigned char)opts[++i] % (sizeof methods / sizeof *methods)];
			break;
		default:
			for (size_t k = 0; k < NWHO; k++)
				if (who[k].opt && who[k].opt == opts[i])
					as = &who[k];
		}
	}

	sbuf req = {0};
	puts_(&req, method);
	puts_(&req, " ");
	/* The path: the pattern with the values of line 2 in its {…} parts. */
	const char *tok = params, *tend = params + n_params;
	for (const char *c = rt->pattern; *c;) {
		if (*c != '{') {
			put(&req, c, 1);
			c++;
			continue;
		}
		while (tok < tend && *tok == ' ')
			tok++;
		const char *te = tok;
		while (te < tend && *te != ' ')
			te++;
		if (te > tok)
			put_enc(&req, tok, (size_t)(te - tok), "");
		else
			puts_(&req, "1");
		tok = te;
		c = strchr(c, '}') + 1;
	}
	if (n_query) {
		puts_(&req, "?");
		put_enc(&req, query, n_query, "?");
	}
	puts_(&req, " HTTP/1.1\r\nHost: fuzz\r\nConnection: close\r\n");
	sessions();
	if (!anonymous) {
		char h[256];
		if (cookie) {
			snprintf(h, sizeof h, "Cookie: wm_session=%s\r\n", as->token);
			puts_(&req, h);
			if (csrf) {
				snprintf(h, sizeof h, "X-CSRF-Token: %s\r\n", as->csrf);
				puts_(&req, h);
			}
		} else {
			snprintf(h, sizeof h, "Authorization: Bearer %s\r\n", as->token);
			puts_(&req, h);
		}
	}
	if (idem)
		puts_(&req, "Idempotency-Key: fuzz-key-1\r\n");
	if (ctype && blen) {
		puts_(&req, "Content-Type: ");
		puts_(&req, ctype);
		puts_(&req, "\r\n");
	}
	char cl[64];
	snprintf(cl, sizeof cl, "Content-Length: %zu\r\n\r\n", blen);
	puts_(&req, cl);
	put(&req, body, blen);

	size_t rlen;
	char last[256];
	int fds = count_fds(last, sizeof last);
	char *resp = exchange(req.p, req.len, &rlen);
	check_response(rt, method, resp, rlen, req.p, req.len);
	/* A request must give back every descriptor it opened (files, sockets). */
	int fds_after = count_fds(last, sizeof last);
	if (fds_after > fds)
		fprintf(stderr, "%d descriptors before, %d after (newest: %s) for:\n%.*s\n", fds, fds_after, last,
			(int)(req.len < 2000 ? req.len : 2000), req.p);
	CHECK(fds_after <= fds);
	free(resp);
	free(req.p);
	return 0;
}
