/* render.c — see render.h. */
#include "core/render.h"

#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>

cairo_status_t render_to_buf(void *closure, const unsigned char *data, unsigned int len)
{
	buf_append(closure, data, len);
	return CAIRO_STATUS_SUCCESS;
}

void render_shutdown(void)
{
	pango_cairo_font_map_set_default(NULL);
	FcFini();
}
