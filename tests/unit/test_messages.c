// SPDX-License-Identifier: MIT
// The e-mail templates (src/domain/messages.c): every kind in every language has a
// one-line subject and a body that greets the recipient and says what happened;
// Basque is the default; dates are written the way each language writes them;
// a series lists every week; values are never read as placeholders.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "harreman/messages.h"

static const struct hm_local_time tuesday = {2026, 11, 24, 2, 16, 0};
static const struct hm_local_time deadline = {2026, 11, 23, 1, 4, 0};
static const struct hm_local_time series[] = {
	{2026, 11, 24, 2, 16, 0}, {2026, 12, 1, 2, 16, 0}, {2026, 12, 8, 2, 16, 30}};

static bool render(enum hm_msg_kind kind, enum hm_locale locale, const struct hm_msg_params *p,
		   char **subject, char **body)
{
	struct hm_buf s, b;
	hm_buf_init(&s, 1 << 16);
	hm_buf_init(&b, 1 << 16);
	bool ok = hm_msg_render(kind, locale, p, &s, &b);
	*subject = hm_buf_detach(&s, NULL);
	*body = hm_buf_detach(&b, NULL);
	return ok;
}

static char *when(enum hm_locale locale, const struct hm_local_time *t)
{
	struct hm_buf b;
	hm_buf_init(&b, 256);
	CHECK(hm_msg_format_time(locale, t, &b));
	return hm_buf_detach(&b, NULL);
}

static void test_times_in_each_language(void)
{
	char *t = when(HM_LOCALE_EU, &tuesday);
	CHECK_STR(t, "2026ko azaroaren 24a, asteartea, 16:00");
	free(t);
	t = when(HM_LOCALE_ES, &tuesday);
	CHECK_STR(t, "martes, 24 de noviembre de 2026, 16:00");
	free(t);
	t = when(HM_LOCALE_EN, &tuesday);
	CHECK_STR(t, "Tuesday 24 November 2026, 16:00");
	free(t);
	struct hm_local_time sunday = {2027, 1, 3, 7, 9, 5};
	t = when(HM_LOCALE_EU, &sunday);
	CHECK_STR(t, "2027ko urtarrilaren 3a, igandea, 09:05");
	free(t);
	t = when(HM_LOCALE_ES, &sunday);
	CHECK_STR(t, "domingo, 3 de enero de 2027, 09:05");
	free(t);
	struct hm_buf b;
	hm_buf_init(&b, 64);
	struct hm_local_time bad = {2026, 13, 1, 1, 0, 0};
	CHECK(!hm_msg_format_time(HM_LOCALE_EN, &bad, &b));
	bad.month = 1;
	bad.weekday = 0;
	CHECK(!hm_msg_format_time(HM_LOCALE_EN, &bad, &b));
	hm_buf_release(&b);
}

static void test_locales(void)
{
	CHECK_INT(hm_locale_from_name("es"), HM_LOCALE_ES);
	CHECK_INT(hm_locale_from_name("en"), HM_LOCALE_EN);
	CHECK_INT(hm_locale_from_name("eu"), HM_LOCALE_EU);
	CHECK_INT(hm_locale_from_name(NULL), HM_LOCALE_EU);
	CHECK_INT(hm_locale_from_name("fr"), HM_LOCALE_EU);
	CHECK_INT(hm_locale_from_name("ES"), HM_LOCALE_EU);
	CHECK_STR(hm_locale_name(HM_LOCALE_ES), "es");
	CHECK_STR(hm_msg_kind_name(HM_MSG_LESSON_REMINDER), "lesson_reminder");
	CHECK_STR(hm_msg_kind_name(HM_MSG_INQUIRY_ANSWERED), "inquiry_answered");
	CHECK(hm_msg_kind_name(HM_MSG_KIND_COUNT) == NULL);
}

