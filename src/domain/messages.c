// SPDX-License-Identifier: MIT
// The e-mail templates (include/harreman/messages.h): one subject and body per kind
// and language, with named placeholders ({name}, {service}, {tutor}, {time},
// {times}, {zone} (in words), {payment} (price, discount, gift), {subject}, {hours}, {reply},
// {quote}, {answers}, {title}, {deadline}, {amount}, {date}, {invoices}, {invoice},
// {reference}, {creditor}) filled in by expand().
// The texts are data; adding a language is adding a column.
#include <stdio.h>
#include <string.h>

#include "harreman/messages.h"
#include "harreman/banned.h"

struct template
{
	const char *subject;
	const char *body;
	/* For bookings and cancellations: the body when there are several lessons; for
	 * an inquiry received: the body when no answer time is promised. NULL: body. */
	const char *alt;
};

static const struct template templates[HM_MSG_KIND_COUNT][HM_LOCALE_COUNT] = {
	[HM_MSG_LESSON_BOOKED] =
		{
			[HM_LOCALE_EU] =
				{
					"Eskola erreserbatuta: {service}",
					"Kaixo, {name}:\n\nZure eskola erreserbatuta dago.\n\n"
					"{service}, {tutor} irakaslearekin:\n{times}({zone} ordua)\n\n{payment}"
					"Eskola hasi baino 24 ordu lehenago arte ezezta dezakezu.\n\n{manage}Harreman\n",
					"Kaixo, {name}:\n\nZure eskolak erreserbatuta daude.\n\n"
					"{service}, {tutor} irakaslearekin:\n{times}({zone} ordua)\n\n{payment}"
					"Eskola bakoitza hasi baino 24 ordu lehenago arte ezezta dezakezu.\n\n"
					"{manage}Harreman\n",
				},
			[HM_LOCALE_ES] =
				{
					"Clase reservada: {service}",
					"Hola, {name}:\n\nTu clase está reservada.\n\n"
					"{service}, con {tutor}:\n{times}(hora de {zone})\n\n{payment}"
					"Puedes cancelarla hasta 24 horas antes de que empiece.\n\n{manage}Harreman\n",
					"Hola, {name}:\n\nTus clases están reservadas.\n\n"
					"{service}, con {tutor}:\n{times}(hora de {zone})\n\n{payment}"
					"Puedes cancelar cada una hasta 24 horas antes de que empiece.\n\n{manage}"
					"Harreman\n",
				},
			[HM_LOCALE_EN] =
				{
					"Lesson booked: {service}",
					"Hello {name},\n\nYour lesson is booked.\n\n"
					"{service}, with {tutor}:\n{times}({zone} time)\n\n{payment}"
					"You can cancel it until 24 hours before it starts.\n\n{manage}Harreman\n",
					"Hello {name},\n\nYour lessons are booked.\n\n"
					"{service}, with {tutor}:\n{times}({zone} time)\n\n{payment}"
					"You can cancel each of them until 24 hours before it starts.\n\n{manage}"
					"Harreman\n",
				},
		},
	[HM_MSG_LESSON_CANCELLED] =
		{
			[HM_LOCALE_EU] =
				{
					"Eskola ezeztatuta: {service}",
					"Kaixo, {name}:\n\nEskola hau ezeztatu da:\n\n"
					"{service}, {tutor} irakaslearekin:\n{times}({zone} ordua)\n\n"
					"Beste ordu bat nahi baduzu, erreserbatu webgunean edo deitu iezaguzu.\n\n"
					"Harreman\n",
					"Kaixo, {name}:\n\nEskola hauek ezeztatu dira:\n\n"
					"{service}, {tutor} irakaslearekin:\n{times}({zone} ordua)\n\n"
					"Beste ordu batzuk nahi badituzu, erreserbatu webgunean edo deitu "
					"iezaguzu.\n\nHarreman\n",
				},
			[HM_LOCALE_ES] =
				{
					"Clase cancelada: {service}",
					"Hola, {name}:\n\nSe ha cancelado esta clase:\n\n"
					"{service}, con {tutor}:\n{times}(hora de {zone})\n\n"
					"Si quieres otra hora, resérvala en la web o llámanos.\n\nHarreman\n",
					"Hola, {name}:\n\nSe han cancelado estas clases:\n\n"
					"{service}, con {tutor}:\n{times}(hora de {zone})\n\n"
					"Si quieres otras horas, resérvalas en la web o llámanos.\n\nHarreman\n",
				},
			[HM_LOCALE_EN] =
				{
					"Lesson cancelled: {service}",
					"Hello {name},\n\nThis lesson has been cancelled:\n\n"
					"{service}, with {tutor}:\n{times}({zone} time)\n\n"
					"If you would like another time, book it on the website or call us.\n\n"
					"Harreman\n",
					"Hello {name},\n\nThese lessons have been cancelled:\n\n"
					"{service}, with {tutor}:\n{times}({zone} time)\n\n"
					"If you would like other times, book them on the website or call us.\n\n"
					"Harreman\n",
				},
		},
	[HM_MSG_LESSON_REMINDER] =
		{
			[HM_LOCALE_EU] =
				{
					"Oroigarria: {service}, {time}",
					"Kaixo, {name}:\n\nGogorarazten dizugu eskola duzula 24 ordu baino "
					"gutxiagoan.\n\n{service}, {tutor} irakaslearekin:\n{times}({zone} ordua)\n\n"
					"Laster arte!\nHarreman\n",
					NULL,
				},
			[HM_LOCALE_ES] =
				{
					"Recordatorio: {service}, {time}",
					"Hola, {name}:\n\nTe recordamos que tienes clase dentro de menos de 24 "
					"horas.\n\n{service}, con {tutor}:\n{times}(hora de {zone})\n\n"
					"¡Hasta pronto!\nHarreman\n",
					NULL,
				},
			[HM_LOCALE_EN] =
				{
					"Reminder: {service}, {time}",
					"Hello {name},\n\nA reminder that your lesson starts within 24 hours.\n\n"
					"{service}, with {tutor}:\n{times}({zone} time)\n\nSee you soon!\nHarreman\n",
					NULL,
				},
		},
	[HM_MSG_INQUIRY_RECEIVED] =
		{
			[HM_LOCALE_EU] =
				{
					"Zure mezua jaso dugu: {subject}",
					"Kaixo, {name}:\n\nEskerrik asko idazteagatik. Zure mezua jaso dugu, eta "
					"{hours} orduko epean erantzungo dizugu.\n\n{answers}{quote}\nHarreman\n",
					"Kaixo, {name}:\n\nEskerrik asko idazteagatik. Zure mezua jaso dugu, eta "
					"ahalik eta lasterren erantzungo dizugu.\n\n{answers}{quote}\nHarreman\n",
				},
			[HM_LOCALE_ES] =
				{
					"Hemos recibido tu mensaje: {subject}",
					"Hola, {name}:\n\nGracias por escribirnos. Hemos recibido tu mensaje y te "
					"responderemos en un plazo de {hours} horas.\n\n{answers}{quote}\nHarreman\n",
					"Hola, {name}:\n\nGracias por escribirnos. Hemos recibido tu mensaje y te "
					"responderemos lo antes posible.\n\n{answers}{quote}\nHarreman\n",
				},
			[HM_LOCALE_EN] =
				{
					"We have received your message: {subject}",
					"Hello {name},\n\nThank you for writing to us. We have received your message "
					"and will answer within {hours} hours.\n\n{answers}{quote}\nHarreman\n",
					"Hello {name},\n\nThank you for writing to us. We have received your message "
					"and will answer as soon as we can.\n\n{answers}{quote}\nHarreman\n",
				},
		},
	[HM_MSG_INQUIRY_ANSWERED] =
		{
			[HM_LOCALE_EU] =
				{
					"Re: {subject}",
					"Kaixo, {name}:\n\n{reply}\n\nZure mezua:\n{quote}\nHarreman\n",
					NULL,
				},
			[HM_LOCALE_ES] =
				{
					"Re: {subject}",
					"Hola, {name}:\n\n{reply}\n\nTu mensaje:\n{quote}\nHarreman\n",
					NULL,
				},
			[HM_LOCALE_EN] =
				{
					"Re: {subject}",
					"Hello {name},\n\n{reply}\n\nYour message:\n{quote}\nHarreman\n",
					NULL,
				},
		},
	[HM_MSG_WAITLIST_REGISTERED] =
		{
			[HM_LOCALE_EU] =
				{
					"Tokia duzu: {title}",
					"Kaixo, {name}:\n\nToki bat libre geratu da, eta itxaron-zerrendako "
					"lehena zinenez, izena emanda zaude orain:\n\n{title}\n{time} ({zone} "
					"ordua)\n\nJoan ezin bazara, kendu izena webgunean, beste norbaitek "
					"tokia har dezan.\n\nHarreman\n",
					NULL,
				},
			[HM_LOCALE_ES] =
				{
					"Tienes plaza: {title}",
					"Hola, {name}:\n\nSe ha liberado una plaza y, como eras la primera "
					"persona de la lista de espera, ya estás inscrito/a:\n\n{title}\n{time} "
					"(hora de {zone})\n\nSi no puedes ir, date de baja en la web para que "
					"otra persona ocupe la plaza.\n\nHarreman\n",
					NULL,
				},
			[HM_LOCALE_EN] =
				{
					"You have a place: {title}",
					"Hello {name},\n\nA place has come free and, as you were first on the "
					"waiting list, you are now registered:\n\n{title}\n{time} ({zone} "
					"time)\n\nIf you cannot come, withdraw on the website so that someone "
					"else can have the place.\n\nHarreman\n",
					NULL,
				},
		},
	[HM_MSG_WAITLIST_OFFER] =
		{
			[HM_LOCALE_EU] =
				{
					"Toki bat zuretzat: {service}",
					"Kaixo, {name}:\n\nToki bat libre geratu da itxaron-zerrendan zinen "
					"taldean, eta zuretzat gordeta dago:\n\n{service}, {tutor} "
					"irakaslearekin:\n{times}({zone} ordua)\n\nOnartu webgunean {deadline} "
					"baino lehen; bestela, zerrendako hurrengoari eskainiko diogu.\n\n"
					"Harreman\n",
					NULL,
				},
			[HM_LOCALE_ES] =
				{
					"Una plaza para ti: {service}",
					"Hola, {name}:\n\nSe ha liberado una plaza en el grupo en cuya lista de "
					"espera estabas, y te la guardamos:\n\n{service}, con {tutor}:\n"
					"{times}(hora de {zone})\n\nAcéptala en la web antes del {deadline}; si "
					"no, se la ofreceremos a la siguiente persona de la lista.\n\nHarreman\n",
					NULL,
				},
			[HM_LOCALE_EN] =
				{
					"A place for you: {service}",
					"Hello {name},\n\nA place has come free in the group whose waiting list "
					"you were on, and we are holding it for you:\n\n{service}, with {tutor}:\n"
					"{times}({zone} time)\n\nAccept it on the website before {deadline}; "
					"otherwise it goes to the next person on the list.\n\nHarreman\n",
					NULL,
				},
		},
	[HM_MSG_PAYMENT_RECEIPT] =
		{
			[HM_LOCALE_EU] =
				{
					"Ordainagiria: {amount}",
					"Kaixo, {name}:\n\n{amount} jaso dugu ({date}). Eskerrik asko!\n\n"
					"Ordaindutakoa:\n{invoices}\nHarreman\n",
					NULL,
				},
			[HM_LOCALE_ES] =
				{
					"Recibo de pago: {amount}",
					"Hola, {name}:\n\nHemos recibido {amount} ({date}). ¡Gracias!\n\n"
					"Lo pagado:\n{invoices}\nHarreman\n",
					NULL,
				},
			[HM_LOCALE_EN] =
				{
					"Payment receipt: {amount}",
					"Hello {name},\n\nWe have received {amount} ({date}). Thank you!\n\n"
					"What it paid:\n{invoices}\nHarreman\n",
					NULL,
				},
		},
	[HM_MSG_DEBIT_NOTICE] =
		{
			[HM_LOCALE_EU] =
				{
					"Helbideratutako kobrantza: {amount}, {date}",
					"Kaixo, {name}:\n\n{date} egunean {amount} kobratuko dugu zure kontuan, "
					"helbideratuta, {reference} aginduaren arabera (hartzekodunaren "
					"identifikatzailea: {creditor}).\n\nFakturak:\n{invoices}\n"
					"Zerbait zuzendu behar bada, idatzi iezaguzu kobratu aurretik.\n\n"
					"Harreman\n",
					NULL,
				},
			[HM_LOCALE_ES] =
				{
					"Aviso de cargo domiciliado: {amount}, {date}",
					"Hola, {name}:\n\nEl {date} cargaremos {amount} en tu cuenta por "
					"domiciliación, según el mandato {reference} (identificador del "
					"acreedor: {creditor}).\n\nFacturas:\n{invoices}\n"
					"Si hay algo que corregir, escríbenos antes del cargo.\n\nHarreman\n",
					NULL,
				},
			[HM_LOCALE_EN] =
				{
					"Direct debit notice: {amount} on {date}",
					"Hello {name},\n\nOn {date} we will collect {amount} from your account by "
					"direct debit under mandate {reference} (creditor identifier: "
					"{creditor}).\n\nInvoices:\n{invoices}\n"
					"If anything needs correcting, write to us before the collection.\n\n"
					"Harreman\n",
					NULL,
				},
		},
	[HM_MSG_INVOICE_OVERDUE] =
		{
			[HM_LOCALE_EU] =
				{
					"Ordaintzeke: {invoice} faktura",
					"Kaixo, {name}:\n\n{invoice} faktura ({date}) ordaintzeke dago oraindik: "
					"{amount}.\n\nAkademian ordain dezakezu (eskudirutan edo txartelez) edo "
					"transferentziaz. Dagoeneko ordaindu baduzu, ez egin kasurik mezu "
					"honi.\n\nHarreman\n",
					NULL,
				},
			[HM_LOCALE_ES] =
				{
					"Factura pendiente: {invoice}",
					"Hola, {name}:\n\nLa factura {invoice} ({date}) sigue pendiente de pago: "
					"{amount}.\n\nPuedes pagarla en la academia (en efectivo o con tarjeta) "
					"o por transferencia. Si ya la has pagado, no hagas caso de este "
					"mensaje.\n\nHarreman\n",
					NULL,
				},
			[HM_LOCALE_EN] =
				{
					"Unpaid invoice: {invoice}",
					"Hello {name},\n\nInvoice {invoice} ({date}) is still unpaid: "
					"{amount}.\n\nYou can pay it at the academy (cash or card) or by bank "
					"transfer. If you have already paid it, please ignore this message.\n\n"
					"Harreman\n",
					NULL,
				},
		},
};

