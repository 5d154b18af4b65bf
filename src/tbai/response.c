// SPDX-License-Identifier: MIT
// The treasuries' answer to a submitted invoice (include/harreman/tbai.h,
// hm_tbai_parse_response): TicketBaiResponse/Salida/Estado ("00" accepted, "01"
// rejected) and each ResultadosValidacion's Codigo and Descripcion, read with
// libxml2 by local names (the namespaces differ between Araba and Gipuzkoa).
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <stdlib.h>
#include <string.h>

#include "harreman/tbai.h"
#include "harreman/banned.h"

#define DETAIL_MAX 1000

/* Appends text to out[0..cap) (truncated, always terminated). */
static void append(char *out, size_t cap, const char *text)
{
	size_t len = strlen(out);
	if (len + 1 < cap)
		snprintf(out + len, cap - len, "%s", text);
}

bool hm_tbai_parse_response(const char *body, size_t len, char estado[3], char **detail)
{
	estado[0] = '\0';
	*detail = NULL;
	if (!body || len == 0 || len > (size_t)16 * 1024 * 1024)
		return false;
	xmlDocPtr doc = xmlReadMemory(body, (int)len, NULL, NULL, XML_PARSE_NONET);
	if (!doc)
		return false;
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	xmlXPathObjectPtr state = ctx ? xmlXPathEvalExpression(
						(const xmlChar *)"//*[local-name()='Salida']"
								 "/*[local-name()='Estado']",
						ctx)
				      : NULL;
	if (state && state->nodesetval && state->nodesetval->nodeNr > 0) {
		xmlChar *c = xmlNodeGetContent(state->nodesetval->nodeTab[0]);
		if (c && strlen((const char *)c) == 2)
			memcpy(estado, c, 3);
		xmlFree(c);
	}
	xmlXPathObjectPtr results =
		ctx ? xmlXPathEvalExpression(
			      (const xmlChar *)"//*[local-name()='ResultadosValidacion']", ctx)
		    : NULL;
	char text[DETAIL_MAX + 1] = "";
	for (int i = 0; results && results->nodesetval && i < results->nodesetval->nodeNr; i++) {
		for (xmlNodePtr n = results->nodesetval->nodeTab[i]->children; n; n = n->next) {
			if (n->type != XML_ELEMENT_NODE)
				continue;
			xmlChar *c = xmlNodeGetContent(n);
			if (c && strcmp((const char *)n->name, "Codigo") == 0) {
				append(text, sizeof text, text[0] ? "; " : "");
				append(text, sizeof text, (const char *)c);
			} else if (c && strcmp((const char *)n->name, "Descripcion") == 0) {
				append(text, sizeof text, ": ");
				append(text, sizeof text, (const char *)c);
			}
			xmlFree(c);
		}
	}
	xmlXPathFreeObject(results);
	xmlXPathFreeObject(state);
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	if (text[0])
		*detail = strdup(text);
	return estado[0] != '\0';
}
