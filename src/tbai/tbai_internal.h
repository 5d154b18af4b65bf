/* SPDX-License-Identifier: MIT */
/* Shared between the files of src/tbai/ only (libxml2 types allowed here): the
 * one-time library set-up, the document-to-text step and the schema's text rules. */
#ifndef HARREMAN_TBAI_INTERNAL_H
#define HARREMAN_TBAI_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include <libxml/tree.h>

/* xmlInitParser, once per process (any thread may call it first). */
void hm_tbai_xml_init(void);

/* doc as malloc'd UTF-8 text with its XML declaration (the caller frees), or NULL
 * when out of memory; indent only before signing. doc stays the caller's. */
char *hm_tbai_doc_text(xmlDocPtr doc, bool indent);

/* Strict UTF-8 XML text of at most max characters; required: not blank. */
bool hm_tbai_text_ok(const char *s, size_t max, bool required);

/* The schema's NIFType and FechaType (with a real day and month). */
bool hm_tbai_nif_ok(const char *nif);
bool hm_tbai_date_ok(const char *date);

#endif
