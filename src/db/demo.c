// SPDX-License-Identifier: MIT
// Demo data for a new database (include/harreman/demo.h): a small tutoring business
// in full swing. This file owns every demo row: the three printed logins plus two more
// tutors and four students, tutor profiles and their weekly availability, the
// services, clients at every loyalty stage with contracts, lessons (months of
// history and a few in the coming week), contact history, gifts in stock and open,
// overdue and answered inquiries, community events with registrations (and a full
// workshop with a waiting list), students' contributions (published and waiting for
// review), twenty automatic answers in each language, a TEST business in Gipuzkoa
// with the invoices of every contract, payments, two families with SEPA mandates and
// an overdue invoice. All of it is written in one transaction and placed relative to
// the current time, so the demo always looks current; nothing is random.
// The passwords are public by design: `scripts/run` prints the three logins, and the
// other tutors (amaia@, jon@) use Mikel's password, the other students (irati@, unai@,
// maite@, lucia@, all @demo.harreman.eus) Ane's. Never use --demo in production.
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "harreman/accounts.h"
#include "harreman/audit.h"
#include "harreman/db_answers.h"
#include "harreman/db_invoices.h"
#include "harreman/db_payments.h"
#include "harreman/demo.h"
#include "harreman/hours.h"
#include "harreman/loyalty.h"
#include "harreman/password.h"
#include "harreman/timefmt.h"
#include "harreman/banned.h"

const struct hm_demo_login hm_demo_logins[] = {
	{"student", "ane@demo.harreman.eus", "ikaslea-demo-2026", "Ane Etxeberria"},
	{"staff", "mikel@demo.harreman.eus", "irakaslea-demo-2026", "Mikel Agirre"},
	{"admin", "admin@demo.harreman.eus", "kudeatzailea-demo-2026", "Nerea Zubiri"},
};
const int hm_demo_login_count = sizeof hm_demo_logins / sizeof hm_demo_logins[0];

#define AT(h, m) ((h)*60 + (m)) /* local wall-clock minutes after midnight */
#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

/* ---- the data -------------------------------------------------------------- */

/* A local wall-clock moment: weekday (ISO) and minute of the week that lies
 * weeks_ago weeks before the current one. Week 0 is this week. */
struct when {
	int weeks_ago;
	int weekday;
	int minute;
};

/* The printed logins come first, in the order of hm_demo_logins. */
enum { U_ANE, U_MIKEL, U_NEREA, U_AMAIA, U_JON, U_IRATI, U_UNAI, U_MAITE, U_LUCIA, U_COUNT };
#define PRINTED_COUNT (U_NEREA + 1)
_Static_assert(COUNT_OF(hm_demo_logins) == PRINTED_COUNT, "printed logins lead the users");

struct demo_user {
	const char *role, *email, *full_name; /* NULL: the printed login at this index */
	int login;          /* the printed login whose password, and so whose hash, it uses */
	const char *locale; /* of a student's client record */
	struct when since;
};

/* Users sharing a password share its hash: argon2id is slow and memory-hungry on
 * purpose, and the API tests start a demo server many times. */
static const struct demo_user demo_users[U_COUNT] = {
	[U_ANE] = {NULL, NULL, NULL, U_ANE, "eu", {23, 1, AT(9, 10)}},
	[U_MIKEL] = {NULL, NULL, NULL, U_MIKEL, "eu", {30, 1, AT(9, 0)}},
	[U_NEREA] = {NULL, NULL, NULL, U_NEREA, "eu", {30, 1, AT(8, 30)}},
	[U_AMAIA] = {"staff",
		     "amaia@demo.harreman.eus",
		     "Amaia Larrea",
		     U_MIKEL,
		     "eu",
		     {30, 1, AT(9, 5)}},
	[U_JON] = {"staff",
		   "jon@demo.harreman.eus",
		   "Jon Etxeberria",
		   U_MIKEL,
		   "eu",
		   {30, 1, AT(9, 8)}},
	[U_IRATI] = {"student",
		     "irati@demo.harreman.eus",
		     "Irati Goikoetxea",
		     U_ANE,
		     "eu",
		     {25, 6, AT(18, 40)}},
	[U_UNAI] = {"student",
		    "unai@demo.harreman.eus",
		    "Unai Arrieta",
		    U_ANE,
		    "eu",
		    {26, 1, AT(10, 20)}},
	[U_MAITE] = {"student",
		     "maite@demo.harreman.eus",
		     "Maite Olano",
		     U_ANE,
		     "es",
		     {5, 4, AT(19, 30)}},
	[U_LUCIA] = {"student",
		     "lucia@demo.harreman.eus",
		     "Lucía Fernández",
		     U_ANE,
		     "es",
		     {1, 3, AT(19, 55)}},
};

enum { T_MIKEL, T_AMAIA, T_JON, T_COUNT };

struct demo_tutor {
	int user;
	const char *subjects[2];         /* NULL: fewer */
	struct hm_weekly_window morning; /* on top of the afternoons every tutor keeps */
	const char *bio;
};

static const struct demo_tutor demo_tutors[T_COUNT] = {
	[T_MIKEL] = {U_MIKEL,
		     {"maths", "physics"},
		     {2, AT(10, 0), AT(13, 0)},
		     "Matematika eta fisika irakaslea. Hamar urte Batxilergoko ikasleak "
		     "selektibitaterako prestatzen."},
	[T_AMAIA] = {U_AMAIA,
		     {"english", NULL},
		     {3, AT(9, 0), AT(12, 0)},
		     "English teacher (CELTA): conversation, B1-C1 exam preparation and "
		     "English for work."},
	[T_JON] = {U_JON,
		   {"basque", "maths"},
		   {4, AT(10, 0), AT(13, 0)},
		   "Euskara eta matematika irakaslea: helduentzako euskara eta DBHko "
		   "errefortzua."},
};

/* Every weekday afternoon, so the coming week always has plenty of free slots. */
static const struct hm_weekly_window afternoons[] = {
	{1, AT(16, 0), AT(20, 0)}, {2, AT(16, 0), AT(20, 0)}, {3, AT(16, 0), AT(20, 0)},
	{4, AT(16, 0), AT(20, 0)}, {5, AT(16, 0), AT(19, 0)},
};

enum { S_MATHS, S_PHYSICS, S_ENGLISH, S_BASQUE, S_GROUP_MATHS, S_WORKSHOP, S_COUNT };

struct demo_service {
	const char *name, *subject, *level, *kind;
	int duration_min, price_cents, capacity;
	const char *notes[3]; /* what tutors logged after its lessons, in turn */
};

static const struct demo_service demo_services[S_COUNT] = {
	[S_MATHS] = {"Matematika — eskola partikularra",
		     "maths",
		     "DBH",
		     "private",
		     60,
		     3000,
		     1,
		     {"Ekuazio-sistemak landu ditugu; ariketak ondo.",
		      "Deribatuak: oinarria sendo, praktika gehiago behar du.",
		      "Azterketa-eredua egin dugu; 7,5 inguru."}},
	[S_PHYSICS] = {"Fisika — eskola partikularra",
		       "physics",
		       "Batxilergoa",
		       "private",
		       60,
		       3000,
		       1,
		       {"Dinamika: Newtonen legeak eta marruskadura.",
			"Lana eta energia; problemak ondo planteatzen ditu.",
			"Eremu elektrikoa; unitateekin kontuz."}},
	[S_ENGLISH] = {"Ingelesa — eskola partikularra",
		       "english",
		       "B1",
		       "private",
		       60,
		       2800,
		       1,
		       {"Conversation about work meetings; past tenses reviewed.",
			"Writing: formal e-mails, good structure.",
			"B2 listening task; clear progress."}},
	[S_BASQUE] = {"Euskara — eskola partikularra",
		      "basque",
		      "B1",
		      "private",
		      60,
		      2600,
		      1,
		      {"NOR-NORI-NORK aditzak landu ditugu.",
		       "Elkarrizketa: lana eta familia; ahoskera ona.",
		       "Idazlana zuzendu dugu; lokailuak landu."}},
	[S_GROUP_MATHS] = {"Taldeko matematika",
			   "maths",
			   "DBH",
			   "group",
			   90,
			   1800,
			   6,
			   {"Taldean: zatikiak eta ehunekoak.", "Taldean: lehen mailako ekuazioak.",
			    "Taldean: geometria eta Pitagoras."}},
	[S_WORKSHOP] = {"Ingeles mintzamena — tailerra",
			"english",
			"B2",
			"workshop",
			120,
			2000,
			12,
			{"Tailerra: aurkezpen laburrak ingelesez, taldeka.", "", ""}},
};

enum { C_ANE, C_IRATI, C_UNAI, C_MAITE, C_LUCIA, C_JOSU, C_GARAZI, C_PEIO, C_SARAH, C_COUNT };

/* Clients with a login take name, e-mail, locale and creation time from their user. */
struct demo_client {
	int user; /* -1: a phone or walk-in client who never logs in */
	const char *full_name, *email, *locale;
	struct when since;
	const char *phone, *guardian_name, *guardian_email, *guardian_phone;
	const char *assistance;
	int tutor; /* -1: none */
	const char *level, *pace, *preferred_channel, *notes;
};

