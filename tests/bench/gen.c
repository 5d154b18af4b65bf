// SPDX-License-Identifier: MIT
// The benchmark's business: fills a migrated database with a tutoring business of
// realistic size in one transaction, then lists the free slots the booking run will
// book. Linked against the core library, so the free slots come from the server's
// own slot rules (hm_db_tutors_slot_query + hm_slots_generate), not from a copy of them.
//
// What it makes at scale 1 (SCALE, 1 to 10, multiplies tutors, subjects, clients and
// lessons; user 1, the office's staff login, must already exist: its password hash
// is copied to every generated user, so all share one password):
//   - 50 tutors (staff users 2..51), two subjects each of 10, so 10 tutors per subject;
//     every weekday 16:00-20:00 and two mornings 09:00-13:00 a week;
//   - 20 services: per subject a private 60-minute class and a group 90-minute one;
//   - 10,000 clients, most without a login; the first 50 (at any scale) are students
//     with users (student01@bench.harreman.eus ...) and 20 past lessons each;
//   - 100,000 past lessons on weekdays over the past ~15 months, attended (5 % no-show),
//     each on a subscription of 8 sessions of its client (about 20,000 contracts);
//   - in the coming three weeks, 40 % of every tutor's private slots already booked;
//   - 500 of each gift in stock;
//   - 200 automatic answers in each language (indexed as the server does), 200 open
//     inquiries and 200 answered ones (x scale).
// Then it writes, in OUTDIR:
//   slots.txt   one "tutor_id service_id starts_at student" line per free private slot of
//               every tutor (in its first subject's service), from the week after
//               the one GET /slots reads up to 395 days ahead (the API books at
//               most 400 days ahead), in time order, tutors interleaved;
//   gen.env     shell assignments: WEEK_FROM, WEEK_TO (next Monday..Sunday), SLOTS,
//               SLOTS_SERVICE (the service of GET /slots), n_clients, N_STUDENTS, ...
// Usage: gen DBPATH OUTDIR [SCALE]
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harreman/app.h"
#include "harreman/db_answers.h"
#include "harreman/db_services.h"
#include "harreman/db_tutors.h"
#include "harreman/db.h"
#include "harreman/hours.h"
#include "harreman/slots.h"
#include "harreman/timefmt.h"
#include "harreman/banned.h"

/* At scale 1 (BENCH_SCALE, 1 to 10): 50 tutors, 10 subjects, 10,000 clients, 100,000
 * past lessons; each grows with the scale, so that a subject always has 10 tutors
 * and a tutor 200 clients and 2,000 past lessons. */
#define TUTORS_PER_SCALE 50
#define SUBJECTS_PER_SCALE 10
#define BASE_SUBJECTS 10
#define N_STUDENTS 50 /* one per tutor of the first 50: see slots.txt */
#define LESSONS_PER_TUTOR 2000
#define CLIENTS_PER_TUTOR 200
#define ANSWERS_PER_LOCALE 200 /* the automatic answers /ask and /answers search */
#define OPEN_INQUIRIES 200     /* the open queue (any scale); 200 answered per scale */
#define LESSONS_PER_DAY 6
#define SESSIONS_PER_CONTRACT 8
#define FIRST_TUTOR_ID 2
#define PREBOOK_DAYS 21
#define SLOT_DAYS 395 /* within the API's 400 days ahead */
#define MAX_SLOTS_PER_TUTOR 4096

static int scale = 1, n_tutors, n_subjects, n_clients, n_lessons;

static const char *const subjects[BASE_SUBJECTS] = {"maths",   "physics",  "chemistry", "biology",
						    "english", "basque",   "spanish",   "french",
						    "history", "economics"};
static const char *const subject_names[BASE_SUBJECTS] = {
	"Matematika", "Fisika",     "Kimika",    "Biologia", "Ingelesa",
	"Euskara",    "Gaztelania", "Frantsesa", "Historia", "Ekonomia"};
static const char *const first_names[] = {
	"Ane",   "Mikel", "Irati", "Unai",  "Maite", "Jon",   "Amaia",  "Peio", "Garazi", "Josu",
	"Nerea", "Iker",  "Leire", "Asier", "Uxue",  "Aitor", "Maider", "Oier", "Lucía",  "Sarah"};
static const char *const surnames[] = {
	"Etxeberria", "Agirre",     "Zubiri",  "Larrea", "Goikoetxea", "Arrieta",   "Olano",
	"Fernández",  "Mendizabal", "Urrutia", "Lasa",   "Collins",    "Iturbe",    "Garmendia",
	"Elizondo",   "Aranburu",   "Otegi",   "Ugarte", "Beitia",     "Salaberria"};
static const char *const levels[] = {"DBH 1",         "DBH 2", "DBH 3", "DBH 4", "Batxilergoa 1",
				     "Batxilergoa 2", "B1",    "B2",    "C1",    "Unibertsitatea"};

