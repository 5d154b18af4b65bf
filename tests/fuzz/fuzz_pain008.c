// SPDX-License-Identifier: MIT
// libFuzzer harness for the pain.008 writer (src/sepa/pain008.c): the input, split
// at NUL bytes, fills the names, identifiers, dates and one or two transactions'
// fields (amounts from its bytes); whatever the writer accepts must be well-formed
// XML that libxml2 reads back, with the schema checked against
// tests/sepa/pain.008.001.02.xsd (abort() when it is not).
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlschemas.h>

#include "harreman/pain008.h"

static xmlSchemaPtr schema;

static void load_schema(void)
{
	xmlSchemaParserCtxtPtr p = xmlSchemaNewParserCtxt(HM_SEPA_DIR "/pain.008.001.02.xsd");
	schema = p ? xmlSchemaParse(p) : NULL;
	xmlSchemaFreeParserCtxt(p);
	if (!schema)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *f[12] = {"M1",
			     "2026-12-07T10:00:00",
			     "2026-12-10",
			     "Akademia",
			     "GB82WEST12345698765432",
			     "ES23ZZZ47690558N",
			     "E1",
			     "R1",
			     "2026-01-01",
			     "Ane",
			     "ES9121000418450200051332",
			     "FRST"};
	char *copy = malloc(size + 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	size_t k = 0;
	for (char *p = copy; k < 12 && p <= copy + size; k++) {
		f[k] = p;
		p += strlen(p) + 1;
	}
	if (!schema)
		load_schema();
	struct hm_pain008_tx tx[2] = {
		{f[6], f[7], f[8], f[9], f[10], f[3], f[11], 1 + (int64_t)(size % 1000)},
		{"E2", f[7], f[8], f[9], f[10], NULL, "RCUR", (int64_t)size * 977},
	};
	struct hm_pain008_doc d = {f[0], f[1], f[2], f[3], f[4], f[5], tx, 1 + size % 2};
	char *xml = NULL;
	size_t len = 0;
	if (hm_pain008_write(&d, &xml, &len)) {
		xmlDocPtr doc = xmlReadMemory(xml, (int)len, "pain.xml", NULL, XML_PARSE_NONET);
		if (!doc)
			abort();
		xmlSchemaValidCtxtPtr v = xmlSchemaNewValidCtxt(schema);
		if (!v || xmlSchemaValidateDoc(v, doc) != 0)
			abort();
		xmlSchemaFreeValidCtxt(v);
		xmlFreeDoc(doc);
		free(xml);
	}
	free(copy);
	return 0;
}