static const struct demo_client demo_clients[C_COUNT] = {
	[C_ANE] = {U_ANE,
		   NULL,
		   NULL,
		   NULL,
		   {0, 0, 0},
		   "+34 611 204 318",
		   NULL,
		   NULL,
		   NULL,
		   "dedicated",
		   T_MIKEL,
		   "Batxilergoa 2",
		   "steady",
		   "web",
		   "Selektibitatea prestatzen: Matematika II."},
	[C_IRATI] = {U_IRATI,
		     NULL,
		     NULL,
		     NULL,
		     {0, 0, 0},
		     "+34 622 815 047",
		     NULL,
		     NULL,
		     NULL,
		     "personal",
		     -1,
		     "Batxilergoa 2",
		     NULL,
		     "email",
		     "Fisika eta ingelesa. Ikastetxeko irteeretan klaseak aldatzen ditu."},
	[C_UNAI] = {U_UNAI,
		    NULL,
		    NULL,
		    NULL,
		    {0, 0, 0},
		    NULL,
		    "Miren Arrieta",
		    "miren.arrieta@example.com",
		    "+34 655 730 912",
		    "dedicated",
		    T_JON,
		    "DBH 2",
		    "slow",
		    "phone",
		    "Adingabea: amak (Miren) kudeatzen ditu ordainketak eta aldaketak."},
	[C_MAITE] = {U_MAITE,
		     NULL,
		     NULL,
		     NULL,
		     {0, 0, 0},
		     "+34 633 480 215",
		     NULL,
		     NULL,
		     NULL,
		     "self_service",
		     -1,
		     "DBH 3",
		     NULL,
		     "web",
		     "Lagun batek gomendatuta; taldeko klasean gustura."},
	[C_LUCIA] = {U_LUCIA,
		     NULL,
		     NULL,
		     NULL,
		     {0, 0, 0},
		     NULL,
		     NULL,
		     NULL,
		     NULL,
		     "self_service",
		     -1,
		     NULL,
		     NULL,
		     "web",
		     "Udarako ingeles B2 ikastaroa nahi du."},
	[C_JOSU] = {-1,
		    "Josu Mendizabal",
		    "josu.mendizabal@example.com",
		    "eu",
		    {26, 5, AT(10, 45)},
		    "+34 644 392 660",
		    NULL,
		    NULL,
		    NULL,
		    "dedicated",
		    T_AMAIA,
		    "B2",
		    "fast",
		    "in_person",
		    "Lanerako ingelesa (bilerak, posta). Astelehenetan 16:00etan."},
	[C_GARAZI] = {-1,
		      "Garazi Urrutia",
		      NULL,
		      "eu",
		      {3, 1, AT(17, 20)},
		      NULL,
		      "Itziar Urrutia",
		      "itziar.urrutia@example.com",
		      "+34 677 154 983",
		      "personal",
		      -1,
		      "DBH 2",
		      "steady",
		      "phone",
		      "Adingabea: amak deitzen du. Taldeko matematika asteazkenetan."},
	[C_PEIO] = {-1,
		    "Peio Lasa",
		    NULL,
		    "es",
		    {16, 3, AT(9, 40)},
		    "+34 699 021 774",
		    NULL,
		    NULL,
		    NULL,
		    "personal",
		    -1,
		    "25+ sarbide-proba",
		    "steady",
		    "phone",
		    "Goizez lanean; astelehenetan 18:00etan bakarrik."},
	[C_SARAH] = {-1,
		     "Sarah Collins",
		     "sarah.collins@example.com",
		     "en",
		     {12, 3, AT(10, 20)},
		     "+34 610 558 239",
		     NULL,
		     NULL,
		     NULL,
		     "dedicated",
		     T_JON,
		     "A2",
		     "fast",
		     "email",
		     "Works in Donostia; learning Basque for her job. Write in English."},
};

/* One purchase with its lessons: `lessons` past ones weekly from `first` (the
 * weeks_ago counting down), then optionally one on the n-th working day after today
 * at the same time. Per client, oldest first: the ordinal is counted from here. */
struct demo_contract {
	int client, service, tutor;
	int sessions; /* 1: a one-off class, else a subscription */
	struct when made;
	const char *channel;
	const char *gift;         /* gifts.key; NULL: none */
	int cancelled_after_days; /* 0: active */
	struct when first;
	int lessons;
	int no_show;      /* which past lesson was missed; -1: none */
	int next_workday; /* 0: nothing booked in the coming week */
};

/* Tutors' weekly times are chosen so that no two booked lessons of one tutor
 * overlap (the database would refuse them), except the seats of the group class. */
static const struct demo_contract demo_contracts[] = {
	/* Ane: two contracts, so her next one earns the first discount. */
	{C_ANE,
	 S_MATHS,
	 T_MIKEL,
	 1,
	 {22, 1, AT(11, 0)},
	 "web",
	 "pen",
	 0,
	 {21, 4, AT(16, 0)},
	 1,
	 -1,
	 0},
	{C_ANE,
	 S_MATHS,
	 T_MIKEL,
	 10,
	 {9, 5, AT(18, 0)},
	 "web",
	 "calendar",
	 0,
	 {8, 2, AT(17, 0)},
	 8,
	 5,
	 2},
	/* Irati: four, one more cancelled (not counted in later ordinals). */
	{C_IRATI,
	 S_PHYSICS,
	 T_MIKEL,
	 1,
	 {24, 1, AT(17, 0)},
	 "web",
	 "pen",
	 0,
	 {23, 3, AT(16, 0)},
	 1,
	 -1,
	 0},
	{C_IRATI,
	 S_PHYSICS,
	 T_MIKEL,
	 8,
	 {20, 4, AT(19, 30)},
	 "web",
	 "calendar",
	 0,
	 {19, 3, AT(18, 0)},
	 8,
	 3,
	 0},
	{C_IRATI,
	 S_ENGLISH,
	 T_AMAIA,
	 1,
	 {9, 2, AT(12, 0)},
	 "web",
	 "pen",
	 6,
	 {8, 4, AT(17, 0)},
	 1,
	 -1,
	 0},
	{C_IRATI,
	 S_PHYSICS,
	 T_MIKEL,
	 8,
	 {8, 2, AT(19, 0)},
	 "web",
	 "car_air_freshener",
	 0,
	 {7, 3, AT(18, 0)},
	 7,
	 -1,
	 0},
	{C_IRATI,
	 S_ENGLISH,
	 T_AMAIA,
	 1,
	 {2, 1, AT(19, 0)},
	 "web",
	 "pen",
	 0,
	 {1, 4, AT(17, 0)},
	 1,
	 -1,
	 0},
	/* Unai: five, the last one in the group class. */
	{C_UNAI,
	 S_MATHS,
	 T_JON,
	 1,
	 {26, 1, AT(10, 30)},
	 "phone",
	 "pen",
	 0,
	 {25, 2, AT(16, 0)},
	 1,
	 -1,
	 0},
	{C_UNAI,
	 S_MATHS,
	 T_JON,
	 8,
	 {24, 1, AT(18, 0)},
	 "phone",
	 "calendar",
	 0,
	 {23, 2, AT(16, 0)},
	 8,
	 -1,
	 0},
	{C_UNAI,
	 S_MATHS,
	 T_JON,
	 8,
	 {15, 2, AT(18, 0)},
	 "phone",
	 "calendar",
	 0,
	 {14, 2, AT(16, 0)},
	 8,
	 2,
	 0},
	{C_UNAI,
	 S_BASQUE,
	 T_JON,
	 1,
	 {6, 3, AT(10, 0)},
	 "web",
	 NULL,
	 0,
	 {5, 4, AT(17, 0)},
	 1,
	 -1,
	 0},
	{C_UNAI,
	 S_GROUP_MATHS,
	 T_JON,
	 10,
	 {4, 1, AT(20, 0)},
	 "web",
	 "car_air_freshener",
	 0,
	 {3, 3, AT(17, 30)},
	 3,
	 -1,
	 2},
	/* Maite: one, the group class. */
	{C_MAITE,
	 S_GROUP_MATHS,
	 T_JON,
	 10,
	 {5, 4, AT(20, 0)},
	 "web",
	 "calendar",
	 0,
	 {4, 3, AT(17, 30)},
	 4,
	 -1,
	 2},
	/* Josu: six, at the cap. */
	{C_JOSU,
	 S_ENGLISH,
	 T_AMAIA,
	 1,
	 {26, 5, AT(11, 0)},
	 "in_person",
	 "pen",
	 0,
	 {25, 1, AT(16, 0)},
	 1,
	 -1,
	 0},
	{C_JOSU,
	 S_ENGLISH,
	 T_AMAIA,
	 8,
	 {25, 1, AT(17, 10)},
	 "in_person",
	 "calendar",
	 0,
	 {24, 1, AT(16, 0)},
	 8,
	 -1,
	 0},
	{C_JOSU,
	 S_ENGLISH,
	 T_AMAIA,
	 8,
	 {17, 1, AT(17, 10)},
	 "in_person",
	 "calendar",
	 0,
	 {16, 1, AT(16, 0)},
	 8,
	 4,
	 0},
	{C_JOSU,
	 S_ENGLISH,
	 T_AMAIA,
	 8,
	 {9, 1, AT(17, 10)},
	 "in_person",
	 "car_air_freshener",
	 0,
	 {8, 1, AT(16, 0)},
	 8,
	 -1,
	 0},
	{C_JOSU,
	 S_WORKSHOP,
	 T_AMAIA,
	 1,
	 {7, 2, AT(10, 0)},
	 "phone",
	 "pen",
	 0,
	 {6, 5, AT(16, 0)},
	 1,
	 -1,
	 0},
	{C_JOSU,
	 S_ENGLISH,
	 T_AMAIA,
	 10,
	 {1, 1, AT(17, 10)},
	 "in_person",
	 "calendar",
	 0,
	 {0, 1, AT(16, 0)},
	 0,
	 -1,
	 1},
	/* Garazi: one, the group class, booked by her mother. */
	{C_GARAZI,
	 S_GROUP_MATHS,
	 T_JON,
	 8,
	 {3, 1, AT(17, 30)},
	 "phone",
	 "pen",
	 0,
	 {2, 3, AT(17, 30)},
	 2,
	 -1,
	 2},
	/* Peio: three, the third with 5 %. */
	{C_PEIO,
	 S_MATHS,
	 T_MIKEL,
	 1,
	 {16, 3, AT(9, 45)},
	 "phone",
	 NULL,
	 0,
	 {15, 1, AT(18, 0)},
	 1,
	 -1,
	 0},
	{C_PEIO,
	 S_PHYSICS,
	 T_MIKEL,
	 8,
	 {15, 2, AT(19, 15)},
	 "phone",
	 "calendar",
	 0,
	 {13, 1, AT(18, 0)},
	 8,
	 -1,
	 0},
	{C_PEIO,
	 S_MATHS,
	 T_MIKEL,
	 8,
	 {5, 2, AT(19, 15)},
	 "phone",
	 "car_air_freshener",
	 0,
	 {4, 1, AT(18, 0)},
	 4,
	 -1,
	 1},
	/* Sarah: two. */
	{C_SARAH,
	 S_BASQUE,
	 T_JON,
	 1,
	 {12, 3, AT(15, 0)},
	 "email",
	 "pen",
	 0,
	 {11, 4, AT(16, 0)},
	 1,
	 -1,
	 0},
	{C_SARAH,
	 S_BASQUE,
	 T_JON,
	 10,
	 {10, 5, AT(12, 0)},
	 "email",
	 "calendar",
	 0,
	 {8, 4, AT(16, 0)},
	 8,
	 6,
	 3},
};