static const char *const kind_names[HM_MSG_KIND_COUNT] = {
	"lesson_booked",    "lesson_cancelled",    "lesson_reminder", "inquiry_received",
	"inquiry_answered", "waitlist_registered", "waitlist_offer",  "payment_receipt",
	"debit_notice",     "invoice_overdue",
};

static const char *const locale_names[HM_LOCALE_COUNT] = {"eu", "es", "en"};

const char *hm_msg_kind_name(enum hm_msg_kind kind)
{
	return (unsigned)kind < HM_MSG_KIND_COUNT ? kind_names[kind] : NULL;
}

enum hm_locale hm_locale_from_name(const char *name)
{
	for (int i = 0; name && i < HM_LOCALE_COUNT; i++)
		if (strcmp(name, locale_names[i]) == 0)
			return (enum hm_locale)i;
	return HM_LOCALE_EU;
}

const char *hm_locale_name(enum hm_locale locale)
{
	return (unsigned)locale < HM_LOCALE_COUNT ? locale_names[locale] : locale_names[0];
}

/* Basque months in the genitive ("azaroaren 24a": the 24th of November). */
static const char *const eu_months[] = {"urtarrilaren", "otsailaren", "martxoaren", "apirilaren",
					"maiatzaren",   "ekainaren",  "uztailaren", "abuztuaren",
					"irailaren",    "urriaren",   "azaroaren",  "abenduaren"};