struct lesson {
	int tutor;  /* 0-based */
	int client; /* 0-based */
	int64_t starts;
	int chrono; /* this client's lesson number, oldest first */
};

static sqlite3 *sq;

static void die(const char *what)
{
	fprintf(stderr, "gen: %s: %s\n", what, sq ? sqlite3_errmsg(sq) : "?");
	exit(1);
}

static sqlite3_stmt *prepare(const char *sql)
{
	sqlite3_stmt *stmt = NULL;
	if (sqlite3_prepare_v2(sq, sql, -1, &stmt, NULL) != SQLITE_OK)
		die(sql);
	return stmt;
}

static void run(sqlite3_stmt *stmt, const char *what)
{
	if (sqlite3_step(stmt) != SQLITE_DONE)
		die(what);
	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
}

static void exec(const char *sql)
{
	if (sqlite3_exec(sq, sql, NULL, NULL, NULL) != SQLITE_OK)
		die(sql);
}

static int subject_of(int tutor, int which)
{
	return which == 0 ? tutor % n_subjects : (tutor + 3) % n_subjects;
}

/* Subject s's key and name: "maths", "Matematika"; past the first ten, numbered
 * ("maths_2", "Matematika 2"). */
static void subject_key(int s, char out[32])
{
	if (s < BASE_SUBJECTS)
		snprintf(out, 32, "%s", subjects[s]);
	else
		snprintf(out, 32, "%s_%d", subjects[s % BASE_SUBJECTS], s / BASE_SUBJECTS + 1);
}

static void subject_name(int s, char out[48])
{
	if (s < BASE_SUBJECTS)
		snprintf(out, 48, "%s", subject_names[s]);
	else
		snprintf(out, 48, "%s %d", subject_names[s % BASE_SUBJECTS], s / BASE_SUBJECTS + 1);
}

static int64_t private_service(int subject)
{
	return 2 * subject + 1;
}

/* The loyalty tiers of 0001_init.sql: 3rd contract 5 %, 4th 10 %, 5th and later 15 %. */
static int tier_percent(int ordinal)
{
	return ordinal >= 5 ? 15 : ordinal == 4 ? 10 : ordinal == 3 ? 5 : 0;
}

/* Local day d's weekday (ISO). */
static int weekday_of(int64_t day)
{
	int64_t same;
	int wd;
	hm_local_day(hm_local_instant(day, 12 * 60), &same, &wd);
	return wd;
}

static void date_text(int64_t day, char out[11])
{
	int64_t y;
	unsigned m, d;
	hm_civil_from_days(day, &y, &m, &d);
	snprintf(out, 11, "%04lld-%02u-%02u", (long long)y, m, d);
}

static int compare_slot_rows(const void *a, const void *b)
{
	const int64_t *x = a, *y = b; /* {starts, tutor_id, service_id} */
	if (x[0] != y[0])
		return x[0] < y[0] ? -1 : 1;
	return x[1] < y[1] ? -1 : x[1] > y[1];
}

/* Question and answer patterns per language; each is written once per base subject
 * (%s: its name), so ANSWERS_PER_LOCALE answers of varied words. */