struct demo_interaction {
	int client;
	const char *channel, *direction;
	int user; /* the staff member who took or made it */
	struct when at;
	const char *summary;
};

static const struct demo_interaction demo_interactions[] = {
	{C_ANE,
	 "email",
	 "in",
	 U_MIKEL,
	 {9, 5, AT(17, 30)},
	 "Harpidetza berria eskatu du: asteartetan 17:00etan, urtarrileko azterketetarako."},
	{C_IRATI,
	 "web",
	 "in",
	 U_AMAIA,
	 {8, 1, AT(11, 50)},
	 "Ingeleseko klasea bertan behera utzi du: ikastetxeko irteera."},
	{C_UNAI,
	 "phone",
	 "in",
	 U_NEREA,
	 {26, 1, AT(10, 15)},
	 "Miren Arrieta (ama) deitu du: Unaik matematikan laguntza behar du, asteartetan."},
	{C_UNAI,
	 "phone",
	 "out",
	 U_JON,
	 {8, 5, AT(12, 0)},
	 "Amari deitu diogu: Unaik aurrera egin du, ebaluazioan 6,5."},
	{C_MAITE,
	 "in_person",
	 "in",
	 U_JON,
	 {5, 4, AT(19, 10)},
	 "Lagun batek gomendatuta etorri da; taldeko matematikan izena emango du webean."},
	{C_LUCIA,
	 "web",
	 "in",
	 U_NEREA,
	 {1, 3, AT(20, 10)},
	 "Erregistratu da; udarako ingeles B2 ikastaroaz galdetu du (gaztelaniaz)."},
	{C_JOSU,
	 "email",
	 "out",
	 U_AMAIA,
	 {6, 5, AT(19, 0)},
	 "Tailerreko aurkezpenaren materiala bidali diogu."},
	{C_JOSU,
	 "in_person",
	 "in",
	 U_AMAIA,
	 {1, 1, AT(17, 5)},
	 "Harpidetza berritu du (10 saio); bileretarako ingelesa landu nahi du."},
	{C_GARAZI,
	 "phone",
	 "in",
	 U_NEREA,
	 {3, 1, AT(17, 20)},
	 "Itziar Urrutiak (ama) taldeko matematika eskatu du Garazirentzat, asteazkenetan."},
	{C_PEIO,
	 "phone",
	 "in",
	 U_NEREA,
	 {16, 3, AT(9, 40)},
	 "25 urtetik gorakoen sarbide-proba prestatzen ari da: matematika eta fisika."},
	{C_SARAH,
	 "email",
	 "in",
	 U_JON,
	 {12, 3, AT(10, 20)},
	 "Sarah wants Basque for her job (A2 towards B1); prefers e-mail, in English."},
	{C_SARAH,
	 "email",
	 "out",
	 U_JON,
	 {12, 3, AT(14, 45)},
	 "Sent her the Thursday 16:00 slot and the prices; she booked a first class."},
};

struct demo_inquiry {
	const char *channel, *full_name, *email, *phone, *subject, *message;
	int hours_ago;      /* received */
	int answered_after; /* hours; 0: still open */
	int answered_by;
	const char *reply;
};

/* The due time comes from the channel's response_hours, as for a real inquiry: the
 * e-mail one is overdue, the web one is not yet, the phone one has none. */
static const struct demo_inquiry demo_inquiries[] = {
	{"email", "Beñat Aranburu", "benat.aranburu@example.com", NULL, "Fisika Batxilergoan",
	 "Kaixo, alabak fisikan laguntza behar du (Batxilergoa 1). Asteazken arratsaldeetan "
	 "tokirik ba al duzue?",
	 72, 0, 0, NULL},
	{"web", "Leire Zabala", "leire.zabala@example.com", "+34 634 118 902", "Taldeko matematika",
	 "Bi lagun gara DBH 3n. Taldeko klasean tokirik ba al dago?", 5, 0, 0, NULL},
	{"phone", "Koldo Iriarte", NULL, "+34 675 402 118", "Euskara B2 azterketa",
	 "Ekainean B2 azterketa du; arratsaldez deitzeko eskatu du.", 26, 0, 0, NULL},
	{"email", "Carmen Ruiz", "carmen.ruiz@example.com", NULL, "Inglés para adultos",
	 "Hola, ¿tenéis clases de inglés por la mañana?", 144, 20, U_AMAIA,
	 "Hola Carmen: sí, los miércoles de 9:00 a 12:00 con Amaia. Puedes reservar en la web."},
};

/* Community events on coming working days; registrations by client. */
struct demo_event {
	const char *title, *kind, *subject, *description; /* subject NULL: for everyone */
	int workday; /* the n-th Monday-to-Friday day after today */
	int minute, duration_min, capacity;
	int created_by;    /* a user */
	int registered[4]; /* clients; -1 ends the list */
	int waiting[3];    /* clients in line for a full event, first first; -1 ends */
};

static const struct demo_event demo_events[] = {
	{"Matematika tailerra: ekuazioak jolasean",
	 "workshop",
	 "maths",
	 "Ekuazioak taldeka ebazten, jolas eta erronka txikiekin. DBH eta Batxilergoko "
	 "ikasleentzat; ekarri kalkulagailua.",
	 3,
	 AT(18, 0),
	 90,
	 12,
	 U_JON,
	 {C_MAITE, C_GARAZI, C_UNAI, -1},
	 {-1}},
	{"Hitzaldia: azterketak lasai prestatzen",
	 "talk",
	 NULL,
	 "Mikel Agirrek azterketa-garaia antolatzeko gakoak emango ditu: egutegia, "
	 "atsedenak eta urduritasunari aurre egiteko trikimailuak. Gurasoak ere ongi etorri.",
	 5,
	 AT(19, 0),
	 60,
	 40,
	 U_MIKEL,
	 {C_ANE, C_IRATI, C_PEIO, -1},
	 {-1}},
	{"Foroa: ingelesa lanean",
	 "forum",
	 "english",
	 "Solasaldi irekia lanean ingelesa erabiltzen dutenen artean: bilerak, posta eta "
	 "aurkezpenak. Amaia Larreak gidatuko du.",
	 8,
	 AT(18, 30),
	 120,
	 15,
	 U_AMAIA,
	 {C_IRATI, C_JOSU, -1},
	 {-1}},
	{"Fisika tailerra: esperimentuak sukaldean",
	 "workshop",
	 "physics",
	 "Etxean dauzkagun gauzekin fisikako esperimentu txikiak: dentsitatea, presioa eta "
	 "argia. Hiru lekurako baino ez dago tokia; beteta dago, baina itxaron-zerrendan "
	 "izena eman dezakezu.",
	 10,
	 AT(17, 30),
	 90,
	 3,
	 U_MIKEL,
	 {C_MAITE, C_PEIO, C_JOSU, -1},
	 {C_ANE, C_GARAZI, -1}},
};

/* Contributions of students: published ones (reviewed) and one waiting. */
struct demo_contribution {
	int client;
	const char *kind, *title, *body, *credit_name;
	int days_ago;       /* submitted */
	const char *status; /* "approved", "rejected" or "submitted" */
	int reviewed_by;    /* a user; used unless submitted */
	const char *comment;
};

static const struct demo_contribution demo_contributions[] = {
	{C_IRATI, "blog_post", "Nola prestatu nuen fisikako azterketa",
	 "Hiru hilabete lehenago hasi nintzen. Astean bi aldiz ariketak egin nituen Mikelekin, "
	 "eta etxean formulen orri bat idatzi nuen, neure hitzekin.\n\n"
	 "Gakoa: akatsak idatzi eta hurrengo astean berriro egin. Azterketa egunean lasai "
	 "joan nintzen, eta 8,5 atera nuen!",
	 "Irati G.", 20, "approved", U_MIKEL, "Eskerrik asko, Irati! Argitaratuta."},
	{C_ANE, "material", "Deribatuen laburpen-orria",
	 "Deribatu nagusiak orri bakarrean:\n"
	 "- (x^n)' = n·x^(n-1)\n- (sin x)' = cos x\n- (cos x)' = -sin x\n"
	 "- (e^x)' = e^x\n- (ln x)' = 1/x\n\n"
	 "Katearen erregela: (f(g(x)))' = f'(g(x))·g'(x).",
	 NULL, 12, "approved", U_MIKEL, "Oso erabilgarria; taldeko klasean ere banatuko dugu."},
	{C_MAITE, "method", "Zatikiak pizzarekin ikasten",
	 "Zatikiak ulertzeko pizza bat marrazten dut eta zatitan banatzen dut. Bi zatiki "
	 "batzeko, bi pizzak zati-kopuru berean moztu behar dira: hori da izendatzaile "
	 "komuna.",
	 "Maite", 2, "submitted", -1, NULL},
};

struct demo_gift {
	const char *key;
	int stock;
};

static const struct demo_gift demo_gifts[] = {
	{"pen", 40}, {"calendar", 25}, {"car_air_freshener", 15}};

static const char no_show_note[] = "Ez da etorri eta ez du abisatu; deitu diogu.";

/* ---- seeding ---------------------------------------------------------------- */

struct demo {
	struct hm_db *db;
	int64_t now;
	int64_t today, monday; /* local day numbers */
	int weekday;           /* today's */
	int64_t user[U_COUNT], client[C_COUNT], service[S_COUNT];
	struct hm_tier tiers[HM_MAX_TIERS];
	size_t n_tiers;
};

static int64_t demo_at(const struct demo *d, struct when w)
{
	return hm_local_instant(d->monday - 7 * (int64_t)w.weeks_ago + w.weekday - 1, w.minute);
}

/* The n-th Monday-to-Friday day after today: n <= 5 stays within the coming week. */
static int64_t coming_workday(const struct demo *d, int n)
{
	int64_t day = d->today;
	int weekday = d->weekday;
	while (n > 0) {
		day++;
		weekday = weekday % 7 + 1;
		if (weekday <= 5)
			n--;
	}
	return day;
}