static void test_booking_confirmation(void)
{
	char *subject, *body;
	struct hm_msg_params p = {.name = "Ane Etxeberria",
				  .service = "Matemáticas",
				  .tutor = "Mikel Agirre",
				  .times = &tuesday,
				  .n_times = 1,
				  .zone = "Europe/Madrid"};
	CHECK(render(HM_MSG_LESSON_BOOKED, HM_LOCALE_ES, &p, &subject, &body));
	CHECK_STR(subject, "Clase reservada: Matemáticas");
	CHECK(strncmp(body, "Hola, Ane Etxeberria:\n", 22) == 0);
	CHECK(strstr(body, "Tu clase está reservada.") != NULL);
	CHECK(strstr(body, "Matemáticas, con Mikel Agirre:\n  - martes, 24 de noviembre de 2026, "
			   "16:00\n(hora de España peninsular)") != NULL);
	CHECK(strstr(body, "24 horas antes") != NULL);
	CHECK(strstr(body, "#lessons") == NULL); /* no address known: no link */
	free(subject);
	free(body);

	/* Issue 13, item 10: the link to the student's lessons, one slash. */
	p.public_url = "https://harreman.example/";
	CHECK(render(HM_MSG_LESSON_BOOKED, HM_LOCALE_ES, &p, &subject, &body));
	CHECK(strstr(body, "24 horas antes de que empiece.\n\nPara ver, cambiar o cancelar tus "
			   "clases: https://harreman.example/#lessons\n\nHarreman\n") != NULL);
	free(subject);
	free(body);

	CHECK(render(HM_MSG_LESSON_BOOKED, HM_LOCALE_EU, &p, &subject, &body));
	CHECK_STR(subject, "Eskola erreserbatuta: Matemáticas");
	CHECK(strncmp(body, "Kaixo, Ane Etxeberria:\n", 23) == 0);
	CHECK(strstr(body, "Mikel Agirre irakaslearekin") != NULL);
	CHECK(strstr(body, "2026ko azaroaren 24a, asteartea, 16:00") != NULL);
	CHECK(strstr(body, "Zure eskolak ikusi, aldatu edo ezeztatzeko: "
			   "https://harreman.example/#lessons\n") != NULL);
	free(subject);
	free(body);

	CHECK(render(HM_MSG_LESSON_BOOKED, HM_LOCALE_EN, &p, &subject, &body));
	CHECK_STR(subject, "Lesson booked: Matemáticas");
	CHECK(strstr(body, "Your lesson is booked.") != NULL);
	free(subject);
	free(body);

	/* A series: the plural text and every week, in order. */
	p.times = series;
	p.n_times = 3;
	CHECK(render(HM_MSG_LESSON_BOOKED, HM_LOCALE_ES, &p, &subject, &body));
	CHECK(strstr(body, "Tus clases están reservadas.") != NULL);
	const char *a = strstr(body, "24 de noviembre"), *b = strstr(body, "1 de diciembre"),
		   *c = strstr(body, "8 de diciembre de 2026, 16:30");
	CHECK(a && b && c && a < b && b < c);
	free(subject);
	free(body);
}

/* Amounts, dates and the invoice lists of the payment messages, per language. */
static void test_payment_messages(void)
{
	static const struct hm_msg_invoice invoices[] = {{"F2026-12", 123450}, {"F2026-13", 5}};
	static const struct hm_local_time day = {.year = 2026, .month = 12, .day = 24};
	struct hm_msg_params p = {.name = "Ane",
				  .amount_cents = 123455,
				  .date = &day,
				  .invoices = invoices,
				  .n_invoices = 2,
				  .invoice = "F2026-12",
				  .reference = "HRM-000007",
				  .creditor = "ES59000B12345678"};
	char *subject, *body;
	CHECK(render(HM_MSG_PAYMENT_RECEIPT, HM_LOCALE_EU, &p, &subject, &body));
	CHECK_STR(subject, "Ordainagiria: 1.234,55 €");
	CHECK(strstr(body, "2026ko abenduaren 24a") != NULL);
	CHECK(strstr(body, "  - F2026-12: 1.234,50 €\n  - F2026-13: 0,05 €\n") != NULL);
	free(subject);
	free(body);
	CHECK(render(HM_MSG_DEBIT_NOTICE, HM_LOCALE_ES, &p, &subject, &body));
	CHECK(strstr(subject, "1.234,55 €, 24 de diciembre de 2026") != NULL);
	CHECK(strstr(body, "HRM-000007") && strstr(body, "ES59000B12345678"));
	free(subject);
	free(body);
	CHECK(render(HM_MSG_INVOICE_OVERDUE, HM_LOCALE_EN, &p, &subject, &body));
	CHECK_STR(subject, "Unpaid invoice: F2026-12");
	CHECK(strstr(body, "(24 December 2026) is still unpaid: €1,234.55.") != NULL);
	free(subject);
	free(body);
	struct hm_buf b;
	hm_buf_init(&b, 64);
	CHECK(hm_msg_format_amount(HM_LOCALE_ES, -100000099, &b));
	CHECK(hm_msg_format_amount(HM_LOCALE_EN, 0, &b));
	CHECK(b.data && strcmp(b.data, "-1.000.000,99 €€0.00") == 0);
	hm_buf_release(&b);
}