struct answer_pattern {
	const char *question, *answer;
};
static const struct answer_pattern answer_patterns[3][20] = {
	{{"Zenbat balio du %s eskola batek?", "%s eskola partikularrak 30 € balio du orduko."},
	 {"Ba al dago %s taldeko eskolarik?", "Bai, %s taldeetan gehienez sei ikasle daude."},
	 {"Nork ematen ditu %s eskolak?", "%s irakasle esperientziadunek ematen dituzte."},
	 {"%s azterketa prestatzen laguntzen duzue?",
	  "Bai, %s azterketetarako simulakroak egiten ditugu."},
	 {"Zein mailatan ematen duzue %s?", "%s DBHtik unibertsitatera arte irakasten dugu."},
	 {"Online egin daitezke %s eskolak?", "Bai, %s eskolak bideo-deiz ere egin daitezke."},
	 {"Zenbat irauten du %s saio batek?", "%s saioak 60 minutu irauten ditu, taldekoak 90."},
	 {"Nola ordaindu %s ikastaroa?",
	  "%s ikastaroa txartelez, transferentziaz edo helbideratuta."},
	 {"Materiala ematen duzue %s ikasteko?", "Bai, %s fitxak eta ariketak ematen ditugu."},
	 {"%s maila probarik egiten duzue?", "Lehen eskolan %s maila neurtzen dugu, doan."},
	 {"Udan ere badago %s eskolarik?", "Uztailean %s ikastaro trinkoak ditugu."},
	 {"%s deskonturik ba al dago?", "%s hirugarren kontratutik aurrera deskontua duzu."},
	 {"Ezeztatu daiteke %s eskola?", "%s eskola 24 ordu lehenago ezezta dezakezu."},
	 {"%s ordutegia aldatu daiteke?", "Bai, %s eskolaren ordua alda dezakezu."},
	 {"Gurasoek %s aurrerapena ikus dezakete?", "Bai, %s txostena hilero bidaltzen dugu."},
	 {"%s tailerrik antolatzen duzue?", "Hilero %s tailer bat egiten dugu."},
	 {"Zenbat ikasle %s taldean?", "%s taldean sei ikasle gehienez."},
	 {"%s etxeko lanak zuzentzen dituzue?", "Bai, %s etxeko lanak eskolan zuzentzen ditugu."},
	 {"%s irakasle bera izango dut beti?", "Bai, arreta pertsonalizatuan %s irakasle bera."},
	 {"Opariren bat ematen duzue %s kontratuarekin?", "%s kontratu bakoitzarekin opari bat."}},
	{{"¿Cuánto cuesta una clase de %s?", "La clase particular de %s cuesta 30 € la hora."},
	 {"¿Hay clases de %s en grupo?", "Sí, los grupos de %s tienen como mucho seis alumnos."},
	 {"¿Quién da las clases de %s?", "Las clases de %s las dan profesores con experiencia."},
	 {"¿Preparáis el examen de %s?", "Sí, hacemos simulacros de examen de %s."},
	 {"¿En qué niveles enseñáis %s?", "Enseñamos %s desde la ESO hasta la universidad."},
	 {"¿Se pueden hacer las clases de %s online?",
	  "Sí, las clases de %s también por videollamada."},
	 {"¿Cuánto dura una sesión de %s?", "Una sesión de %s dura 60 minutos, la de grupo 90."},
	 {"¿Cómo se paga el curso de %s?",
	  "El curso de %s con tarjeta, transferencia o domiciliación."},
	 {"¿Dais material para estudiar %s?", "Sí, damos fichas y ejercicios de %s."},
	 {"¿Hacéis prueba de nivel de %s?", "En la primera clase medimos el nivel de %s, gratis."},
	 {"¿Hay clases de %s en verano?", "En julio hay cursos intensivos de %s."},
	 {"¿Hay descuento en %s?", "En %s tienes descuento desde el tercer contrato."},
	 {"¿Se puede cancelar una clase de %s?", "Puedes cancelar la clase de %s con 24 horas."},
	 {"¿Se puede cambiar el horario de %s?", "Sí, puedes mover la hora de tu clase de %s."},
	 {"¿Los padres ven el progreso en %s?", "Sí, enviamos cada mes el informe de %s."},
	 {"¿Organizáis talleres de %s?", "Cada mes hacemos un taller de %s."},
	 {"¿Cuántos alumnos hay en el grupo de %s?", "En el grupo de %s, seis alumnos como mucho."},
	 {"¿Corregís los deberes de %s?", "Sí, corregimos los deberes de %s en clase."},
	 {"¿Tendré siempre el mismo profesor de %s?",
	  "Sí, en la atención dedicada, el mismo profesor de %s."},
	 {"¿Regaláis algo con el contrato de %s?", "Con cada contrato de %s, un regalo."}},
	{{"How much is a %s lesson?", "A private %s lesson costs 30 € an hour."},
	 {"Are there %s group classes?", "Yes, %s groups have six students at most."},
	 {"Who teaches the %s classes?", "Experienced tutors teach %s."},
	 {"Do you prepare for the %s exam?", "Yes, we run mock %s exams."},
	 {"Which levels of %s do you teach?", "We teach %s from secondary school to university."},
	 {"Can %s lessons be online?", "Yes, %s lessons also by video call."},
	 {"How long is a %s session?", "A %s session lasts 60 minutes, a group one 90."},
	 {"How do I pay for the %s course?", "The %s course by card, transfer or direct debit."},
	 {"Do you give material to study %s?", "Yes, we give %s worksheets and exercises."},
	 {"Do you test my %s level?", "The first lesson measures your %s level, free."},
	 {"Are there %s classes in summer?", "In July there are intensive %s courses."},
	 {"Is there a discount on %s?", "From your third contract %s has a discount."},
	 {"Can I cancel a %s lesson?", "You can cancel a %s lesson 24 hours ahead."},
	 {"Can I change my %s timetable?", "Yes, you can move your %s lesson."},
	 {"Can parents follow the %s progress?", "Yes, we send a monthly %s report."},
	 {"Do you run %s workshops?", "Every month there is a %s workshop."},
	 {"How many students in the %s group?", "Six students at most in the %s group."},
	 {"Do you correct %s homework?", "Yes, we correct %s homework in class."},
	 {"Will I always have the same %s tutor?",
	  "Yes, with dedicated assistance, the same %s tutor."},
	 {"Do you give a gift with a %s contract?", "With each %s contract, a gift."}}};
static const char *const answer_locales[3] = {"eu", "es", "en"};