static const char *const eu_days[] = {"astelehena", "asteartea", "asteazkena", "osteguna",
				      "ostirala",   "larunbata", "igandea"};
static const char *const es_months[] = {"enero",      "febrero", "marzo",     "abril",
					"mayo",       "junio",   "julio",     "agosto",
					"septiembre", "octubre", "noviembre", "diciembre"};
static const char *const es_days[] = {"lunes",   "martes", "miércoles", "jueves",
				      "viernes", "sábado", "domingo"};
static const char *const en_months[] = {"January",   "February", "March",    "April",
					"May",       "June",     "July",     "August",
					"September", "October",  "November", "December"};
static const char *const en_days[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
				      "Friday", "Saturday", "Sunday"};

bool hm_msg_format_time(enum hm_locale locale, const struct hm_local_time *t, struct hm_buf *out)
{
	if (t->month < 1 || t->month > 12 || t->weekday < 1 || t->weekday > 7)
		return false;
	int m = t->month - 1, w = t->weekday - 1;
	switch (locale) {
	case HM_LOCALE_ES:
		return hm_buf_printf(out, "%s, %d de %s de %d, %02d:%02d", es_days[w], t->day,
				     es_months[m], t->year, t->hour, t->minute);
	case HM_LOCALE_EN:
		return hm_buf_printf(out, "%s %d %s %d, %02d:%02d", en_days[w], t->day,
				     en_months[m], t->year, t->hour, t->minute);
	case HM_LOCALE_EU:
	case HM_LOCALE_COUNT: break;
	}
	return hm_buf_printf(out, "%dko %s %da, %s, %02d:%02d", t->year, eu_months[m], t->day,
			     eu_days[w], t->hour, t->minute);
}