static void test_every_kind_in_every_language(void)
{
	struct hm_msg_params p = {.name = "Jon",
				  .service = "Fisika",
				  .tutor = "Amaia",
				  .times = &tuesday,
				  .n_times = 1,
				  .zone = "Europe/Madrid",
				  .subject = "Prezioak",
				  .message = "Zenbat da?\nEta taldean?",
				  .reply = "20 euro.",
				  .response_hours = 48,
				  .title = "Tailerra",
				  .deadline = &deadline};
	for (int k = 0; k < HM_MSG_KIND_COUNT; k++) {
		for (int l = 0; l < HM_LOCALE_COUNT; l++) {
			char *subject, *body;
			CHECK(render((enum hm_msg_kind)k, (enum hm_locale)l, &p, &subject, &body));
			CHECK(strlen(subject) > 0 && strchr(subject, '\n') == NULL);
			CHECK(strstr(body, "Jon") != NULL);
			CHECK(strstr(body, "Harreman") != NULL);
			CHECK(strchr(body, '{') == NULL); /* every placeholder filled */
			CHECK(strchr(subject, '{') == NULL);
			if (k <= HM_MSG_LESSON_REMINDER || k == HM_MSG_WAITLIST_OFFER) {
				CHECK(strstr(body, "Fisika") && strstr(body, "Amaia"));
				CHECK(strstr(body, "16:00") != NULL);
			} else if (k == HM_MSG_WAITLIST_REGISTERED) {
				CHECK(strstr(subject, "Tailerra") && strstr(body, "Tailerra"));
				CHECK(strstr(body, "16:00") != NULL);
			} else if (k < HM_MSG_PAYMENT_RECEIPT) {
				CHECK(strstr(subject, "Prezioak") != NULL);
				CHECK(strstr(body, "> Zenbat da?\n> Eta taldean?\n") != NULL);
			}
			if (k == HM_MSG_INQUIRY_RECEIVED)
				CHECK(strstr(body, "48") != NULL);
			if (k == HM_MSG_INQUIRY_ANSWERED) {
				CHECK(strstr(body, "20 euro.") != NULL);
				CHECK(strncmp(subject, "Re: ", 4) == 0);
			}
			if (k == HM_MSG_LESSON_REMINDER)
				CHECK(strstr(subject, "16:00") != NULL);
			if (k == HM_MSG_WAITLIST_OFFER) /* the deadline, the day before */
				CHECK(strstr(body, "04:00") != NULL);
			free(subject);
			free(body);
		}
	}
	struct hm_buf s, b;
	hm_buf_init(&s, 64);
	hm_buf_init(&b, 64);
	CHECK(!hm_msg_render(HM_MSG_KIND_COUNT, HM_LOCALE_EU, &p, &s, &b));
	CHECK(!hm_msg_render(HM_MSG_LESSON_BOOKED, HM_LOCALE_COUNT, &p, &s, &b));
	hm_buf_release(&s);
	hm_buf_release(&b);
}

static void test_variants(void)
{
	char *subject, *body;
	struct hm_msg_params p = {
		.name = "Maite", .subject = "Kaixo", .message = "Galdera", .response_hours = 0};
	/* No promised answer time: "as soon as we can". */
	CHECK(render(HM_MSG_INQUIRY_RECEIVED, HM_LOCALE_EN, &p, &subject, &body));
	CHECK(strstr(body, "as soon as we can") != NULL);
	CHECK(strstr(body, " 0 hours") == NULL);
	free(subject);
	free(body);
	p.response_hours = 24;
	CHECK(render(HM_MSG_INQUIRY_RECEIVED, HM_LOCALE_ES, &p, &subject, &body));
	CHECK(strstr(body, "en un plazo de 24 horas") != NULL);
	CHECK_STR(subject, "Hemos recibido tu mensaje: Kaixo");
	free(subject);
	free(body);
	/* Several lessons cancelled at once: the plural text. */
	struct hm_msg_params q = {.name = "Unai",
				  .service = "Ingelesa",
				  .tutor = "Jon",
				  .times = series,
				  .n_times = 2,
				  .zone = "Europe/Madrid"};
	CHECK(render(HM_MSG_LESSON_CANCELLED, HM_LOCALE_EN, &q, &subject, &body));
	CHECK(strstr(body, "These lessons have been cancelled") != NULL);
	free(subject);
	free(body);
	q.n_times = 1;
	CHECK(render(HM_MSG_LESSON_CANCELLED, HM_LOCALE_EN, &q, &subject, &body));
	CHECK(strstr(body, "This lesson has been cancelled") != NULL);
	free(subject);
	free(body);
}

