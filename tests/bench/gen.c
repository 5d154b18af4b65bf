// SPDX-License-Identifier: MIT
// The benchmark's business: fills a migrated database with a tutoring business of
// realistic size in one transaction, then lists the free slots the booking run will
// book. Linked against the core library, so the free slots come from the server's
// own slot rules (hm_db_tutors_slot_query + hm_slots_generate), not from a copy of them.
//
// What it makes (user 1, the office's staff login, must already exist: its
// password hash is copied to every generated user, so all share one password):
//   - 50 tutors (staff users 2..51), two subjects each of 10, so 10 tutors per subject;
//     every weekday 16:00-20:00 and two mornings 09:00-13:00 a week;
//   - 20 services: per subject a private 60-minute class and a group 90-minute one;
//   - 10,000 clients, most without a login; the first 16 are students with users
//     (student01@bench.harreman.eus ...) and 20 past lessons each;
//   - 100,000 past lessons on weekdays over the past ~15 months, attended (5 % no-show),
//     each on a subscription of 8 sessions of its client (about 20,000 contracts);
//   - in the coming three weeks, 40 % of every tutor's private slots already booked;
//   - 500 of each gift in stock.
// Then it writes, in OUTDIR:
//   slots.txt   one "tutor_id service_id starts_at student" line per free private slot of
//               every tutor (in its first subject's service), from the week after
//               the one GET /slots reads up to 395 days ahead (the API books at
//               most 400 days ahead), in time order, tutors interleaved;
//   gen.env     shell assignments: WEEK_FROM, WEEK_TO (next Monday..Sunday), SLOTS,
//               SLOTS_SERVICE (the service of GET /slots), N_CLIENTS, N_STUDENTS, ...
// Usage: gen DBPATH OUTDIR
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harreman/app.h"
#include "harreman/db_services.h"
#include "harreman/db_tutors.h"
#include "harreman/db.h"
#include "harreman/hours.h"
#include "harreman/slots.h"
#include "harreman/timefmt.h"
#include "harreman/banned.h"

#define N_TUTORS 50
#define N_SUBJECTS 10
#define N_CLIENTS 10000
#define N_STUDENTS 50 /* one per tutor: see slots.txt */
#define N_LESSONS 100000
#define LESSONS_PER_TUTOR (N_LESSONS / N_TUTORS) /* 2000 */
#define CLIENTS_PER_TUTOR (N_CLIENTS / N_TUTORS) /* 200 */
#define LESSONS_PER_DAY 6
#define SESSIONS_PER_CONTRACT 8
#define FIRST_TUTOR_ID 2
#define PREBOOK_DAYS 21
#define SLOT_DAYS 395 /* within the API's 400 days ahead */
#define MAX_SLOTS_PER_TUTOR 4096

static const char *const subjects[N_SUBJECTS] = {"maths",   "physics",  "chemistry", "biology",
						 "english", "basque",   "spanish",   "french",
						 "history", "economics"};