/* pattern with its one "%s" replaced by subject (patterns are not format strings). */
static void fill_pattern(char *out, size_t size, const char *pattern, const char *subject)
{
	const char *at = strstr(pattern, "%s");
	if (!at) {
		snprintf(out, size, "%s", pattern);
		return;
	}
	snprintf(out, size, "%.*s%s%s", (int)(at - pattern), pattern, subject, at + 2);
}

/* ANSWERS_PER_LOCALE answers in each language, indexed as the server indexes them
 * (hm_db_answers_insert, inside the caller's transaction, then one merge). */
static void insert_answers(struct hm_db *db, int64_t now)
{
	const struct hm_actor by = {1, "bench-gen", now};
	for (int l = 0; l < 3; l++) {
		for (int i = 0; i < ANSWERS_PER_LOCALE; i++) {
			const struct answer_pattern *p = &answer_patterns[l][i % 20];
			const char *subject = subject_names[(i / 20) % BASE_SUBJECTS];
			char question[256], answer[512];
			fill_pattern(question, sizeof question, p->question, subject);
			fill_pattern(answer, sizeof answer, p->answer, subject);
			struct hm_answer_input in = {answer_locales[l], question, answer, NULL};
			int64_t id;
			if (hm_db_answers_insert(db, &in, &by, &id) != HM_OK)
				die("insert answer");
		}
	}
	if (hm_db_answers_optimize(db) != HM_OK)
		die("merge the answers' index");
}

/* OPEN_INQUIRIES open inquiries (due in the coming two days) and answered ones: the
 * open queue does not grow with the years, the answered history does. */
