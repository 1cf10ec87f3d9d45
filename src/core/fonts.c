/* fonts.c — see fonts.h. */
#include "core/fonts.h"

#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>

void fonts_shutdown(void)
{
	pango_cairo_font_map_set_default(NULL);
	FcFini();
}
