/*
 * log.h — JSON-lines logs. The access log goes to stdout, errors to stderr,
 * one JSON object per line, so they feed any log shipper unchanged.
 */
#ifndef WM_LOG_H
#define WM_LOG_H
#include <jansson.h>

/* Level "error"/"warn"/"info"; message is printf-formatted. Thread-safe. */
void log_msg(const char *level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define log_error(...) log_msg("error", __VA_ARGS__)
#define log_warn(...) log_msg("warn", __VA_ARGS__)
#define log_info(...) log_msg("info", __VA_ARGS__)
/* Writes one access-log line; steals the reference to entry. */
void log_access(json_t *entry);
/* Silence info/access lines (CLI commands other than serve). */
void log_quiet(int quiet);
/* RFC 3339 UTC timestamp with milliseconds into out (>= 32 bytes). */
void log_now(char *out, size_t n);
#endif