bool hm_msg_format_date(enum hm_locale locale, const struct hm_local_time *t, struct hm_buf *out)
{
	if (t->month < 1 || t->month > 12)
		return false;
	int m = t->month - 1;
	switch (locale) {
	case HM_LOCALE_ES:
		return hm_buf_printf(out, "%d de %s de %d", t->day, es_months[m], t->year);
	case HM_LOCALE_EN: return hm_buf_printf(out, "%d %s %d", t->day, en_months[m], t->year);
	case HM_LOCALE_EU:
	case HM_LOCALE_COUNT: break;
	}
	return hm_buf_printf(out, "%dko %s %da", t->year, eu_months[m], t->day);
}

bool hm_msg_format_amount(enum hm_locale locale, long long cents, struct hm_buf *out)
{
	bool en = locale == HM_LOCALE_EN;
	unsigned long long abs = cents < 0 ? 0ULL - (unsigned long long)cents
					   : (unsigned long long)cents;
	unsigned long long units = abs / 100;
	char digits[32], grouped[48];
	int n = snprintf(digits, sizeof digits, "%llu", units);
	size_t g = 0;
	for (int i = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			grouped[g++] = en ? ',' : '.';
		grouped[g++] = digits[i];
	}
	grouped[g] = '\0';
	const char *sign = cents < 0 ? "-" : "";
	if (en)
		return hm_buf_printf(out, "%s€%s.%02llu", sign, grouped, abs % 100);
	return hm_buf_printf(out, "%s%s,%02llu €", sign, grouped, abs % 100);
}