/* Steps a write from hm_db_stmt to its end and hands the statement back. */
static enum hm_err run(struct hm_db *db, sqlite3_stmt *stmt, const char *what)
{
	enum hm_err err = sqlite3_step(stmt) == SQLITE_DONE ? HM_OK : hm_db_fail(db, what);
	hm_db_done(stmt);
	return err;
}

/* The tiers the migration seeded, so the demo prices follow them. */
static enum hm_err load_tiers(struct demo *d)
{
	static const char sql[] =
		"SELECT from_ordinal, percent FROM discount_tiers ORDER BY from_ordinal";
	sqlite3_stmt *stmt = hm_db_stmt(d->db, sql);
	enum hm_err err = HM_ERR_INTERNAL;
	int rc;
	if (!stmt)
		goto out;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (d->n_tiers == HM_MAX_TIERS)
			continue;
		d->tiers[d->n_tiers].from_ordinal = sqlite3_column_int(stmt, 0);
		d->tiers[d->n_tiers].percent = sqlite3_column_int(stmt, 1);
		d->n_tiers++;
	}
	err = rc == SQLITE_DONE ? HM_OK : hm_db_fail(d->db, "demo tiers");
out:
	hm_db_done(stmt);
	return err;
}

static enum hm_err seed_users(struct demo *d, char hashes[][HM_PASSWORD_HASH_LEN])
{
	enum hm_err err = HM_OK;
	for (int i = 0; i < U_COUNT && err == HM_OK; i++) {
		const struct demo_user *u = &demo_users[i];
		const struct hm_demo_login *login = &hm_demo_logins[u->login];
		const char *role = u->role ? u->role : login->role;
		const char *email = u->email ? u->email : login->email;
		const char *name = u->full_name ? u->full_name : login->full_name;
		err = hm_accounts_create(d->db, email, hashes[u->login], name,
					 hm_role_from_name(role), u->locale, demo_at(d, u->since),
					 &d->user[i]);
		if (err == HM_OK)
			err = hm_audit_record(d->db, 0, "demo.seed", "user", d->user[i], NULL, NULL,
					      d->now);
	}
	return err;
}

