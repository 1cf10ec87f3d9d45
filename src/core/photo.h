/*
 * photo.h — ingest of uploaded photos (SPEC §3 photos of problems, §14 "uploads
 * are sniffed and re-encoded, metadata stripped after the GPS is read").
 *
 * The file name and the declared Content-Type of an upload are never looked
 * at: the type is sniffed from the bytes (libmagic), EXIF GPS and time are
 * read (libexif) before the image is re-encoded (libvips) as a JPEG without
 * any metadata, and the result is stored content-addressed by its SHA-256.
 */
#ifndef WM_PHOTO_H
#define WM_PHOTO_H
#include <stddef.h>

enum { PHOTO_OK = 0, PHOTO_EUNSUPPORTED = -1, PHOTO_ETOOLARGE = -2, PHOTO_ECORRUPT = -3, PHOTO_EIO = -4 };

#define PHOTO_MAX_PIXELS 40000000LL	/* header width*height above this: ETOOLARGE */
/* The decode budget in bytes of samples, width × height × bands × bytes per
 * sample, from the header: 40 MP of 8-bit RGB. Decode time and memory follow
 * samples, not pixels — a 40 MP 16-bit RGBA PNG is 320 MB of samples and took
 * 8.8 s (review 2026-12-07 #7); it is refused before any pixel is decoded. */
#define PHOTO_MAX_SAMPLE_BYTES 120000000LL
#define PHOTO_MAX_SIDE 2560		/* long side of the stored image */
#define PHOTO_THUMB_SIDE 320		/* long side of the thumbnail */
#define PHOTO_QUALITY 82		/* JPEG quality of both */

struct photo_info {
	char sha256[65];     /* hex of the stored (re-encoded) full image: its id on disk */
	char mime[24];       /* always "image/jpeg" for stored images */
	char sniffed[48];    /* what libmagic said the upload was, e.g. "image/png" */
	int width, height;   /* of the stored image */
	size_t bytes;        /* of the stored image */
	int has_time; long long taken_at;   /* EXIF DateTimeOriginal as unix seconds, interpreted as China time UTC+8 unless OffsetTimeOriginal says otherwise */
	int has_gps; double lat, lng;       /* EXIF GPS, signed decimal degrees (S and W negative) */
};

/* Call once per process before any thread ingests: starts libvips (operation
 * cache off, untrusted loaders blocked) and opens the libmagic database.
 * 0 or -1. */
int photo_init(const char *argv0);
/* Closes libmagic and shuts libvips down; no photo_* call may run after it
 * (libvips cannot be started again in the same process). */
void photo_shutdown(void);

/*
 * Accepts JPEG, PNG and WebP as sniffed from the bytes; anything else is
 * PHOTO_EUNSUPPORTED (out->sniffed still says what it was). len > max_bytes,
 * more than PHOTO_MAX_PIXELS or PHOTO_MAX_SAMPLE_BYTES in the header is
 * PHOTO_ETOOLARGE (no pixel is decoded then). Undecodable or truncated data is PHOTO_ECORRUPT; a failure to
 * write under dir is PHOTO_EIO. Thread-safe after photo_init. The stored files
 * are dir/photos/<2 hex>/<sha256>.jpg and <sha256>-t.jpg (thumbnail), written
 * to a temporary file, fsync'd and renamed; a file already there is kept.
 * data is only read; *out is filled (zeroed first, so also on failure).
 */
int photo_ingest(const char *dir, const void *data, size_t len, size_t max_bytes, struct photo_info *out);

/* Path of a stored photo (thumb != 0 for the thumbnail) into buf; -1 when
 * sha256 is not 64 lowercase hex (never build a path from unchecked input) or
 * when buf is too small. 0 otherwise. */
int photo_path(const char *dir, const char *sha256, int thumb, char *buf, size_t size);

/* Chinese, user-facing text for a PHOTO_* code (never NULL). */
const char *photo_error_message(int code);
#endif