static void insert_inquiries(int answered, int64_t now)
{
	sqlite3_stmt *stmt = prepare(
		"INSERT INTO inquiries (channel, full_name, email, subject, message, received_at,"
		" due_at, status, reply, answered_at, answered_by, locale)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6 + 172800, ?7, ?8, ?9, ?10, ?11)");
	static const char *const channels[] = {"email", "web", "phone"};
	for (int i = 0; i < OPEN_INQUIRIES + answered; i++) {
		bool open = i < OPEN_INQUIRIES;
		char name[96], email[96], subject[96], message[256];
		snprintf(name, sizeof name, "%s %s", first_names[i % 20], surnames[(i / 20) % 20]);
		snprintf(email, sizeof email, "inquiry%05d@example.com", i + 1);
		snprintf(subject, sizeof subject, "%s: galdera", subject_names[i % BASE_SUBJECTS]);
		snprintf(message, sizeof message,
			 "Kaixo, %s eskolak nahi nituzke astean bitan. Zer ordutan?",
			 subject_names[i % BASE_SUBJECTS]);
		int64_t received = now -
				   (open ? (int64_t)(i % 40) * 3600 : (int64_t)(i % 300) * 86400);
		sqlite3_bind_text(stmt, 1, channels[i % 3], -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 2, name, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(stmt, 3, email, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(stmt, 4, subject, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(stmt, 5, message, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(stmt, 6, received);
		sqlite3_bind_text(stmt, 7, open ? "open" : "answered", -1, SQLITE_STATIC);
		if (!open) {
			sqlite3_bind_text(stmt, 8, "Bai, astelehen eta asteazkenetan.", -1,
					  SQLITE_STATIC);
			sqlite3_bind_int64(stmt, 9, received + 3600);
			sqlite3_bind_int64(stmt, 10, 1);
		}
		sqlite3_bind_text(stmt, 11, answer_locales[i % 3], -1, SQLITE_STATIC);
		run(stmt, "insert inquiry");
	}
	sqlite3_finalize(stmt);
}

int main(int argc, char **argv)
{
	if (argc != 3 && argc != 4) {
		fputs("usage: gen DBPATH OUTDIR [SCALE]\n", stderr);
		return 2;
	}
	const char *outdir = argv[2];
	char *end = NULL;
	long asked = argc == 4 ? strtol(argv[3], &end, 10) : 1;
	if (asked < 1 || asked > 10 || (end && *end)) {
		fputs("gen: SCALE is 1 to 10\n", stderr);
		return 2;
	}
	scale = (int)asked;
	n_tutors = TUTORS_PER_SCALE * scale;
	n_subjects = SUBJECTS_PER_SCALE * scale;
	n_clients = n_tutors * CLIENTS_PER_TUTOR;
	n_lessons = n_tutors * LESSONS_PER_TUTOR;
	/* Student logins after the tutors' user ids (100, 101, ... at scale 1). */
	const int64_t first_student_user = FIRST_TUTOR_ID + n_tutors + 48;
	if (!hm_config_apply_timezone("Europe/Madrid")) {
		fputs("gen: the Europe/Madrid time zone is missing (tzdata)\n", stderr);
		return 1;
	}
	struct hm_db *db = hm_db_open(argv[1]);
	if (!db)
		return 1;
	sq = hm_db_handle(db);
	int64_t now = hm_time_now(), today;
	int today_wd;
	hm_local_day(now, &today, &today_wd);

	/* The shared password hash, from the office user made by `harreman user add`. */
	char hash[256] = "";
	sqlite3_stmt *h = prepare("SELECT password_hash FROM users WHERE id = 1");
	if (sqlite3_step(h) != SQLITE_ROW)
		die("user 1 (made with harreman user add) is missing");
	snprintf(hash, sizeof hash, "%s", (const char *)sqlite3_column_text(h, 0));
	sqlite3_finalize(h);

	exec("BEGIN");
	sqlite3_stmt *user = prepare(
		"INSERT INTO users (id, email, password_hash, full_name, role, created_at, updated_at)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)");
	sqlite3_stmt *tutor = prepare(
		"INSERT INTO tutors (user_id, bio, updated_at) VALUES (?1, ?2, ?3)");
	sqlite3_stmt *teaches = prepare(
		"INSERT INTO tutor_subjects (tutor_id, subject) VALUES (?1, ?2)");
	sqlite3_stmt *avail = prepare(
		"INSERT INTO availability (tutor_id, weekday, starts, ends) VALUES (?1, ?2, ?3, ?4)");
	int64_t since = now - (int64_t)500 * 86400;
	for (int t = 0; t < n_tutors; t++) {
		char email[64], name[96], bio[160];
		int64_t id = FIRST_TUTOR_ID + t;
		snprintf(email, sizeof email, "tutor%02d@bench.harreman.eus", t + 1);
		snprintf(name, sizeof name, "%s %s", first_names[t % 20], surnames[(t * 7) % 20]);
		char first[48], second[48];
		subject_name(subject_of(t, 0), first);
		subject_name(subject_of(t, 1), second);
		snprintf(bio, sizeof bio, "%s eta %s irakaslea.", first, second);
		sqlite3_bind_int64(user, 1, id);
		sqlite3_bind_text(user, 2, email, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(user, 3, hash, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(user, 4, name, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(user, 5, "staff", -1, SQLITE_STATIC);
		sqlite3_bind_int64(user, 6, since);
		run(user, "insert tutor user");
		sqlite3_bind_int64(tutor, 1, id);
		sqlite3_bind_text(tutor, 2, bio, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(tutor, 3, since);
		run(tutor, "insert tutor");
		for (int s = 0; s < 2; s++) {
			sqlite3_bind_int64(teaches, 1, id);
			char key[32];
			subject_key(subject_of(t, s), key);
			sqlite3_bind_text(teaches, 2, key, -1, SQLITE_TRANSIENT);
			run(teaches, "insert tutor subject");
		}
		for (int wd = 1; wd <= 5; wd++) {
			bool morning = wd == 1 + t % 5 || wd == 1 + (t + 2) % 5;
			for (int w = morning ? 0 : 1; w < 2; w++) {
				sqlite3_bind_int64(avail, 1, id);
				sqlite3_bind_int(avail, 2, wd);
				sqlite3_bind_text(avail, 3, w == 0 ? "09:00" : "16:00", -1,
						  SQLITE_STATIC);
				sqlite3_bind_text(avail, 4, w == 0 ? "13:00" : "20:00", -1,
						  SQLITE_STATIC);
				run(avail, "insert availability");
			}
		}
	}

	sqlite3_stmt *service = prepare(
		"INSERT INTO services (id, name, subject, level, kind, duration_min, price_cents,"
		" capacity, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
	for (int s = 0; s < n_subjects; s++) {
		for (int k = 0; k < 2; k++) {
			char name[96], key[32], base[48];
			subject_key(s, key);
			subject_name(s, base);
			snprintf(name, sizeof name, "%s — %s", base,
				 k == 0 ? "eskola partikularra" : "taldeko eskola");
			sqlite3_bind_int64(service, 1, 2 * s + 1 + k);
			sqlite3_bind_text(service, 2, name, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(service, 3, key, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(service, 4, s < 4 ? "DBH" : "B1", -1, SQLITE_STATIC);
			sqlite3_bind_text(service, 5, k == 0 ? "private" : "group", -1,
					  SQLITE_STATIC);
			sqlite3_bind_int(service, 6, k == 0 ? 60 : 90);
			sqlite3_bind_int(service, 7, k == 0 ? 3000 : 1800);
			sqlite3_bind_int(service, 8, k == 0 ? 1 : 6);
			sqlite3_bind_int64(service, 9, since);
			run(service, "insert service");
		}
	}
	exec("UPDATE gifts SET stock = 500");

	/* Clients: client c (0-based, id c + 1) belongs to tutor c % 50. */
	sqlite3_stmt *client = prepare(
		"INSERT INTO clients (id, user_id, full_name, email, phone, assistance, tutor_id,"
		" level, pace, preferred_channel, locale, created_at, updated_at)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)");
	static const char *const assistance[] = {"self_service", "personal", "dedicated"};
	static const char *const paces[] = {"slow", "steady", "fast"};
	static const char *const prefs[] = {"phone", "email", "web", "in_person"};
	static const char *const locales[] = {"eu", "es", "en"};
	for (int c = 0; c < n_clients; c++) {
		char name[96], email[96], phone[32];
		int64_t user_id = 0;
		snprintf(name, sizeof name, "%s %s %s", first_names[c % 20],
			 surnames[(c / 20) % 20], surnames[(c / 400) % 20]);
		snprintf(email, sizeof email, "client%05d@example.com", c + 1);
		snprintf(phone, sizeof phone, "+34 6%02d %03d %03d", c % 100, (c / 100) % 1000,
			 (c * 7) % 1000);
		if (c < N_STUDENTS) {
			user_id = first_student_user + c;
			snprintf(email, sizeof email, "student%02d@bench.harreman.eus", c + 1);
			sqlite3_bind_int64(user, 1, user_id);
			sqlite3_bind_text(user, 2, email, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(user, 3, hash, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(user, 4, name, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(user, 5, "student", -1, SQLITE_STATIC);
			sqlite3_bind_int64(user, 6, since);
			run(user, "insert student user");
		}
		sqlite3_bind_int64(client, 1, c + 1);
		if (user_id)
			sqlite3_bind_int64(client, 2, user_id);
		sqlite3_bind_text(client, 3, name, -1, SQLITE_TRANSIENT);
		if (user_id || c % 5 != 0)
			sqlite3_bind_text(client, 4, email, -1, SQLITE_TRANSIENT);
		if (c % 4 != 0)
			sqlite3_bind_text(client, 5, phone, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(client, 6, assistance[c % 3], -1, SQLITE_STATIC);
		sqlite3_bind_int64(client, 7, FIRST_TUTOR_ID + c % n_tutors);
		sqlite3_bind_text(client, 8, levels[c % 10], -1, SQLITE_STATIC);
		sqlite3_bind_text(client, 9, paces[c % 3], -1, SQLITE_STATIC);
		sqlite3_bind_text(client, 10, prefs[c % 4], -1, SQLITE_STATIC);
		sqlite3_bind_text(client, 11, locales[c % 3], -1, SQLITE_STATIC);
		sqlite3_bind_int64(client, 12, since + (int64_t)c * 60);
		run(client, "insert client");
	}

	/* Past lessons. Tutor t's lesson j (j = 0 the most recent) is on the (j / 6)-th
	 * weekday before today, at one of six hours; its client is the tutor's client
	 * j % 200, except that a student (a tutor's client 0, for tutors 0..15) also takes
	 * client 1's lessons: 20 lessons instead of 10. */
	static const int hours[LESSONS_PER_DAY] = {9 * 60,  10 * 60, 11 * 60,
						   16 * 60, 17 * 60, 18 * 60};
	struct lesson *lessons = calloc(n_lessons, sizeof *lessons);
	int *count = calloc(n_clients, sizeof *count);
	int *rank = calloc(n_clients, sizeof *rank);
	int64_t *contract_base = calloc(n_clients, sizeof *contract_base);
	if (!lessons || !count || !rank || !contract_base)
		die("out of memory");
	int64_t days_back[LESSONS_PER_TUTOR / LESSONS_PER_DAY + 1];
	for (int64_t day = today - 1, n = 0; n < (int64_t)(sizeof days_back / sizeof days_back[0]);
	     day--)
		if (weekday_of(day) <= 5)
			days_back[n++] = day;
	for (int t = 0; t < n_tutors; t++) {
		for (int j = 0; j < LESSONS_PER_TUTOR; j++) {
			struct lesson *l = &lessons[t * LESSONS_PER_TUTOR + j];
			int k = j % CLIENTS_PER_TUTOR;
			if (k == 1 && t < N_STUDENTS)
				k = 0;
			l->tutor = t;
			l->client = t + n_tutors * k;
			l->starts = hm_local_instant(days_back[j / LESSONS_PER_DAY],
						     hours[j % LESSONS_PER_DAY]);
			count[l->client]++;
		}
	}
	/* j grows into the past, so a client's k-th lesson in j order is its
	 * (count - 1 - k)-th oldest. */
	for (int i = 0; i < n_lessons; i++) {
		struct lesson *l = &lessons[i];
		l->chrono = count[l->client] - 1 - rank[l->client]++;
	}

	/* Contracts: a subscription of 8 sessions per 8 lessons of a client, oldest first. */
	sqlite3_stmt *contract = prepare(
		"INSERT INTO contracts (id, client_id, service_id, kind, sessions_total, sessions_used,"
		" ordinal, list_price_cents, discount_percent, discount_cents, price_cents, channel,"
		" created_at, created_by) VALUES (?1, ?2, ?3, 'subscription', ?4, ?5, ?6, ?7, ?8,"
		" ?9, ?10, ?11, ?12, 1)");
	int64_t next_contract = 1, n_contracts = 0;
	int64_t *block_start = calloc((size_t)n_clients * 4, sizeof *block_start);
	if (!block_start)
		die("out of memory");
	for (int i = 0; i < n_lessons; i++)
		if (lessons[i].chrono % SESSIONS_PER_CONTRACT == 0)
			block_start[lessons[i].client * 4 +
				    lessons[i].chrono / SESSIONS_PER_CONTRACT] = lessons[i].starts;
	for (int c = 0; c < n_clients; c++) {
		int blocks = (count[c] + SESSIONS_PER_CONTRACT - 1) / SESSIONS_PER_CONTRACT;
		int t = c % n_tutors;
		contract_base[c] = next_contract;
		for (int b = 0; b < blocks; b++) {
			int used = count[c] - b * SESSIONS_PER_CONTRACT;
			int ordinal = b + 1, pct = tier_percent(ordinal);
			int64_t list = (int64_t)3000 * SESSIONS_PER_CONTRACT;
			int64_t discount = (list * pct + 50) / 100;
			sqlite3_bind_int64(contract, 1, next_contract++);
			sqlite3_bind_int64(contract, 2, c + 1);
			sqlite3_bind_int64(contract, 3, private_service(subject_of(t, 0)));
			sqlite3_bind_int(contract, 4, SESSIONS_PER_CONTRACT);
			sqlite3_bind_int(contract, 5,
					 used < SESSIONS_PER_CONTRACT ? used
								      : SESSIONS_PER_CONTRACT);
			sqlite3_bind_int(contract, 6, ordinal);
			sqlite3_bind_int64(contract, 7, list);
			sqlite3_bind_int(contract, 8, pct);
			sqlite3_bind_int64(contract, 9, discount);
			sqlite3_bind_int64(contract, 10, list - discount);
			sqlite3_bind_text(contract, 11, prefs[(c + b) % 4], -1, SQLITE_STATIC);
			sqlite3_bind_int64(contract, 12,
					   block_start[c * 4 + b] - (int64_t)2 * 86400);
			run(contract, "insert contract");
			n_contracts++;
		}
	}

	/* Most recent first per tutor: the no-overlap trigger then finds nothing earlier
	 * than the new lesson to scan. */
	sqlite3_stmt *lesson = prepare(
		"INSERT INTO lessons (client_id, tutor_id, service_id, contract_id, starts_at, ends_at,"
		" attendance, channel, created_at, created_by, logged_at, logged_by)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 1, ?6, ?2)");
	for (int i = 0; i < n_lessons; i++) {
		const struct lesson *l = &lessons[i];
		int64_t tutor_id = FIRST_TUTOR_ID + l->tutor;
		sqlite3_bind_int64(lesson, 1, l->client + 1);
		sqlite3_bind_int64(lesson, 2, tutor_id);
		sqlite3_bind_int64(lesson, 3, private_service(subject_of(l->tutor, 0)));
		sqlite3_bind_int64(lesson, 4,
				   contract_base[l->client] + l->chrono / SESSIONS_PER_CONTRACT);
		sqlite3_bind_int64(lesson, 5, l->starts);
		sqlite3_bind_int64(lesson, 6, l->starts + 3600);
		sqlite3_bind_text(lesson, 7, i % 20 == 7 ? "no_show" : "attended", -1,
				  SQLITE_STATIC);
		sqlite3_bind_text(lesson, 8, prefs[i % 4], -1, SQLITE_STATIC);
		sqlite3_bind_int64(lesson, 9, l->starts - (int64_t)7 * 86400);
		run(lesson, "insert lesson");
	}

	/* The coming three weeks: 40 % of every tutor's private slots already booked
	 * (no contract: booked by the office, to be paid on the day). */
	sqlite3_stmt *prebook = prepare(
		"INSERT INTO lessons (client_id, tutor_id, service_id, starts_at, ends_at, channel,"
		" created_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5, 'phone', ?6, 1)");
	struct hm_slot *slots = malloc(MAX_SLOTS_PER_TUTOR * sizeof *slots);
	if (!slots)
		die("out of memory");
	int n_prebooked = 0;
	for (int t = 0; t < n_tutors; t++) {
		struct hm_service svc;
		struct hm_slot_query q;
		if (hm_db_services_read(db, private_service(subject_of(t, 0)), &svc) != HM_OK ||
		    hm_db_tutors_slot_query(db, FIRST_TUTOR_ID + t, &svc, today,
					    today + PREBOOK_DAYS - 1, now, &q) != HM_OK)
			die("slot query");
		size_t n = hm_slots_generate(&q, slots, MAX_SLOTS_PER_TUTOR);
		hm_db_tutors_slot_query_release(&q);
		for (size_t i = 0; i < n && i < MAX_SLOTS_PER_TUTOR; i++) {
			if (i % 5 >= 2)
				continue;
			sqlite3_bind_int64(prebook, 1, t + n_tutors * (2 + (int)(i % 198)) + 1);
			sqlite3_bind_int64(prebook, 2, FIRST_TUTOR_ID + t);
			sqlite3_bind_int64(prebook, 3, svc.id);
			sqlite3_bind_int64(prebook, 4, slots[i].starts);
			sqlite3_bind_int64(prebook, 5, slots[i].ends);
			sqlite3_bind_int64(prebook, 6, now - 86400);
			run(prebook, "insert booked lesson");
			n_prebooked++;
		}
	}
	sqlite3_finalize(user);
	sqlite3_finalize(tutor);
	sqlite3_finalize(teaches);
	sqlite3_finalize(avail);
	sqlite3_finalize(service);
	sqlite3_finalize(client);
	sqlite3_finalize(contract);
	sqlite3_finalize(lesson);
	sqlite3_finalize(prebook);
	insert_answers(db, now);
	insert_inquiries(OPEN_INQUIRIES * scale, now);
	exec("COMMIT");

	/* The free slots the booking runs walk through: after the week that GET /slots
	 * reads (next Monday to Sunday), so that bookings do not change its answer. */
	int64_t monday = today + (8 - today_wd);
	/* Each slot is booked by the student of its tutor (student t + 1 for tutor t): a
	 * tutor's slots never overlap, so no student is ever booked into two lessons at
	 * once (409 client_busy), and students have no other lessons ahead. At a larger
	 * scale only the first N_STUDENTS tutors' slots are listed. */
	int booking_tutors = n_tutors < N_STUDENTS ? n_tutors : N_STUDENTS;
	size_t cap = (size_t)booking_tutors * MAX_SLOTS_PER_TUTOR, total = 0;
	int64_t(*rows)[3] = malloc(cap * sizeof *rows);
	if (!rows)
		die("out of memory");
	for (int t = 0; t < booking_tutors; t++) {
		struct hm_service svc;
		struct hm_slot_query q;
		if (hm_db_services_read(db, private_service(subject_of(t, 0)), &svc) != HM_OK ||
		    hm_db_tutors_slot_query(db, FIRST_TUTOR_ID + t, &svc, monday + 7,
					    today + SLOT_DAYS, now, &q) != HM_OK)
			die("slot query");
		size_t n = hm_slots_generate(&q, slots, MAX_SLOTS_PER_TUTOR);
		hm_db_tutors_slot_query_release(&q);
		for (size_t i = 0; i < n && i < MAX_SLOTS_PER_TUTOR; i++) {
			rows[total][0] = slots[i].starts;
			rows[total][1] = FIRST_TUTOR_ID + t;
			rows[total][2] = svc.id;
			total++;
		}
	}
	qsort(rows, total, sizeof *rows, compare_slot_rows);
	char path[4096];
	snprintf(path, sizeof path, "%s/slots.txt", outdir);
	FILE *f = fopen(path, "w");
	if (!f)
		die(path);
	for (size_t i = 0; i < total; i++) {
		char at[HM_RFC3339_LEN];
		hm_time_format(rows[i][0], at);
		fprintf(f, "%lld %lld %s %lld\n", (long long)rows[i][1], (long long)rows[i][2], at,
			(long long)(rows[i][1] - FIRST_TUTOR_ID + 1));
	}
	if (fclose(f) != 0)
		die(path);

	char week_from[11], week_to[11], last_weekday[11];
	date_text(monday, week_from);
	date_text(monday + 6, week_to);
	int64_t last = today - 1;
	while (weekday_of(last) > 5)
		last--;
	date_text(last, last_weekday);
	snprintf(path, sizeof path, "%s/gen.env", outdir);
	f = fopen(path, "w");
	if (!f)
		die(path);
	fprintf(f,
		"WEEK_FROM=%s\nWEEK_TO=%s\nSLOTS=%zu\nSLOTS_SERVICE=%lld\nN_TUTORS=%d\n"
		"N_SERVICES=%d\nN_CLIENTS=%d\nN_STUDENTS=%d\nN_PAST_LESSONS=%d\n"
		"N_BOOKED_AHEAD=%d\nN_CONTRACTS=%lld\nLAST_WEEKDAY=%s\nTUTOR_ID=%d\n"
		"N_ANSWERS=%d\nN_OPEN_INQUIRIES=%d\n",
		week_from, week_to, total, (long long)private_service(0), n_tutors, 2 * n_subjects,
		n_clients, N_STUDENTS, n_lessons, n_prebooked, (long long)n_contracts, last_weekday,
		FIRST_TUTOR_ID, ANSWERS_PER_LOCALE, OPEN_INQUIRIES);
	if (fclose(f) != 0)
		die(path);
	free(rows);
	free(slots);
	free(block_start);
	free(lessons);
	free(count);
	free(rank);
	free(contract_base);
	hm_db_close(db);
	return 0;
}