/* Each invoice of a payment message on its own line: "  - 2026-000012: 45,00 €". */
static bool invoice_lines(struct hm_buf *out, enum hm_locale locale, const struct hm_msg_params *p)
{
	for (size_t i = 0; i < p->n_invoices; i++)
		if (!hm_buf_printf(
			    out, "  - %s: ", p->invoices[i].number ? p->invoices[i].number : "") ||
		    !hm_msg_format_amount(locale, p->invoices[i].amount_cents, out) ||
		    !hm_buf_append(out, "\n", 1))
			return false;
	return true;
}

/* Appends text with "> " before every line. */
static bool quote(struct hm_buf *out, const char *text)
{
	const char *p = text ? text : "";
	while (*p) {
		size_t len = strcspn(p, "\n");
		if (!hm_buf_append(out, "> ", 2) || !hm_buf_append(out, p, len) ||
		    !hm_buf_append(out, "\n", 1))
			return false;
		p += len;
		if (*p == '\n')
			p++;
	}
	return true;
}

static bool put(struct hm_buf *out, const char *text)
{
	return hm_buf_append(out, text ? text : "", text ? strlen(text) : 0);
}

/* The suggested answers under a heading, or nothing when there are none. */
static bool suggested(struct hm_buf *out, enum hm_locale locale, const struct hm_msg_params *p)
{
	static const char *const heading[HM_LOCALE_COUNT] = {
		"Bitartean, agian hauek lagunduko dizute:\n\n",
		"Mientras tanto, quizá te ayude esto:\n\n",
		"In the meantime, these answers may help:\n\n",
	};
	if (p->n_answers == 0)
		return true;
	if (!put(out, heading[(unsigned)locale < HM_LOCALE_COUNT ? locale : HM_LOCALE_EU]))
		return false;
	for (size_t i = 0; i < p->n_answers; i++)
		if (!hm_buf_printf(out, "* %s\n%s\n\n", p->answers[i].question,
				   p->answers[i].answer))
			return false;
	return true;
}

