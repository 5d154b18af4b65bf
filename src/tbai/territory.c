// SPDX-License-Identifier: MIT
// The per-territory TicketBAI settings (include/harreman/tbai.h): one table, the
// only place these addresses and digests are written. Each default is the newest
// value in the reference pack (../shared/ticketbai/README.md, whose sources are
// copied in docs/decisions.md); the treasuries republish their policy documents,
// so every field can be replaced at run time by the caller (a copy of the struct).
#include <string.h>

#include "harreman/tbai.h"
#include "harreman/banned.h"

static const struct hm_tbai_territory territories[] = {
	{
		.name = "araba",
		.policy_id = "https://ticketbai.araba.eus/tbai/sinadura/",
		/* Barnetik 102dc76 (2025) and Odoo; Araba rejects stale digests since 2026. */
		.policy_digest = "4Vk3uExj7tGn9DyUCPDsV9HRmK6KZfYdRiW3StOjcQA=",
		/* The address every implementation uses; the specification writes
		 * "https://ticketbai.araba.eus/TBAI/QRTBAI" (no final "/"). */
		.qr_url = "https://ticketbai.araba.eus/tbai/qrtbai/",
		.qr_test_url = "https://pruebas-ticketbai.araba.eus/tbai/qrtbai/",
		.invoice_url = "https://ticketbai.araba.eus/TicketBAI/v1/facturas/",
		.invoice_test_url = "https://pruebas-ticketbai.araba.eus/TicketBAI/v1/facturas/",
		.cancel_url = "https://ticketbai.araba.eus/TicketBAI/v1/anulaciones/",
		.cancel_test_url = "https://pruebas-ticketbai.araba.eus/TicketBAI/v1/anulaciones/",
	},
	{
		.name = "bizkaia",
		/* The v1_1 document listed on batuz.eus since 2025 (Barnetik issue #63). */
		.policy_id = "https://www.batuz.eus/fitxategiak/batuz/ticketbai/"
			     "sinadura_elektronikoaren_zehaztapenak_especificaciones_de_la_firma_"
			     "electronica_v1_1.pdf",
		.policy_digest = "K2baIY0fk8jbkPHkffk5F5C46O5VuzDwH21dAovjVRs=",
		.qr_url = "https://batuz.eus/QRTBAI/",
		.qr_test_url = "https://batuz.eus/QRTBAI/",
		/* Batuz: one gateway for both, the file inside an LROE 240/140 envelope. */
		.invoice_url = "https://sarrerak.bizkaia.eus/N3B4000M/aurkezpena",
		.invoice_test_url = "https://pruesarrerak.bizkaia.eus/N3B4000M/aurkezpena",
		.cancel_url = "https://sarrerak.bizkaia.eus/N3B4000M/aurkezpena",
		.cancel_test_url = "https://pruesarrerak.bizkaia.eus/N3B4000M/aurkezpena",
	},
	{
		.name = "gipuzkoa",
		.policy_id = "https://www.gipuzkoa.eus/ticketbai/sinadura",
		/* Barnetik PR #72 (2026-08-07): the address now serves policy v1.2. */
		.policy_digest = "4LDJbY5hqHHHX858s9QV1P8yVGzo6H23P/iNRRv+PnQ=",
		.qr_url = "https://tbai.egoitza.gipuzkoa.eus/qr/",
		.qr_test_url = "https://tbai.prep.gipuzkoa.eus/qr/",
		.invoice_url = "https://tbai-z.egoitza.gipuzkoa.eus/sarrerak/alta",
		.invoice_test_url = "https://tbai-z.prep.gipuzkoa.eus/sarrerak/alta",
		.cancel_url = "https://tbai-z.egoitza.gipuzkoa.eus/sarrerak/baja",
		.cancel_test_url = "https://tbai-z.prep.gipuzkoa.eus/sarrerak/baja",
	},
};

const struct hm_tbai_territory *hm_tbai_territory_defaults(const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < sizeof territories / sizeof territories[0]; i++)
		if (strcmp(territories[i].name, name) == 0)
			return &territories[i];
	return NULL;
}