static const char *const subject_names[N_SUBJECTS] = {
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
	return which == 0 ? tutor % N_SUBJECTS : (tutor + 3) % N_SUBJECTS;
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

int main(int argc, char **argv)
{
	if (argc != 3) {
		fputs("usage: gen DBPATH OUTDIR\n", stderr);
		return 2;
	}
	const char *outdir = argv[2];
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
	for (int t = 0; t < N_TUTORS; t++) {
		char email[64], name[96], bio[160];
		int64_t id = FIRST_TUTOR_ID + t;
		snprintf(email, sizeof email, "tutor%02d@bench.harreman.eus", t + 1);
		snprintf(name, sizeof name, "%s %s", first_names[t % 20], surnames[(t * 7) % 20]);
		snprintf(bio, sizeof bio, "%s eta %s irakaslea.", subject_names[subject_of(t, 0)],
			 subject_names[subject_of(t, 1)]);
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
			sqlite3_bind_text(teaches, 2, subjects[subject_of(t, s)], -1,
					  SQLITE_STATIC);
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
	for (int s = 0; s < N_SUBJECTS; s++) {
		for (int k = 0; k < 2; k++) {
			char name[96];
			snprintf(name, sizeof name, "%s — %s", subject_names[s],
				 k == 0 ? "eskola partikularra" : "taldeko eskola");
			sqlite3_bind_int64(service, 1, 2 * s + 1 + k);
			sqlite3_bind_text(service, 2, name, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(service, 3, subjects[s], -1, SQLITE_STATIC);
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
	for (int c = 0; c < N_CLIENTS; c++) {
		char name[96], email[96], phone[32];
		int64_t user_id = 0;
		snprintf(name, sizeof name, "%s %s %s", first_names[c % 20],
			 surnames[(c / 20) % 20], surnames[(c / 400) % 20]);
		snprintf(email, sizeof email, "client%05d@example.com", c + 1);
		snprintf(phone, sizeof phone, "+34 6%02d %03d %03d", c % 100, (c / 100) % 1000,
			 (c * 7) % 1000);
		if (c < N_STUDENTS) {
			user_id = 100 + c;
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
		sqlite3_bind_int64(client, 7, FIRST_TUTOR_ID + c % N_TUTORS);
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
	struct lesson *lessons = calloc(N_LESSONS, sizeof *lessons);
	int *count = calloc(N_CLIENTS, sizeof *count);
	int *rank = calloc(N_CLIENTS, sizeof *rank);
	int64_t *contract_base = calloc(N_CLIENTS, sizeof *contract_base);
	if (!lessons || !count || !rank || !contract_base)
		die("out of memory");
	int64_t days_back[LESSONS_PER_TUTOR / LESSONS_PER_DAY + 1];
	for (int64_t day = today - 1, n = 0; n < (int64_t)(sizeof days_back / sizeof days_back[0]);
	     day--)
		if (weekday_of(day) <= 5)
			days_back[n++] = day;
	for (int t = 0; t < N_TUTORS; t++) {
		for (int j = 0; j < LESSONS_PER_TUTOR; j++) {
			struct lesson *l = &lessons[t * LESSONS_PER_TUTOR + j];
			int k = j % CLIENTS_PER_TUTOR;
			if (k == 1 && t < N_STUDENTS)
				k = 0;
			l->tutor = t;
			l->client = t + N_TUTORS * k;
			l->starts = hm_local_instant(days_back[j / LESSONS_PER_DAY],
						     hours[j % LESSONS_PER_DAY]);
			count[l->client]++;
		}
	}
	/* j grows into the past, so a client's k-th lesson in j order is its
	 * (count - 1 - k)-th oldest. */
	for (int i = 0; i < N_LESSONS; i++) {
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
	int64_t *block_start = calloc((size_t)N_CLIENTS * 4, sizeof *block_start);
	if (!block_start)
		die("out of memory");
	for (int i = 0; i < N_LESSONS; i++)
		if (lessons[i].chrono % SESSIONS_PER_CONTRACT == 0)
			block_start[lessons[i].client * 4 +
				    lessons[i].chrono / SESSIONS_PER_CONTRACT] = lessons[i].starts;
	for (int c = 0; c < N_CLIENTS; c++) {
		int blocks = (count[c] + SESSIONS_PER_CONTRACT - 1) / SESSIONS_PER_CONTRACT;
		int t = c % N_TUTORS;
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
	for (int i = 0; i < N_LESSONS; i++) {
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
	for (int t = 0; t < N_TUTORS; t++) {
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
			sqlite3_bind_int64(prebook, 1, t + N_TUTORS * (2 + (int)(i % 198)) + 1);
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
	exec("COMMIT");

	/* The free slots the booking runs walk through: after the week that GET /slots
	 * reads (next Monday to Sunday), so that bookings do not change its answer. */
	int64_t monday = today + (8 - today_wd);
	size_t cap = (size_t)N_TUTORS * MAX_SLOTS_PER_TUTOR, total = 0;
	int64_t(*rows)[3] = malloc(cap * sizeof *rows);
	if (!rows)
		die("out of memory");
	for (int t = 0; t < N_TUTORS; t++) {
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
	/* Each slot is booked by the student of its tutor (student t + 1 for tutor t): a
	 * tutor's slots never overlap, so no student is ever booked into two lessons at
	 * once (409 client_busy), and students have no other lessons ahead. */
	_Static_assert(N_STUDENTS >= N_TUTORS, "one student per tutor");
	for (size_t i = 0; i < total; i++) {
		char at[HM_RFC3339_LEN];
		hm_time_format(rows[i][0], at);
		fprintf(f, "%lld %lld %s %lld\n", (long long)rows[i][1], (long long)rows[i][2], at,
			(long long)(rows[i][1] - FIRST_TUTOR_ID + 1));
	}
	if (fclose(f) != 0)
		die(path);

	char week_from[11], week_to[11];
	date_text(monday, week_from);
	date_text(monday + 6, week_to);
	snprintf(path, sizeof path, "%s/gen.env", outdir);
	f = fopen(path, "w");
	if (!f)
		die(path);
	fprintf(f,
		"WEEK_FROM=%s\nWEEK_TO=%s\nSLOTS=%zu\nSLOTS_SERVICE=%lld\nN_TUTORS=%d\n"
		"N_SERVICES=%d\nN_CLIENTS=%d\nN_STUDENTS=%d\nN_PAST_LESSONS=%d\n"
		"N_BOOKED_AHEAD=%d\nN_CONTRACTS=%lld\n",
		week_from, week_to, total, (long long)private_service(0), N_TUTORS, 2 * N_SUBJECTS,
		N_CLIENTS, N_STUDENTS, N_LESSONS, n_prebooked, (long long)n_contracts);
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