/* The time zones a business here would use, in words people use; another zone is
 * written by its name. */
static const struct {
	const char *zone;
	const char *words[HM_LOCALE_COUNT];
} zone_words[] = {
	{"Europe/Madrid", {"Espainia penintsularreko", "España peninsular", "mainland Spain"}},
	{"Atlantic/Canary", {"Kanarietako", "Canarias", "Canary Islands"}},
	{"Europe/Paris", {"Frantziako", "Francia", "France"}},
	{"Europe/Lisbon", {"Portugalgo", "Portugal", "Portugal"}},
	{"Europe/London", {"Erresuma Batuko", "Reino Unido", "UK"}},
};

static bool zone(struct hm_buf *out, enum hm_locale locale, const char *name)
{
	for (size_t i = 0; name && i < sizeof zone_words / sizeof zone_words[0]; i++)
		if (strcmp(name, zone_words[i].zone) == 0)
			return put(out, zone_words[i].words[locale]);
	return put(out, name);
}

/* Cents as the language writes money: "40,50 €", or "€40.50" in English. */
static bool money(struct hm_buf *out, enum hm_locale locale, int64_t cents)
{
	long long units = (long long)(cents / 100), rest = (long long)(cents % 100);
	return locale == HM_LOCALE_EN ? hm_buf_printf(out, "€%lld.%02lld", units, rest)
				      : hm_buf_printf(out, "%lld,%02lld €", units, rest);
}

/* A booking's price with its discount and gift, or that a subscription paid for it:
 * lines ending in a blank line, or nothing when neither is known. */
static bool payment(struct hm_buf *out, enum hm_locale locale, const struct hm_msg_params *p)
{
	static const char *const price[HM_LOCALE_COUNT] = {"Prezioa: ", "Precio: ", "Price: "};
	static const char *const gift[HM_LOCALE_COUNT] = {"Oparia: ", "Regalo: ", "Gift: "};
	static const char *const paid[HM_LOCALE_COUNT] = {
		"Zure harpidetzatik ordainduta.\n",
		"Pagado con tu bono.\n",
		"Paid from your subscription.\n",
	};
	if (p->from_subscription)
		return put(out, paid[locale]) && put(out, "\n");
	if (!p->priced)
		return true;
	if (!put(out, price[locale]) || !money(out, locale, p->price_cents))
		return false;
	if (p->discount_percent > 0) {
		bool ok = locale == HM_LOCALE_EU
				  ? hm_buf_printf(out, " (%%%deko deskontua)", p->discount_percent)
			  : locale == HM_LOCALE_ES
				  ? hm_buf_printf(out, " (descuento del %d %%)",
						  p->discount_percent)
				  : hm_buf_printf(out, " (%d%% discount)", p->discount_percent);
		if (!ok)
			return false;
	}
	if (!put(out, "\n"))
		return false;
	if (p->gift && !(put(out, gift[locale]) && put(out, p->gift) && put(out, "\n")))
		return false;
	return put(out, "\n");
}

/* "See, move or cancel your lessons: <url>/#lessons" and a blank line, in locale
 * (nothing without a url; a trailing slash of url is not doubled). */