static enum hm_err seed_tutor(struct demo *d, const struct demo_tutor *t)
{
	static const char tutor_sql[] =
		"INSERT INTO tutors (user_id, bio, updated_at) VALUES (?1, ?2, ?3)";
	static const char subject_sql[] =
		"INSERT INTO tutor_subjects (tutor_id, subject) VALUES (?1, ?2)";
	static const char window_sql[] =
		"INSERT INTO availability (tutor_id, weekday, starts, ends)"
		" VALUES (?1, ?2, ?3, ?4)";
	int64_t id = d->user[t->user];
	sqlite3_stmt *stmt = hm_db_stmt(d->db, tutor_sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, id);
	sqlite3_bind_text(stmt, 2, t->bio, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 3, demo_at(d, demo_users[t->user].since));
	enum hm_err err = run(d->db, stmt, "demo tutor");
	for (size_t i = 0; i < COUNT_OF(t->subjects) && t->subjects[i] && err == HM_OK; i++) {
		if (!(stmt = hm_db_stmt(d->db, subject_sql)))
			return HM_ERR_INTERNAL;
		sqlite3_bind_int64(stmt, 1, id);
		sqlite3_bind_text(stmt, 2, t->subjects[i], -1, SQLITE_STATIC);
		err = run(d->db, stmt, "demo tutor subject");
	}
	/* The afternoons, then the tutor's own morning. */
	for (size_t i = 0; i <= COUNT_OF(afternoons) && err == HM_OK; i++) {
		const struct hm_weekly_window *w = i < COUNT_OF(afternoons) ? &afternoons[i]
									    : &t->morning;
		char starts[6], ends[6];
		hm_hhmm_format(w->start_min, starts);
		hm_hhmm_format(w->end_min, ends);
		if (!(stmt = hm_db_stmt(d->db, window_sql)))
			return HM_ERR_INTERNAL;
		sqlite3_bind_int64(stmt, 1, id);
		sqlite3_bind_int(stmt, 2, w->weekday);
		sqlite3_bind_text(stmt, 3, starts, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(stmt, 4, ends, -1, SQLITE_TRANSIENT);
		err = run(d->db, stmt, "demo availability");
	}
	return err;
}

static enum hm_err seed_tutors(struct demo *d)
{
	enum hm_err err = HM_OK;
	for (int i = 0; i < T_COUNT && err == HM_OK; i++)
		err = seed_tutor(d, &demo_tutors[i]);
	return err;
}

static enum hm_err seed_services(struct demo *d)
{
	static const char sql[] =
		"INSERT INTO services (name, subject, level, kind, duration_min, price_cents,"
		" capacity, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
	/* The catalogue is as old as the business. */
	int64_t since = demo_at(d, demo_users[U_NEREA].since);
	enum hm_err err = HM_OK;
	for (int i = 0; i < S_COUNT && err == HM_OK; i++) {
		const struct demo_service *s = &demo_services[i];
		sqlite3_stmt *stmt = hm_db_stmt(d->db, sql);
		if (!stmt)
			return HM_ERR_INTERNAL;
		sqlite3_bind_text(stmt, 1, s->name, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 2, s->subject, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 3, s->level, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 4, s->kind, -1, SQLITE_STATIC);
		sqlite3_bind_int(stmt, 5, s->duration_min);
		sqlite3_bind_int(stmt, 6, s->price_cents);
		sqlite3_bind_int(stmt, 7, s->capacity);
		sqlite3_bind_int64(stmt, 8, since);
		if ((err = run(d->db, stmt, "demo service")) == HM_OK)
			d->service[i] = sqlite3_last_insert_rowid(hm_db_handle(d->db));
	}
	return err;
}

/* The client's row id: a student's record exists already, a walk-in gets one. */
static enum hm_err client_row(struct demo *d, const struct demo_client *c, int64_t *id)
{
	static const char find_sql[] = "SELECT id FROM clients WHERE user_id = ?1";
	static const char insert_sql[] =
		"INSERT INTO clients (full_name, email, locale, created_at, updated_at)"
		" VALUES (?1, ?2, ?3, ?4, ?4)";
	enum hm_err err = HM_ERR_INTERNAL;
	sqlite3_stmt *stmt = hm_db_stmt(d->db, c->user >= 0 ? find_sql : insert_sql);
	if (!stmt)
		goto out;
	if (c->user >= 0) {
		sqlite3_bind_int64(stmt, 1, d->user[c->user]);
		if (sqlite3_step(stmt) != SQLITE_ROW) {
			err = hm_db_fail(d->db, "demo client of user");
			goto out;
		}
		*id = sqlite3_column_int64(stmt, 0);
	} else {
		sqlite3_bind_text(stmt, 1, c->full_name, -1, SQLITE_STATIC);
		hm_db_bind_text_or_null(stmt, 2, c->email);
		sqlite3_bind_text(stmt, 3, c->locale, -1, SQLITE_STATIC);
		sqlite3_bind_int64(stmt, 4, demo_at(d, c->since));
		if (sqlite3_step(stmt) != SQLITE_DONE) {
			err = hm_db_fail(d->db, "demo walk-in client");
			goto out;
		}
		*id = sqlite3_last_insert_rowid(hm_db_handle(d->db));
	}
	err = HM_OK;
out:
	hm_db_done(stmt);
	return err;
}

static enum hm_err seed_clients(struct demo *d)
{
	static const char sql[] =
		"UPDATE clients SET phone = ?2, guardian_name = ?3, guardian_email = ?4,"
		" guardian_phone = ?5, assistance = ?6, tutor_id = ?7, level = ?8, pace = ?9,"
		" preferred_channel = ?10, notes = ?11 WHERE id = ?1";
	enum hm_err err = HM_OK;
	for (int i = 0; i < C_COUNT && err == HM_OK; i++) {
		const struct demo_client *c = &demo_clients[i];
		sqlite3_stmt *stmt;
		if ((err = client_row(d, c, &d->client[i])) != HM_OK)
			break;
		if (!(stmt = hm_db_stmt(d->db, sql)))
			return HM_ERR_INTERNAL;
		sqlite3_bind_int64(stmt, 1, d->client[i]);
		hm_db_bind_text_or_null(stmt, 2, c->phone);
		hm_db_bind_text_or_null(stmt, 3, c->guardian_name);
		hm_db_bind_text_or_null(stmt, 4, c->guardian_email);
		hm_db_bind_text_or_null(stmt, 5, c->guardian_phone);
		sqlite3_bind_text(stmt, 6, c->assistance, -1, SQLITE_STATIC);
		if (c->tutor >= 0)
			sqlite3_bind_int64(stmt, 7, d->user[demo_tutors[c->tutor].user]);
		hm_db_bind_text_or_null(stmt, 8, c->level);
		hm_db_bind_text_or_null(stmt, 9, c->pace);
		hm_db_bind_text_or_null(stmt, 10, c->preferred_channel);
		sqlite3_bind_text(stmt, 11, c->notes, -1, SQLITE_STATIC);
		err = run(d->db, stmt, "demo client");
	}
	return err;
}

/* What differs between the lessons of one contract. */
struct lesson_row {
	int64_t starts_at;
	const char *status, *attendance, *notes; /* attendance NULL: not logged */
	int64_t cancelled_at;                    /* 0: none */
};

static enum hm_err insert_lesson(struct demo *d, const struct demo_contract *c, int64_t contract_id,
				 int64_t made, int64_t made_by, const struct lesson_row *l)
{
	static const char sql[] =
		"INSERT INTO lessons (client_id, tutor_id, service_id, contract_id, starts_at,"
		" ends_at, status, attendance, notes, channel, created_at, created_by,"
		" cancelled_at, logged_at, logged_by, made_contract)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)";
	int64_t tutor = d->user[demo_tutors[c->tutor].user];
	int64_t ends_at = l->starts_at + 60 * (int64_t)demo_services[c->service].duration_min;
	sqlite3_stmt *stmt = hm_db_stmt(d->db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, d->client[c->client]);
	sqlite3_bind_int64(stmt, 2, tutor);
	sqlite3_bind_int64(stmt, 3, d->service[c->service]);
	sqlite3_bind_int64(stmt, 4, contract_id);
	sqlite3_bind_int64(stmt, 5, l->starts_at);
	sqlite3_bind_int64(stmt, 6, ends_at);
	sqlite3_bind_text(stmt, 7, l->status, -1, SQLITE_STATIC);
	hm_db_bind_text_or_null(stmt, 8, l->attendance);
	sqlite3_bind_text(stmt, 9, l->notes, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 10, c->channel, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 11, made);
	sqlite3_bind_int64(stmt, 12, made_by);
	if (l->cancelled_at)
		sqlite3_bind_int64(stmt, 13, l->cancelled_at);
	if (l->attendance) {
		/* Logged by the tutor a quarter of an hour after the class. */
		sqlite3_bind_int64(stmt, 14, ends_at + (int64_t)15 * 60);
		sqlite3_bind_int64(stmt, 15, tutor);
	}
	/* A one-off was bought by booking its lesson, so cancelling that lesson drops it
	 * (as the API does); a subscription was bought first and gets its session back. */
	sqlite3_bind_int(stmt, 16, c->sessions == 1);
	return run(d->db, stmt, "demo lesson");
}

static enum hm_err seed_lessons(struct demo *d, const struct demo_contract *c, int64_t id,
				int64_t made, int64_t made_by, int64_t cancelled_at)
{
	const struct demo_service *s = &demo_services[c->service];
	enum hm_err err = HM_OK;
	for (int k = 0; k < c->lessons && err == HM_OK; k++) {
		struct when w = {c->first.weeks_ago - k, c->first.weekday, c->first.minute};
		struct lesson_row l = {demo_at(d, w), "booked", "attended",
				       s->notes[(size_t)k % COUNT_OF(s->notes)], 0};
		if (cancelled_at) {
			l.status = "cancelled";
			l.attendance = NULL;
			l.notes = "";
			l.cancelled_at = cancelled_at;
		} else if (k == c->no_show) {
			l.attendance = "no_show";
			l.notes = no_show_note;
		}
		err = insert_lesson(d, c, id, made, made_by, &l);
	}
	if (err == HM_OK && c->next_workday > 0) {
		struct lesson_row l = {
			hm_local_instant(coming_workday(d, c->next_workday), c->first.minute),
			"booked", NULL, "", 0};
		err = insert_lesson(d, c, id, made, made_by, &l);
	}
	return err;
}

static enum hm_err seed_contracts(struct demo *d)
{
	static const char sql[] =
		"INSERT INTO contracts (client_id, service_id, kind, sessions_total, ordinal,"
		" list_price_cents, discount_percent, discount_cents, price_cents, gift_id,"
		" channel, status, created_at, cancelled_at, created_by) VALUES (?1, ?2, ?3, ?4,"
		" ?5, ?6, ?7, ?8, ?9, (SELECT id FROM gifts WHERE key = ?10), ?11, ?12, ?13,"
		" ?14, ?15)";
	/* A contract's sessions_used is its lessons that are not cancelled. */
	static const char used_sql[] =
		"UPDATE contracts SET sessions_used = (SELECT count(*) FROM lessons l"
		" WHERE l.contract_id = contracts.id AND l.status = 'booked')";
	int counted[C_COUNT] = {0}; /* contracts not cancelled so far, per client */
	enum hm_err err = HM_OK;
	sqlite3_stmt *stmt;
	for (size_t i = 0; i < COUNT_OF(demo_contracts) && err == HM_OK; i++) {
		const struct demo_contract *c = &demo_contracts[i];
		const struct demo_client *client = &demo_clients[c->client];
		int ordinal = counted[c->client] + 1;
		int64_t made = demo_at(d, c->made);
		int64_t cancelled_at = c->cancelled_after_days
					       ? made + 86400 * (int64_t)c->cancelled_after_days
					       : 0;
		/* On the web the client buys; otherwise the tutor takes the order. */
		int64_t made_by = strcmp(c->channel, "web") == 0 && client->user >= 0
					  ? d->user[client->user]
					  : d->user[demo_tutors[c->tutor].user];
		struct hm_price price;
		if (!hm_loyalty_price(demo_services[c->service].price_cents, c->sessions,
				      hm_loyalty_percent(d->tiers, d->n_tiers, ordinal), &price) ||
		    !(stmt = hm_db_stmt(d->db, sql)))
			return HM_ERR_INTERNAL;
		sqlite3_bind_int64(stmt, 1, d->client[c->client]);
		sqlite3_bind_int64(stmt, 2, d->service[c->service]);
		sqlite3_bind_text(stmt, 3, c->sessions == 1 ? "one_off" : "subscription", -1,
				  SQLITE_STATIC);
		sqlite3_bind_int(stmt, 4, c->sessions);
		sqlite3_bind_int(stmt, 5, ordinal);
		sqlite3_bind_int64(stmt, 6, price.list_cents);
		sqlite3_bind_int(stmt, 7, price.percent);
		sqlite3_bind_int64(stmt, 8, price.discount_cents);
		sqlite3_bind_int64(stmt, 9, price.price_cents);
		hm_db_bind_text_or_null(stmt, 10, c->gift);
		sqlite3_bind_text(stmt, 11, c->channel, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 12, cancelled_at ? "cancelled" : "active", -1,
				  SQLITE_STATIC);
		sqlite3_bind_int64(stmt, 13, made);
		if (cancelled_at)
			sqlite3_bind_int64(stmt, 14, cancelled_at);
		sqlite3_bind_int64(stmt, 15, made_by);
		if ((err = run(d->db, stmt, "demo contract")) != HM_OK)
			break;
		if (!cancelled_at)
			counted[c->client]++;
		err = seed_lessons(d, c, sqlite3_last_insert_rowid(hm_db_handle(d->db)), made,
				   made_by, cancelled_at);
	}
	if (err != HM_OK)
		return err;
	if (!(stmt = hm_db_stmt(d->db, used_sql)))
		return HM_ERR_INTERNAL;
	return run(d->db, stmt, "demo sessions used");
}

/* A test business in Gipuzkoa (clearly not a real one: its name says TEST and
 * PROBA, its NIF is the textbook example) so that demo contracts get invoices. */
static enum hm_err seed_business(struct demo *d)
{
	static const char sql[] =
		"UPDATE business SET legal_name = 'PROBA / TEST Harreman Akademia (demo)',"
		" nif = 'B12345674', address = 'Kale Nagusia 1', postcode = '20001',"
		" city = 'Donostia', territory = 'gipuzkoa', invoice_series = 'DEMO',"
		" vat_exempt = 1, vat_percent = 21, is_set = 1, updated_at = ?1 WHERE id = 1";
	sqlite3_stmt *stmt = hm_db_stmt(d->db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, d->now);
	return run(d->db, stmt, "demo business");
}

/* The invoices of the demo contracts, in the order they were made, then the
 * rectifying ones of those cancelled, in the order they were cancelled. */
static enum hm_err seed_invoices(struct demo *d)
{
	static const char made_sql[] =
		"SELECT k.id, k.client_id, k.service_id, coalesce(k.gift_id, 0), k.sessions_total,"
		" s.price_cents, k.discount_cents, k.price_cents, k.created_at FROM contracts k"
		" JOIN services s ON s.id = k.service_id ORDER BY k.created_at, k.id";
	static const char cancelled_sql[] =
		"SELECT id, sessions_total - sessions_used, cancelled_at FROM contracts"
		" WHERE status = 'cancelled' ORDER BY cancelled_at, id";
	struct hm_invoice_contract list[COUNT_OF(demo_contracts)];
	int64_t ids[COUNT_OF(demo_contracts)], at[COUNT_OF(demo_contracts)];
	int unused[COUNT_OF(demo_contracts)];
	/* Josu gives a tax id and a billing address: his invoices are full ones. */
	static const char billing_sql[] =
		"UPDATE clients SET tax_id = '12345678Z',"
		" billing_address = 'Kale Nagusia 7, 20400 Tolosa' WHERE id = ?1";
	size_t n = 0, m = 0;
	enum hm_err err = HM_OK;
	sqlite3_stmt *stmt = hm_db_stmt(d->db, billing_sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, d->client[C_JOSU]);
	if ((err = run(d->db, stmt, "demo billing")) != HM_OK)
		return err;
	/* Read first, then write: one statement at a time. */
	if (!(stmt = hm_db_stmt(d->db, made_sql)))
		return HM_ERR_INTERNAL;
	while (n < COUNT_OF(list) && sqlite3_step(stmt) == SQLITE_ROW)
		list[n++] = (struct hm_invoice_contract){
			.contract_id = sqlite3_column_int64(stmt, 0),
			.client_id = sqlite3_column_int64(stmt, 1),
			.service_id = sqlite3_column_int64(stmt, 2),
			.gift_id = sqlite3_column_int64(stmt, 3),
			.sessions = sqlite3_column_int(stmt, 4),
			.unit_cents = sqlite3_column_int64(stmt, 5),
			.discount_cents = sqlite3_column_int64(stmt, 6),
			.price_cents = sqlite3_column_int64(stmt, 7),
			.now = sqlite3_column_int64(stmt, 8),
		};
	hm_db_done(stmt);
	for (size_t i = 0; i < n && err == HM_OK; i++)
		err = hm_db_invoices_issue_contract(d->db, &list[i], NULL);
	if (err != HM_OK || !(stmt = hm_db_stmt(d->db, cancelled_sql)))
		return err != HM_OK ? err : HM_ERR_INTERNAL;
	while (m < COUNT_OF(ids) && sqlite3_step(stmt) == SQLITE_ROW) {
		ids[m] = sqlite3_column_int64(stmt, 0);
		unused[m] = sqlite3_column_int(stmt, 1);
		at[m++] = sqlite3_column_int64(stmt, 2);
	}
	hm_db_done(stmt);
	for (size_t i = 0; i < m && err == HM_OK; i++)
		err = hm_db_invoices_rectify_contract(d->db, ids[i], unused[i], at[i]);
	return err;
}

/* Getting paid (issue 15): Irati's and Josu's families signed SEPA mandates
 * (Irati's invoices were collected by direct debit; Josu's newest waits for the
 * next run); Unai, Peio and Sarah paid each invoice at the desk a few days after
 * it was issued; Ane, Maite and Garazi have paid nothing, and Maite's one invoice
 * is a month old: overdue. Written straight (no receipts: this is the past). */
struct demo_mandate {
	int client;
	const char *iban, *holder;
};
static const struct demo_mandate demo_mandates[] = {
	{C_IRATI, "ES3820950611019104567890", "Edurne Goikoetxea"},
	{C_JOSU, "ES4730350012761234567890", "Josu Mendizabal"},
};
static const int demo_payers[] = {C_IRATI, C_UNAI, C_PEIO, C_SARAH, C_JOSU};

static enum hm_err seed_payments(struct demo *d)
{
	static const char mandate_sql[] =
		"INSERT INTO mandates (client_id, reference, iban, holder_name, signed_on,"
		" created_at) SELECT ?1, 'HRM-' || ?1 || '-' || (SELECT coalesce(max(id), 0) + 1"
		" FROM mandates), ?2, ?3, min(issued_on), min(issued_at) FROM invoices"
		" WHERE client_id = ?1";
	/* Every invoice with something due of the client but Josu's newest. */
	static const char due_sql[] =
		"SELECT id, total_cents - paid_cents, issued_at FROM invoices WHERE client_id = ?1"
		" AND total_cents > paid_cents AND NOT (?2 AND issued_at = (SELECT max(issued_at)"
		" FROM invoices WHERE client_id = ?1)) ORDER BY issued_at, id LIMIT 64";
	static const char *const methods[] = {"cash", "card", "transfer"};
	enum hm_err err = HM_OK;
	for (size_t i = 0; i < COUNT_OF(demo_mandates) && err == HM_OK; i++) {
		sqlite3_stmt *stmt = hm_db_stmt(d->db, mandate_sql);
		if (!stmt)
			return HM_ERR_INTERNAL;
		sqlite3_bind_int64(stmt, 1, d->client[demo_mandates[i].client]);
		sqlite3_bind_text(stmt, 2, demo_mandates[i].iban, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 3, demo_mandates[i].holder, -1, SQLITE_STATIC);
		err = run(d->db, stmt, "demo mandate");
	}
	for (size_t i = 0; i < COUNT_OF(demo_payers) && err == HM_OK; i++) {
		int c = demo_payers[i];
		int64_t ids[64], due[64], at[64];
		size_t n = 0;
		sqlite3_stmt *stmt = hm_db_stmt(d->db, due_sql);
		if (!stmt)
			return HM_ERR_INTERNAL;
		sqlite3_bind_int64(stmt, 1, d->client[c]);
		sqlite3_bind_int(stmt, 2, c == C_JOSU);
		while (n < 64 && sqlite3_step(stmt) == SQLITE_ROW) {
			ids[n] = sqlite3_column_int64(stmt, 0);
			due[n] = sqlite3_column_int64(stmt, 1);
			at[n++] = sqlite3_column_int64(stmt, 2);
		}
		hm_db_done(stmt);
		for (size_t k = 0; k < n && err == HM_OK; k++) {
			int64_t paid_at = at[k] + (int64_t)3 * 86400 + 3600;
			struct hm_payment_input in = {
				.client_id = d->client[c],
				.amount_cents = due[k],
				.paid_at = paid_at < d->now ? paid_at : d->now,
				.method = c == C_IRATI ? "direct_debit" : methods[(i + k) % 3],
			};
			struct hm_actor who = {.user_id = d->user[U_MIKEL], .now = in.paid_at};
			int64_t payment = 0;
			err = hm_db_payments_insert(d->db, &in, &who, &payment);
			if (err == HM_OK)
				err = hm_db_payments_allocate(d->db, payment, ids[k], due[k]);
		}
	}
	return err;
}

static enum hm_err seed_interactions(struct demo *d)
{
	static const char sql[] =
		"INSERT INTO interactions (client_id, channel, direction, summary, user_id,"
		" created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
	enum hm_err err = HM_OK;
	for (size_t i = 0; i < COUNT_OF(demo_interactions) && err == HM_OK; i++) {
		const struct demo_interaction *n = &demo_interactions[i];
		sqlite3_stmt *stmt = hm_db_stmt(d->db, sql);
		if (!stmt)
			return HM_ERR_INTERNAL;
		sqlite3_bind_int64(stmt, 1, d->client[n->client]);
		sqlite3_bind_text(stmt, 2, n->channel, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 3, n->direction, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 4, n->summary, -1, SQLITE_STATIC);
		sqlite3_bind_int64(stmt, 5, d->user[n->user]);
		sqlite3_bind_int64(stmt, 6, demo_at(d, n->at));
		err = run(d->db, stmt, "demo interaction");
	}
	return err;
}

static enum hm_err seed_inquiries(struct demo *d)
{
	static const char sql[] =
		"INSERT INTO inquiries (channel, full_name, email, phone, subject, message,"
		" received_at, due_at, status, reply, answered_at, answered_by)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
		" ?7 + (SELECT max(response_hours) FROM channels WHERE kind = ?1) * 3600,"
		" ?8, ?9, ?10, ?11)";
	enum hm_err err = HM_OK;
	for (size_t i = 0; i < COUNT_OF(demo_inquiries) && err == HM_OK; i++) {
		const struct demo_inquiry *q = &demo_inquiries[i];
		int64_t received = d->now - 3600 * (int64_t)q->hours_ago;
		sqlite3_stmt *stmt = hm_db_stmt(d->db, sql);
		if (!stmt)
			return HM_ERR_INTERNAL;
		sqlite3_bind_text(stmt, 1, q->channel, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 2, q->full_name, -1, SQLITE_STATIC);
		hm_db_bind_text_or_null(stmt, 3, q->email);
		hm_db_bind_text_or_null(stmt, 4, q->phone);
		sqlite3_bind_text(stmt, 5, q->subject, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 6, q->message, -1, SQLITE_STATIC);
		sqlite3_bind_int64(stmt, 7, received);
		sqlite3_bind_text(stmt, 8, q->answered_after ? "answered" : "open", -1,
				  SQLITE_STATIC);
		if (q->answered_after) {
			sqlite3_bind_text(stmt, 9, q->reply, -1, SQLITE_STATIC);
			sqlite3_bind_int64(stmt, 10, received + 3600 * (int64_t)q->answered_after);
			sqlite3_bind_int64(stmt, 11, d->user[q->answered_by]);
		}
		err = run(d->db, stmt, "demo inquiry");
	}
	return err;
}

static enum hm_err seed_events(struct demo *d)
{
	static const char event_sql[] =
		"INSERT INTO events (title, kind, subject, starts_at, ends_at, capacity,"
		" description, created_at, created_by, updated_at)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?8)";
	static const char registration_sql[] =
		"INSERT INTO event_registrations (event_id, client_id, created_at)"
		" VALUES (?1, ?2, ?3)";
	static const char waiting_sql[] =
		"INSERT INTO event_waitlist (event_id, client_id, created_at) VALUES (?1, ?2, ?3)";
	enum hm_err err = HM_OK;
	for (size_t i = 0; i < COUNT_OF(demo_events) && err == HM_OK; i++) {
		const struct demo_event *e = &demo_events[i];
		int64_t starts = hm_local_instant(coming_workday(d, e->workday), e->minute);
		/* Announced two weeks ago; registrations came in over the days since. */
		int64_t created = d->now - 14 * (int64_t)86400;
		sqlite3_stmt *stmt = hm_db_stmt(d->db, event_sql);
		if (!stmt)
			return HM_ERR_INTERNAL;
		sqlite3_bind_text(stmt, 1, e->title, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 2, e->kind, -1, SQLITE_STATIC);
		hm_db_bind_text_or_null(stmt, 3, e->subject);
		sqlite3_bind_int64(stmt, 4, starts);
		sqlite3_bind_int64(stmt, 5, starts + 60 * (int64_t)e->duration_min);
		sqlite3_bind_int(stmt, 6, e->capacity);
		sqlite3_bind_text(stmt, 7, e->description, -1, SQLITE_STATIC);
		sqlite3_bind_int64(stmt, 8, created);
		sqlite3_bind_int64(stmt, 9, d->user[e->created_by]);
		if ((err = run(d->db, stmt, "demo event")) != HM_OK)
			break;
		int64_t id = sqlite3_last_insert_rowid(hm_db_handle(d->db));
		for (size_t k = 0;
		     k < COUNT_OF(e->registered) && e->registered[k] >= 0 && err == HM_OK; k++) {
			if (!(stmt = hm_db_stmt(d->db, registration_sql)))
				return HM_ERR_INTERNAL;
			sqlite3_bind_int64(stmt, 1, id);
			sqlite3_bind_int64(stmt, 2, d->client[e->registered[k]]);
			sqlite3_bind_int64(stmt, 3, created + 86400 * (int64_t)(k + 1));
			err = run(d->db, stmt, "demo registration");
		}
		/* A full event's line, after its last registration. */
		for (size_t k = 0; k < COUNT_OF(e->waiting) && e->waiting[k] >= 0 && err == HM_OK;
		     k++) {
			if (!(stmt = hm_db_stmt(d->db, waiting_sql)))
				return HM_ERR_INTERNAL;
			sqlite3_bind_int64(stmt, 1, id);
			sqlite3_bind_int64(stmt, 2, d->client[e->waiting[k]]);
			sqlite3_bind_int64(stmt, 3, created + 86400 * (int64_t)(k + 5));
			err = run(d->db, stmt, "demo waiting list");
		}
	}
	return err;
}

static enum hm_err seed_contributions(struct demo *d)
{
	/* The credit defaults to the client's name, as for POST /contributions. */
	static const char sql[] =
		"INSERT INTO contributions (client_id, kind, title, body, credit_name, status,"
		" review_comment, reviewed_by, reviewed_at, submitted_at) VALUES (?1, ?2, ?3, ?4,"
		" coalesce(?5, (SELECT full_name FROM clients WHERE id = ?1)), ?6, ?7, ?8, ?9, ?10)";
	enum hm_err err = HM_OK;
	for (size_t i = 0; i < COUNT_OF(demo_contributions) && err == HM_OK; i++) {
		const struct demo_contribution *c = &demo_contributions[i];
		int64_t submitted = d->now - 86400 * (int64_t)c->days_ago;
		bool reviewed = strcmp(c->status, "submitted") != 0;
		sqlite3_stmt *stmt = hm_db_stmt(d->db, sql);
		if (!stmt)
			return HM_ERR_INTERNAL;
		sqlite3_bind_int64(stmt, 1, d->client[c->client]);
		sqlite3_bind_text(stmt, 2, c->kind, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 3, c->title, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 4, c->body, -1, SQLITE_STATIC);
		hm_db_bind_text_or_null(stmt, 5, c->credit_name);
		sqlite3_bind_text(stmt, 6, c->status, -1, SQLITE_STATIC);
		if (reviewed) {
			/* Reviewed the next day. */
			hm_db_bind_text_or_null(stmt, 7, c->comment);
			sqlite3_bind_int64(stmt, 8, d->user[c->reviewed_by]);
			sqlite3_bind_int64(stmt, 9, submitted + 86400);
		}
		sqlite3_bind_int64(stmt, 10, submitted);
		err = run(d->db, stmt, "demo contribution");
	}
	return err;
}

static enum hm_err seed_gift_stock(struct demo *d)
{
	static const char sql[] = "UPDATE gifts SET stock = ?2 WHERE key = ?1";
	enum hm_err err = HM_OK;
	for (size_t i = 0; i < COUNT_OF(demo_gifts) && err == HM_OK; i++) {
		sqlite3_stmt *stmt = hm_db_stmt(d->db, sql);
		if (!stmt)
			return HM_ERR_INTERNAL;
		sqlite3_bind_text(stmt, 1, demo_gifts[i].key, -1, SQLITE_STATIC);
		sqlite3_bind_int(stmt, 2, demo_gifts[i].stock);
		err = run(d->db, stmt, "demo gift stock");
	}
	return err;
}

/* Automatic answers: the same twenty topics in each language, in this order
 * (tests/answer_questions.h asks about them by their place in the list). */
struct demo_answer {
	const char *locale, *question, *answer;
};

static const struct demo_answer demo_answers[] = {
	{"eu", "Zenbat balio du eskola partikular batek?",
	 "Ordubeteko eskola partikularrak 30 € balio du matematikan eta fisikan, 28 € "
	 "ingelesean eta 26 € euskaran."},
	{"eu", "Nolakoak dira taldeko eskolak?",
	 "Taldeetan gehienez sei ikasle daude. Taldeko matematika saioak 90 minutu irauten ditu "
	 "eta 18 € balio du ikasle bakoitzeko."},
	{"eu", "Zer tailer eta ekitaldi antolatzen dituzue?",
	 "Hilero tailerrak, hitzaldiak eta foroak egiten ditugu, esaterako ingeles mintzamen "
	 "tailerra (12 plaza, 20 €). Ekitaldien zerrenda webgunean dago, eta zure kontutik eman "
	 "dezakezu izena."},
	{"eu", "Noiz dago irekita telefonoa?",
	 "Telefonoz astelehenetik ostiralera hitz egin dezakezu gurekin, 08:30etik 14:30era eta "
	 "16:00etatik 20:00etara."},
	{"eu", "Zenbat denbora behar duzue mezu elektroniko bati erantzuteko?",
	 "Posta elektronikoz jasotako mezu guztiei bi eguneko epean (48 ordu) erantzuten diegu."},
	{"eu", "Nola ezeztatu dezaket eskola bat?",
	 "Eskola zure kontutik bertan behera utz dezakezu, hasi baino 24 ordu lehenago "
	 "gutxienez. Epe horretatik kanpo, deitu iezaguzu."},
	{"eu", "Zer deskontu eskaintzen dituzue ikasle leialentzat?",
	 "Hirugarren kontratuak % 5eko deskontua du, laugarrenak % 10ekoa eta bosgarrenetik "
	 "aurrera % 15ekoa."},
	{"eu", "Opariren bat ematen duzue?",
	 "Bai: kontratu bakoitzarekin oparitxo bat ematen dugu, stockean dagoen bitartean: "
	 "boligrafoa, egutegia edo autorako usain-gozagarria."},
	{"eu", "Zein mailatan ematen dituzue eskolak?",
	 "Lehen Hezkuntzatik unibertsitatera arte: DBH, Batxilergoa eta helduak. Hizkuntzetan "
	 "A2tik C1era."},
	{"eu", "Unibertsitatera sartzeko azterketa prestatzen duzue?",
	 "Bai, selektibitatea (USaP) prestatzeko ikastaroak ditugu matematikan, fisikan eta "
	 "ingelesean, azterketa-ereduekin."},
	{"eu", "Hizkuntza-tituluak lortzeko prestakuntza ematen duzue?",
	 "Ingeleseko B2 eta C1 (Cambridge) eta euskarako B2 eta C1 (EGA, HABE) azterketak "
	 "prestatzen ditugu."},
	{"eu", "Online eskolak ematen dituzue?",
	 "Bai, eskola guztiak online ere eman daitezke bideodei bidez; prezioa berdina da."},
	{"eu", "Nola ordain dezaket?",
	 "Txartelez, banku-transferentziaz edo Bizum bidez ordain dezakezu. Harpidetzak "
	 "hilaren hasieran kobratzen dira."},
	{"eu", "Saio-sortak edo harpidetzak badituzue?",
	 "Saio bakarra edo harpidetza bat kontrata dezakezu (adibidez, 10 saio). Harpidetzako "
	 "saioak nahi duzunean erreserbatzen dira."},
	{"eu", "Doako proba-eskolarik ba al dago?",
	 "Lehen eskola proba bat da: gustatzen ez bazaizu, ez duzu ordaindu behar."},
	{"eu", "Irakaslez alda naiteke?",
	 "Bai, idatzi edo deitu iezaguzu eta beste irakasle bat esleituko dizugu ahalik eta "
	 "lasterren."},
	{"eu", "Nola erreserbatu eskola bat webgunean?",
	 "Hasi saioa, aukeratu zerbitzua eta irakaslea, eta hautatu ordu libre bat egutegian."},
	{"eu", "Zenbat irauten du eskola batek?",
	 "Eskola partikularrek ordubete irauten dute; taldekoek 90 minutu eta tailerrek bi "
	 "ordu."},
	{"eu", "Non dago akademia?",
	 "Bilboko Zazpikaleetan gaude, Santiago katedraletik gertu. Metroz, Zazpikaleak "
	 "geltokian."},
	{"eu", "Eskolak nire egutegian ikus ditzaket?",
	 "Bai: zure orrian egutegi-esteka pribatu bat duzu mugikorreko edo ordenagailuko "
	 "egutegira gehitzeko, eta eskola bakoitza baino lehen gogorarazle bat bidaltzen "
	 "dizugu."},

	{"es", "¿Cuánto cuesta una clase particular?",
	 "La clase particular de una hora cuesta 30 € en matemáticas y física, 28 € en inglés "
	 "y 26 € en euskera."},
	{"es", "¿Cómo son las clases en grupo?",
	 "Los grupos tienen seis alumnos como máximo. La sesión de matemáticas en grupo dura "
	 "90 minutos y cuesta 18 € por alumno."},
	{"es", "¿Qué talleres y actividades organizáis?",
	 "Cada mes hay talleres, charlas y foros, por ejemplo el taller de conversación en "
	 "inglés (12 plazas, 20 €). La lista está en la web y te apuntas desde tu cuenta."},
	{"es", "¿Cuál es el horario de atención telefónica?",
	 "Puedes llamarnos de lunes a viernes, de 08:30 a 14:30 y de 16:00 a 20:00."},
	{"es", "¿Cuánto tardáis en contestar un correo electrónico?",
	 "Respondemos a todos los correos en un plazo de dos días (48 horas)."},
	{"es", "¿Cómo cancelo una clase?",
	 "Puedes anular la clase desde tu cuenta hasta 24 horas antes de que empiece. Si "
	 "falta menos, llámanos."},
	{"es", "¿Qué descuentos tenéis para alumnos fieles?",
	 "El tercer contrato tiene un 5 % de descuento, el cuarto un 10 % y del quinto en "
	 "adelante un 15 %."},
	{"es", "¿Dais algún regalo?",
	 "Sí: con cada contrato te llevas un pequeño regalo mientras haya existencias: un "
	 "bolígrafo, un calendario o un ambientador para el coche."},
	{"es", "¿En qué niveles dais clase?",
	 "Desde primaria hasta la universidad: ESO, bachillerato y adultos. En idiomas, de A2 a "
	 "C1."},
	{"es", "¿Preparáis la selectividad?",
	 "Sí, tenemos cursos para la prueba de acceso a la universidad (PAU/EBAU) en "
	 "matemáticas, física e inglés, con exámenes de años anteriores."},
	{"es", "¿Preparáis títulos oficiales de idiomas?",
	 "Preparamos los exámenes B2 y C1 de inglés (Cambridge) y de euskera (EGA, HABE)."},
	{"es", "¿Hay clases online?",
	 "Sí, todas las clases pueden darse también en línea por videollamada, al mismo "
	 "precio."},
	{"es", "¿Qué formas de pago aceptáis?",
	 "Tarjeta, transferencia bancaria o Bizum. Las suscripciones se cobran a principios de "
	 "mes."},
	{"es", "¿Tenéis bonos o suscripciones?",
	 "Puedes contratar una sesión suelta o una suscripción (por ejemplo, 10 sesiones) y "
	 "reservar cada sesión cuando quieras."},
	{"es", "¿Hay una clase de prueba gratuita?",
	 "La primera clase es de prueba: si no te convence, no la pagas."},
	{"es", "¿Puedo cambiar de profesor?",
	 "Sí, escríbenos o llámanos y te asignamos otro profesor lo antes posible."},
	{"es", "¿Cómo reservo una clase en la web?",
	 "Inicia sesión, elige el servicio y el profesor, y escoge un hueco libre del "
	 "calendario."},
	{"es", "¿Cuánto dura una clase?",
	 "Las clases particulares duran una hora; las de grupo, 90 minutos, y los talleres, "
	 "dos horas."},
	{"es", "¿Dónde está la academia?",
	 "Estamos en el Casco Viejo de Bilbao, cerca de la catedral de Santiago. En metro, "
	 "parada Casco Viejo."},
	{"es", "¿Puedo ver mis clases en mi calendario?",
	 "Sí: en tu página tienes un enlace privado para añadirlas al calendario del móvil o "
	 "del ordenador, y te enviamos un recordatorio antes de cada clase."},

	{"en", "How much is a private lesson?",
	 "A one-hour private lesson costs €30 for maths and physics, €28 for English and €26 "
	 "for Basque."},
	{"en", "What are the group classes like?",
	 "Groups have six students at most. A group maths session lasts 90 minutes and costs "
	 "€18 per student."},
	{"en", "Which workshops and events do you run?",
	 "Every month there are workshops, talks and forums, such as the English conversation "
	 "workshop (12 places, €20). They are listed on the website; sign up from your "
	 "account."},
	{"en", "When is the phone line open?",
	 "You can reach us by telephone Monday to Friday, 08:30-14:30 and 16:00-20:00."},
	{"en", "How long do you take to reply to an e-mail?",
	 "Every e-mail gets an answer within two days (48 hours)."},
	{"en", "How do I cancel a lesson?",
	 "Cancel it from your account up to 24 hours before it starts. Later than that, "
	 "please phone us."},
	{"en", "Do loyal students get a discount?",
	 "Your third contract gets 5 % off, the fourth 10 % and the fifth and later ones "
	 "15 %."},
	{"en", "Do you give presents?",
	 "Yes: every contract comes with a small gift while stocks last: a pen, a calendar or "
	 "a car air freshener."},
	{"en", "Which levels do you teach?",
	 "From primary school to university: secondary, sixth form (Batxilergoa) and adults. "
	 "Languages from A2 to C1."},
	{"en", "Do you prepare students for the university entrance exam?",
	 "Yes, we run courses for the university entrance exam (PAU/EBAU) in maths, physics "
	 "and English, with past papers."},
	{"en", "Do you prepare official language certificates?",
	 "We prepare the B2 and C1 exams in English (Cambridge) and Basque (EGA, HABE)."},
	{"en", "Can I take lessons online?",
	 "Yes, every lesson can also be taught over a video call, at the same price."},
	{"en", "How can I pay?",
	 "By card, bank transfer or Bizum. Subscriptions are charged at the start of each "
	 "month."},
	{"en", "Do you sell packs of sessions?",
	 "You can buy a single session or a subscription (10 sessions, say) and book each "
	 "session whenever you like."},
	{"en", "Is there a free trial lesson?",
	 "Your first lesson is a trial: if it does not suit you, you do not pay for it."},
	{"en", "Can I switch to another tutor?",
	 "Yes, write or call us and we will assign you another tutor as soon as we can."},
	{"en", "How do I book a lesson on the website?",
	 "Log in, choose the service and the tutor, and pick a free slot in the calendar."},
	{"en", "How long does a lesson last?",
	 "Private lessons last an hour; group sessions 90 minutes and workshops two hours."},
	{"en", "Where is the academy?",
	 "We are in Bilbao's Old Town, near Santiago Cathedral. By metro, Casco Viejo "
	 "station."},
	{"en", "Can I see my lessons in my calendar app?",
	 "Yes: your page has a private link to add them to your phone's or computer's "
	 "calendar, and we send a reminder before each lesson."},
};

static enum hm_err seed_answers(struct demo *d)
{
	const struct hm_actor by = {d->user[U_NEREA], NULL, d->now};
	enum hm_err err = HM_OK;
	for (size_t i = 0; i < COUNT_OF(demo_answers) && err == HM_OK; i++) {
		const struct demo_answer *a = &demo_answers[i];
		const struct hm_answer_input in = {a->locale, a->question, a->answer, NULL};
		int64_t id = 0;
		err = hm_db_answers_insert(d->db, &in, &by, &id);
	}
	return err == HM_OK ? hm_db_answers_optimize(d->db) : err;
}

/* Families and third parties (API.md v2): Ane's two children in her family; Irati's
 * family registered with Ane's code, its first contract having earned Ane a reward
 * she has not used yet; two partners (an ikastola and a company) with members. */
static enum hm_err seed_third_parties(struct demo *d)
{
	static const char child_sql[] =
		"INSERT INTO clients (full_name, level, locale, guardian_name, guardian_email,"
		" guardian_phone, family_id, created_at, updated_at)"
		" SELECT ?2, ?3, 'eu', full_name, email, phone, family_id, ?4, ?4 FROM clients"
		" WHERE id = ?1";
	static const char referred_sql[] =
		"UPDATE families SET referred_by = (SELECT family_id FROM clients WHERE id = ?1)"
		" WHERE id = (SELECT family_id FROM clients WHERE id = ?2)";
	static const char reward_sql[] =
		"INSERT INTO referral_rewards (family_id, referred_family_id, trigger_contract_id,"
		" percent, gift, created_at)"
		" SELECT (SELECT family_id FROM clients WHERE id = ?1), c.family_id, k.id,"
		" p.reward_percent, p.gift, k.created_at"
		" FROM contracts k JOIN clients c ON c.id = k.client_id, referral_policy p"
		" WHERE k.client_id = ?2 AND k.status <> 'cancelled' ORDER BY k.id LIMIT 1";
	static const char partner_sql[] =
		"INSERT INTO partners (name, kind, code, discount_percent, contact_email, created_at,"
		" updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)";
	static const char member_sql[] =
		"UPDATE families SET partner_id = ?2"
		" WHERE id = (SELECT family_id FROM clients WHERE id = ?1)";
	static const struct {
		const char *name, *level;
	} children[] = {{"Mikel Etxeberria", "LH 5"}, {"Nahia Etxeberria", "DBH 1"}};
	static const struct {
		const char *name, *kind, *code, *email;
		int percent, members[2];
	} partners[] = {
		{"Axular Ikastola",
		 "school",
		 "AXULAR",
		 "idazkaritza@axular.example",
		 10,
		 {C_UNAI, C_JOSU}},
		{"Lantegi Kooperatiba",
		 "company",
		 "LANTEGI",
		 "langileak@lantegi.example",
		 5,
		 {C_MAITE, C_GARAZI}},
	};
	enum hm_err err = HM_OK;
	sqlite3_stmt *stmt;
	for (size_t i = 0; i < COUNT_OF(children) && err == HM_OK; i++) {
		if (!(stmt = hm_db_stmt(d->db, child_sql)))
			return HM_ERR_INTERNAL;
		sqlite3_bind_int64(stmt, 1, d->client[C_ANE]);
		sqlite3_bind_text(stmt, 2, children[i].name, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 3, children[i].level, -1, SQLITE_STATIC);
		sqlite3_bind_int64(stmt, 4, d->now - (int64_t)86400 * 30);
		err = run(d->db, stmt, "demo child");
	}
	const char *const pair_sql[] = {referred_sql, reward_sql};
	for (size_t i = 0; i < COUNT_OF(pair_sql) && err == HM_OK; i++) {
		if (!(stmt = hm_db_stmt(d->db, pair_sql[i])))
			return HM_ERR_INTERNAL;
		sqlite3_bind_int64(stmt, 1, d->client[C_ANE]);
		sqlite3_bind_int64(stmt, 2, d->client[C_IRATI]);
		err = run(d->db, stmt, "demo referral");
	}
	for (size_t i = 0; i < COUNT_OF(partners) && err == HM_OK; i++) {
		if (!(stmt = hm_db_stmt(d->db, partner_sql)))
			return HM_ERR_INTERNAL;
		sqlite3_bind_text(stmt, 1, partners[i].name, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 2, partners[i].kind, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 3, partners[i].code, -1, SQLITE_STATIC);
		sqlite3_bind_int(stmt, 4, partners[i].percent);
		sqlite3_bind_text(stmt, 5, partners[i].email, -1, SQLITE_STATIC);
		sqlite3_bind_int64(stmt, 6, d->now - (int64_t)86400 * 60);
		if ((err = run(d->db, stmt, "demo partner")) != HM_OK)
			break;
		int64_t id = sqlite3_last_insert_rowid(hm_db_handle(d->db));
		for (size_t m = 0; m < 2 && err == HM_OK; m++) {
			if (!(stmt = hm_db_stmt(d->db, member_sql)))
				return HM_ERR_INTERNAL;
			sqlite3_bind_int64(stmt, 1, d->client[partners[i].members[m]]);
			sqlite3_bind_int64(stmt, 2, id);
			err = run(d->db, stmt, "demo partner member");
		}
	}
	return err;
}

enum hm_err hm_demo_seed(struct hm_db *db, bool *seeded)
{
	char hashes[PRINTED_COUNT][HM_PASSWORD_HASH_LEN];
	struct demo d = {.db = db, .now = hm_time_now()};
	int64_t count = 0;
	bool began = false;
	enum hm_err err;

