// SPDX-License-Identifier: MIT
// The QR code of a TicketBAI address as SVG (include/harreman/tbai.h), with
// libqrencode: error correction M, the text as 8-bit bytes (UTF-8), a 4-module quiet
// zone; one path, a rectangle per run of dark modules in a row.
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <qrencode.h>

#include "harreman/buf.h"
#include "harreman/tbai.h"
#include "harreman/banned.h"

#define QUIET 4
/* A version-40 code with its runs stays well below this. */
#define SVG_CAP ((size_t)2 * 1024 * 1024)

char *hm_tbai_qr_svg(const char *text)
{
	size_t len = text ? strlen(text) : 0;
	if (len == 0 || len > 2331) /* the most bytes a version-40 M code holds */
		return NULL;
	QRcode *qr = QRcode_encodeData((int)len, (const unsigned char *)text, 0, QR_ECLEVEL_M);
	if (!qr)
		return NULL;
	int w = qr->width, size = w + 2 * QUIET;
	struct hm_buf buf;
	hm_buf_init(&buf, SVG_CAP);
	bool ok = hm_buf_printf(
		&buf,
		"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
		"shape-rendering=\"crispEdges\">"
		"<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
		size, size, size, size);
	for (int y = 0; ok && y < w; y++) {
		for (int x = 0; ok && x < w;) {
			if (!(qr->data[y * w + x] & 1)) {
				x++;
				continue;
			}
			int run = 1;
			while (x + run < w && (qr->data[y * w + x + run] & 1))
				run++;
			ok = hm_buf_printf(&buf, "M%d %dh%dv1h-%dz", x + QUIET, y + QUIET, run,
					   run);
			x += run;
		}
	}
	ok = ok && hm_buf_printf(&buf, "\"/></svg>\n");
	QRcode_free(qr);
	char *svg = ok ? hm_buf_detach(&buf, NULL) : NULL;
	hm_buf_release(&buf);
	return svg;
}