static bool manage_link(struct hm_buf *out, enum hm_locale locale, const char *url)
{
	static const char *const lead[HM_LOCALE_COUNT] = {
		[HM_LOCALE_EU] = "Zure eskolak ikusi, aldatu edo ezeztatzeko: ",
		[HM_LOCALE_ES] = "Para ver, cambiar o cancelar tus clases: ",
		[HM_LOCALE_EN] = "To see, move or cancel your lessons: ",
	};
	if (!url || !*url)
		return true;
	size_t len = strlen(url);
	while (len > 0 && url[len - 1] == '/')
		len--;
	return put(out, lead[locale]) && hm_buf_append(out, url, len) && put(out, "/#lessons\n\n");
}

/* Writes one placeholder's value; an unknown name is written as it stands. */
static bool placeholder(struct hm_buf *out, const char *name, size_t len, enum hm_locale locale,
			const struct hm_msg_params *p)
{
#define IS(literal) (len == sizeof(literal) - 1 && memcmp(name, (literal), len) == 0)
	if (IS("name"))
		return put(out, p->name);
	if (IS("service"))
		return put(out, p->service);
	if (IS("tutor"))
		return put(out, p->tutor);
	if (IS("zone"))
		return zone(out, locale, p->zone);
	if (IS("payment"))
		return payment(out, locale, p);
	if (IS("subject"))
		return put(out, p->subject);
	if (IS("reply"))
		return put(out, p->reply);
	if (IS("title"))
		return put(out, p->title);
	if (IS("deadline"))
		return !p->deadline || hm_msg_format_time(locale, p->deadline, out);
	if (IS("quote"))
		return quote(out, p->message);
	if (IS("amount"))
		return hm_msg_format_amount(locale, p->amount_cents, out);
	if (IS("date"))
		return !p->date || hm_msg_format_date(locale, p->date, out);
	if (IS("invoices"))
		return invoice_lines(out, locale, p);
	if (IS("invoice"))
		return put(out, p->invoice);
	if (IS("reference"))
		return put(out, p->reference);
	if (IS("creditor"))
		return put(out, p->creditor);
	if (IS("answers"))
		return suggested(out, locale, p);
	if (IS("hours"))
		return hm_buf_printf(out, "%d", p->response_hours);
	if (IS("manage"))
		return manage_link(out, locale, p->public_url);
	if (IS("time"))
		return p->n_times == 0 || hm_msg_format_time(locale, &p->times[0], out);
	if (IS("times")) {
		for (size_t i = 0; i < p->n_times; i++)
			if (!hm_buf_append(out, "  - ", 4) ||
			    !hm_msg_format_time(locale, &p->times[i], out) ||
			    !hm_buf_append(out, "\n", 1))
				return false;
		return true;
	}
#undef IS
	return hm_buf_append(out, name - 1, len + 2);
}

static bool expand(struct hm_buf *out, const char *tmpl, enum hm_locale locale,
		   const struct hm_msg_params *p)
{
	const char *s = tmpl;
	while (*s) {
		const char *open = strchr(s, '{');
		const char *close = open ? strchr(open, '}') : NULL;
		if (!close)
			return put(out, s);
		if (!hm_buf_append(out, s, (size_t)(open - s)) ||
		    !placeholder(out, open + 1, (size_t)(close - open - 1), locale, p))
			return false;
		s = close + 1;
	}
	return true;
}

bool hm_msg_render(enum hm_msg_kind kind, enum hm_locale locale, const struct hm_msg_params *p,
		   struct hm_buf *subject, struct hm_buf *body)
{
	if ((unsigned)kind >= HM_MSG_KIND_COUNT || (unsigned)locale >= HM_LOCALE_COUNT)
		return false;
	const struct template *t = &templates[kind][locale];
	bool use_alt = false;
	if (kind == HM_MSG_INQUIRY_RECEIVED)
		use_alt = p->response_hours <= 0;
	else if (kind == HM_MSG_LESSON_BOOKED || kind == HM_MSG_LESSON_CANCELLED)
		use_alt = p->n_times > 1;
	const char *text = use_alt && t->alt ? t->alt : t->body;
	/* One line: a placeholder's line breaks (there should be none) become spaces. */
	size_t start = subject->len;
	if (!expand(subject, t->subject, locale, p))
		return false;
	for (size_t i = start; i < subject->len; i++)
		if (subject->data[i] == '\n' || subject->data[i] == '\r' ||
		    subject->data[i] == '\t')
			subject->data[i] = ' ';
	return expand(body, text, locale, p);
}