/* An acknowledgement with suggested answers lists them under a heading in the
 * recipient's language, before the quoted message; without any, no heading. */
static void test_suggested_answers(void)
{
	char *subject, *body;
	static const struct hm_msg_answer answers[] = {
		{"Nola ordain dezaket?", "Txartelez edo Bizum bidez."},
		{"Zenbat balio du?", "30 euro."},
	};
	struct hm_msg_params p = {.name = "Miren",
				  .subject = "Ordainketa",
				  .message = "Bizum?",
				  .response_hours = 48,
				  .answers = answers,
				  .n_answers = 2};
	CHECK(render(HM_MSG_INQUIRY_RECEIVED, HM_LOCALE_EU, &p, &subject, &body));
	const char *heading = strstr(body, "Bitartean, agian hauek lagunduko dizute:");
	const char *first = strstr(body, "* Nola ordain dezaket?\nTxartelez edo Bizum bidez.\n");
	const char *second = strstr(body, "* Zenbat balio du?\n30 euro.\n");
	const char *quoted = strstr(body, "> Bizum?");
	CHECK(heading && first && second && quoted);
	CHECK(heading < first && first < second && second < quoted);
	free(subject);
	free(body);
	p.n_answers = 0;
	CHECK(render(HM_MSG_INQUIRY_RECEIVED, HM_LOCALE_EN, &p, &subject, &body));
	CHECK(strstr(body, "In the meantime") == NULL);
	CHECK(strstr(body, "48 hours.\n\n> Bizum?") != NULL);
	free(subject);
	free(body);
}

/* The waitlist's two messages: a place taken for the first in line, and a seat
 * held until a deadline, each in the recipient's language. */
/* Issue 13, item 10: the booking's price, discount and gift, or its subscription,
 * in each language; the zone in words, an unknown one by its name. */
static void test_booking_payment(void)
{
	char *subject, *body;
	struct hm_msg_params p = {.name = "Ane",
				  .service = "Matematika",
				  .tutor = "Mikel",
				  .times = &tuesday,
				  .n_times = 1,
				  .zone = "Europe/Madrid",
				  .priced = true,
				  .price_cents = 4050,
				  .discount_percent = 10,
				  .gift = "Koadernoa"};
	CHECK(render(HM_MSG_LESSON_BOOKED, HM_LOCALE_EU, &p, &subject, &body));
	CHECK(strstr(body, "(Espainia penintsularreko ordua)\n\nPrezioa: 40,50 € (%10eko "
			   "deskontua)\nOparia: Koadernoa\n\n") != NULL);
	free(subject);
	free(body);
	CHECK(render(HM_MSG_LESSON_BOOKED, HM_LOCALE_ES, &p, &subject, &body));
	CHECK(strstr(body, "Precio: 40,50 € (descuento del 10 %)\nRegalo: Koadernoa\n") != NULL);
	free(subject);
	free(body);
	CHECK(render(HM_MSG_LESSON_BOOKED, HM_LOCALE_EN, &p, &subject, &body));
	CHECK(strstr(body,
		     "(mainland Spain time)\n\nPrice: €40.50 (10% discount)\nGift: Koadernoa\n") !=
	      NULL);
	free(subject);
	free(body);

	/* Paid from a subscription: no price, no gift; an unknown zone as it stands. */
	p.priced = false;
	p.from_subscription = true;
	p.zone = "America/Lima";
	CHECK(render(HM_MSG_LESSON_BOOKED, HM_LOCALE_EN, &p, &subject, &body));
	CHECK(strstr(body, "(America/Lima time)\n\nPaid from your subscription.\n\n") != NULL);
	CHECK(strstr(body, "Price") == NULL && strstr(body, "Gift") == NULL);
	free(subject);
	free(body);

	/* Neither known (a cancellation, a lesson without a contract): nothing. */
	p.from_subscription = false;
	CHECK(render(HM_MSG_LESSON_BOOKED, HM_LOCALE_ES, &p, &subject, &body));
	CHECK(strstr(body, "(hora de America/Lima)\n\nPuedes cancelarla") != NULL);
	free(subject);
	free(body);
}