	*seeded = false;
	if ((err = hm_accounts_count(db, &count)) != HM_OK || count > 0)
		goto out;
	/* Hash first: the write transaction stays short. */
	err = HM_ERR_INTERNAL;
	for (int i = 0; i < PRINTED_COUNT; i++)
		if (!hm_password_hash(hm_demo_logins[i].password, hashes[i]))
			goto out;
	hm_local_day(d.now, &d.today, &d.weekday);
	d.monday = d.today - (d.weekday - 1);
	if ((err = hm_db_begin(db)) != HM_OK)
		goto out;
	began = true;
	if ((err = load_tiers(&d)) != HM_OK || (err = seed_users(&d, hashes)) != HM_OK ||
	    (err = seed_tutors(&d)) != HM_OK || (err = seed_services(&d)) != HM_OK ||
	    (err = seed_clients(&d)) != HM_OK || (err = seed_business(&d)) != HM_OK ||
	    (err = seed_contracts(&d)) != HM_OK || (err = seed_third_parties(&d)) != HM_OK ||
	    (err = seed_invoices(&d)) != HM_OK || (err = seed_payments(&d)) != HM_OK ||
	    (err = seed_interactions(&d)) != HM_OK || (err = seed_inquiries(&d)) != HM_OK ||
	    (err = seed_gift_stock(&d)) != HM_OK || (err = seed_events(&d)) != HM_OK ||
	    (err = seed_contributions(&d)) != HM_OK || (err = seed_answers(&d)) != HM_OK ||
	    (err = hm_db_commit(db)) != HM_OK)
		goto out;
	*seeded = true;
out:
	if (err != HM_OK && began)
		hm_db_rollback(db);
	return err;
}
