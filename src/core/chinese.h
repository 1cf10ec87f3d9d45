/*
 * chinese.h — traditional → simplified Chinese (OpenCC, t2s.json), used at
 * index and query time by full-text search so that 樓道堆物 and 楼道堆物 match.
 */
#ifndef WM_CHINESE_H
#define WM_CHINESE_H

/* Loads the converter (optional: zh_simplify loads it on first use).
 * 0 on success, -1 when OpenCC or its data is unavailable (logged once). */
int zh_init(void);
/* The simplified form of utf8, malloc'd (NULL only when out of memory or
 * utf8 is NULL). Thread-safe. Text that is not valid UTF-8, or any text
 * when OpenCC is unavailable, comes back as an unchanged copy. */
char *zh_simplify(const char *utf8);
/* Releases the converter; a later zh_simplify loads it again. */
void zh_shutdown(void);
#endif