static void test_waitlist_messages(void)
{
	char *subject, *body;
	struct hm_msg_params p = {.name = "Irati",
				  .title = "Zatikien tailerra",
				  .service = "Matematika taldean",
				  .tutor = "Mikel",
				  .times = &tuesday,
				  .n_times = 1,
				  .zone = "Europe/Madrid",
				  .deadline = &deadline};
	CHECK(render(HM_MSG_WAITLIST_REGISTERED, HM_LOCALE_EU, &p, &subject, &body));
	CHECK_STR(subject, "Tokia duzu: Zatikien tailerra");
	CHECK(strstr(body, "itxaron-zerrendako lehena") != NULL);
	CHECK(strstr(body,
		     "2026ko azaroaren 24a, asteartea, 16:00 (Espainia penintsularreko ordua)") !=
	      NULL);
	free(subject);
	free(body);
	CHECK(render(HM_MSG_WAITLIST_REGISTERED, HM_LOCALE_ES, &p, &subject, &body));
	CHECK_STR(subject, "Tienes plaza: Zatikien tailerra");
	CHECK(strstr(body, "lista de espera") != NULL);
	free(subject);
	free(body);
	CHECK(render(HM_MSG_WAITLIST_REGISTERED, HM_LOCALE_EN, &p, &subject, &body));
	CHECK_STR(subject, "You have a place: Zatikien tailerra");
	CHECK(strstr(body, "Tuesday 24 November 2026, 16:00 (mainland Spain time)") != NULL);
	free(subject);
	free(body);
	CHECK(render(HM_MSG_WAITLIST_OFFER, HM_LOCALE_EU, &p, &subject, &body));
	CHECK_STR(subject, "Toki bat zuretzat: Matematika taldean");
	CHECK(strstr(body,
		     "Onartu webgunean 2026ko azaroaren 23a, astelehena, 04:00 baino lehen") !=
	      NULL);
	CHECK(strstr(body, "Mikel irakaslearekin") != NULL);
	free(subject);
	free(body);
	CHECK(render(HM_MSG_WAITLIST_OFFER, HM_LOCALE_ES, &p, &subject, &body));
	CHECK_STR(subject, "Una plaza para ti: Matematika taldean");
	CHECK(strstr(body, "antes del lunes, 23 de noviembre de 2026, 04:00") != NULL);
	free(subject);
	free(body);
	CHECK(render(HM_MSG_WAITLIST_OFFER, HM_LOCALE_EN, &p, &subject, &body));
	CHECK_STR(subject, "A place for you: Matematika taldean");
	CHECK(strstr(body, "before Monday 23 November 2026, 04:00") != NULL);
	CHECK(strstr(body, "  - Tuesday 24 November 2026, 16:00\n") != NULL);
	free(subject);
	free(body);
	CHECK_STR(hm_msg_kind_name(HM_MSG_WAITLIST_REGISTERED), "waitlist_registered");
	CHECK_STR(hm_msg_kind_name(HM_MSG_WAITLIST_OFFER), "waitlist_offer");
}

static void test_values_are_not_templates(void)
{
	char *subject, *body;
	struct hm_msg_params p = {.name = "{service} {reply}",
				  .subject = "{name}\nBcc: x",
				  .message = "{quote}",
				  .reply = "{name}"};
	CHECK(render(HM_MSG_INQUIRY_ANSWERED, HM_LOCALE_EN, &p, &subject, &body));
	CHECK(strstr(body, "Hello {service} {reply},") != NULL);
	CHECK(strstr(body, "\n{name}\n") != NULL);
	CHECK(strstr(body, "> {quote}") != NULL);
	/* A subject is one line whatever its values hold. */
	CHECK_STR(subject, "Re: {name} Bcc: x");
	free(subject);
	free(body);
}

int main(void)
{
	RUN(test_times_in_each_language);
	RUN(test_locales);
	RUN(test_booking_confirmation);
	RUN(test_every_kind_in_every_language);
	RUN(test_variants);
	RUN(test_values_are_not_templates);
	RUN(test_suggested_answers);
	RUN(test_booking_payment);
	RUN(test_waitlist_messages);
	RUN(test_payment_messages);
	return CHECK_EXIT();
}
