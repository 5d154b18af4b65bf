// SPDX-License-Identifier: MIT
// The crash test (issue 5, item 1): eight client threads book lessons (single
// ones, weekly series, sessions of a subscription) and make contracts (students
// for themselves, staff by bearer token for a few shared clients) while the server
// is killed with SIGKILL at a random moment of every round and started again on
// the same database, at least 20 times. Every answer 201 is remembered with the id
// it gave. Afterwards, with the server stopped cleanly, the database is opened
// directly and must hold every answered write as answered, nothing half-written
// (contracts' sessions, prices, gifts and audit rows agree with their lessons),
// pass integrity_check and foreign_key_check, have no tutor double-booked and no
// client in two lessons at once, no gift stock below zero (the admin stocks gifts
// first; replaying API.md's gift rule in id order gives every contract's gift), and
// per client ordinals 1..n in the order contracts were made (nothing is cancelled by
// this load). Every answer is 201 or 409 (slot_taken, client_busy,
// no_sessions_left), or none because of a kill: never a 5xx, never a lost answer
// while the server was up. Randomness is only in the timing: the verdict does not
// depend on where the kills land.
//
// HM_CRASH_ROUNDS sets the number of rounds (default 50, at least 20); after the
// 20th, no round starts once the time budget is spent.
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "check.h"
#include "harness.h"
#include "harreman/hours.h"
#include "harreman/timefmt.h"

#define PW "crash-test-password"

#define N_TUTORS 6        /* single lessons, 30 minutes, 08:00-22:00 every day */
#define N_SERIES_TUTORS 2 /* weekly series */
#define N_STUDENTS 6      /* one booking thread each */
#define N_STAFF_THREADS 2 /* contracts by bearer token */
#define N_THREADS (N_STUDENTS + N_STAFF_THREADS)
#define N_PHONE_CLIENTS 2
#define N_POOL (N_PHONE_CLIENTS + 2) /* clients staff make contracts for */
#define FIRST_MINUTE (8 * 60)
#define LAST_MINUTE (22 * 60)
#define DURATION_MIN 30
#define PRICE_CENTS 1999
#define SLOTS_PER_DAY ((LAST_MINUTE - FIRST_MINUTE) / DURATION_MIN)
#define SINGLE_DAYS 56
#define SERIES_WEEKS 3
#define SERIES_BLOCKS 3 /* of 7 first days, each block spanning 3 weeks */
#define N_SINGLE ((size_t)N_TUTORS * SINGLE_DAYS * SLOTS_PER_DAY)
#define N_SERIES ((size_t)N_SERIES_TUTORS * SERIES_BLOCKS * 7 * SLOTS_PER_DAY)
#define SUB_SESSIONS 3
#define MIN_KILLS 20
#define DEFAULT_ROUNDS 50
#define TIME_BUDGET_MS 45000
#define N_GIFTS 3

static struct test_server server; /* its pid and port follow the restarts */
static const char *const serve_extra[] = {"--trusted-proxy", "127.0.0.1", "--threads", "8", NULL};

static struct api_client admin, staff, staff_bearer;
static json_int_t tutors[N_TUTORS], series_tutors[N_SERIES_TUTORS], service_id;
static json_int_t phone_clients[N_PHONE_CLIENTS];
static json_int_t pool[N_POOL];
static json_int_t gift_ids[N_GIFTS] = {1, 2, 3};
static json_int_t gift_stock[N_GIFTS] = {9, 14, 6}; /* run out under the load */

/* ---- small helpers ----------------------------------------------------------- */

static json_int_t ival(json_t *obj, const char *key)
{
	return json_integer_value(json_object_get(obj, key));
}

static int64_t now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static int64_t parse_at(const char *text)
{
	int64_t t = 0;
	return text && hm_time_parse(text, &t) ? t : -1;
}

static json_int_t post_id(struct api_client *c, const char *path, const char *body, int expect)
{
	struct http_response r;
	api_call(c, "POST", path, body, &r);
	json_int_t id = r.status == expect ? ival(r.json, "id") : 0;
	if (r.status != expect)
		fprintf(stderr, "POST %s -> %d %s\n", path, r.status, r.body ? r.body : "");
	http_response_free(&r);
	return id;
}

static json_int_t find_user(const char *email)
{
	struct http_response r;
	json_int_t id = 0;
	size_t i;
	json_t *u;
	api_call(&admin, "GET", "/api/v1/users?limit=200", NULL, &r);
	json_array_foreach(http_json(&r, "items"), i,
			   u) if (json_str(u, "email") && strcmp(json_str(u, "email"), email) == 0)
		id = ival(u, "id");
	http_response_free(&r);
	return id;
}

/* ---- the server, started again and again on one database ------------------- */

/* Reads the server's standard output until "listening on http://127.0.0.1:PORT/". */
static bool wait_listening(int fd, uint16_t *port)
{
	char seen[8192] = "";
	size_t used = 0;
	int64_t deadline = now_ms() + 60000;
	for (;;) {
		const char *line = strstr(seen, "listening on http://");
		if (line) {
			const char *colon = strchr(line + strlen("listening on http://"), ':');
			if (colon && strchr(colon, '/')) {
				*port = (uint16_t)strtoul(colon + 1, NULL, 10);
				return *port != 0;
			}
		}
		int64_t left = deadline - now_ms();
		struct pollfd p = {.fd = fd, .events = POLLIN};
		if (left <= 0 || poll(&p, 1, (int)left) <= 0)
			break;
		ssize_t got = read(fd, seen + used, sizeof seen - used - 1);
		if (got <= 0)
			break;
		used += (size_t)got;
		seen[used] = '\0';
	}
	fprintf(stderr, "the server did not start; its output:\n%s\n", seen);
	return false;
}

/* The end of the server's log, for a failure's report. */
static void show_log_tail(void)
{
	char text[4096];
	FILE *f = fopen(server.log, "r");
	if (!f) {
		fprintf(stderr, "(no log)\n");
		return;
	}
	long size = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : 0;
	if (size > (long)sizeof text - 1)
		fseek(f, size - (long)sizeof text + 1, SEEK_SET);
	else
		rewind(f);
	size_t got = fread(text, 1, sizeof text - 1, f);
	text[got] = '\0';
	fclose(f);
	fprintf(stderr, "the server's log ends:\n%s\n", text);
}

/* Starts `harreman serve` on server.db again (a new port each time); its standard
 * error is appended to the log ts_start began. */
static bool server_spawn(void)
{
	const char *argv[] = {
		ts_binary(),    "serve",        "--listen",   "127.0.0.1:0",  "--db",
		server.db,      "--web",        ts_web_dir(), serve_extra[0], serve_extra[1],
		serve_extra[2], serve_extra[3], NULL};
	int out[2];
	if (pipe(out) != 0)
		return false;
	pid_t pid = fork();
	if (pid < 0) {
		close(out[0]);
		close(out[1]);
		return false;
	}
	if (pid == 0) {
		int log = open(server.log, O_WRONLY | O_CREAT | O_APPEND, 0600);
		dup2(out[1], STDOUT_FILENO);
		if (log >= 0)
			dup2(log, STDERR_FILENO);
		close(out[0]);
		close(out[1]);
		execv(argv[0], (char *const *)(void *)argv);
		_exit(127);
	}
	close(out[1]);
	server.pid = pid;
	server.port = 0;
	bool ok = wait_listening(out[0], &server.port);
	close(out[0]);
	if (!ok) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		server.pid = 0;
		show_log_tail();
	}
	return ok;
}

/* Sends sig to the server and reaps it; returns the wait status (-1: none ran). */
static int server_signal(int sig)
{
	int status = -1;
	if (server.pid <= 0)
		return -1;
	kill(server.pid, sig);
	if (waitpid(server.pid, &status, 0) != server.pid)
		status = -1;
	server.pid = 0;
	return status;
}

/* Removes the temporary directory ts_start made, with the database, its WAL and
 * the log in it (the server is stopped). */
static void remove_dir(void)
{
	DIR *dir = server.dir[0] ? opendir(server.dir) : NULL;
	struct dirent *entry;
	char path[512];
	if (!dir)
		return;
	while ((entry = readdir(dir)))
		if (strcmp(entry->d_name, ".") != 0 && strcmp(entry->d_name, "..") != 0) {
			snprintf(path, sizeof path, "%s/%s", server.dir, entry->d_name);
			unlink(path);
		}
	closedir(dir);
	if (rmdir(server.dir) != 0)
		fprintf(stderr, "could not remove %s\n", server.dir);
	server.dir[0] = '\0';
}

/* ---- slots --------------------------------------------------------------------- */

struct slot {
	json_int_t tutor;
	int64_t day;
	int minute;
	int64_t at;
	char text[HM_RFC3339_LEN];
};

static struct slot single_slots[N_SINGLE];
static struct slot series_slots[N_SERIES];
static atomic_uint single_next, series_next;

static void slot_set(struct slot *s, json_int_t tutor, int64_t day, int minute)
{
	s->tutor = tutor;
	s->day = day;
	s->minute = minute;
	s->at = hm_local_instant(day, minute);
	hm_time_format(s->at, s->text);
}

/* Single lessons from the day after tomorrow, tutors interleaved; series on their
 * own tutors, SERIES_WEEKS weeks from a first day in blocks of 7 days that leave
 * room for the weeks after (days 0-6, then 21-27, ...). */
static void make_slots(int64_t today)
{
	size_t k = 0;
	for (int d = 0; d < SINGLE_DAYS; d++)
		for (int m = 0; m < SLOTS_PER_DAY; m++)
			for (int t = 0; t < N_TUTORS; t++)
				slot_set(&single_slots[k++], tutors[t], today + 2 + d,
					 FIRST_MINUTE + m * DURATION_MIN);
	k = 0;
	for (int b = 0; b < SERIES_BLOCKS; b++)
		for (int d = 0; d < 7; d++)
			for (int m = 0; m < SLOTS_PER_DAY; m++)
				for (int t = 0; t < N_SERIES_TUTORS; t++)
					slot_set(&series_slots[k++], series_tutors[t],
						 today + 2 + (int64_t)7 * SERIES_WEEKS * b + d,
						 FIRST_MINUTE + m * DURATION_MIN);
}

/* The next slot to try: 0, 1, 1, 2, 3, 3, 4, ...: every third attempt races for
 * the slot of the attempt before it (or finds it taken). */
static const struct slot *take_slot(atomic_uint *counter, struct slot *slots, size_t n)
{
	unsigned i = atomic_fetch_add(counter, 1);
	unsigned fresh = i - i / 3 - (i % 3 == 2 ? 1u : 0u);
	return &slots[fresh % n];
}

/* ---- what the server acknowledged ---------------------------------------------- */

struct lesson_rec {
	json_int_t id, client_id, tutor_id, service_id, contract_id;
	json_int_t asked_client, asked_tutor;
	int64_t starts_at, asked_at;
	char status[16];
};

struct contract_rec {
	json_int_t id, client_id, service_id, sessions_total, ordinal, list, percent, discount,
		price, gift_id, asked_client;
	char kind[16], status[16];
};

static pthread_mutex_t rec_lock = PTHREAD_MUTEX_INITIALIZER;
static struct lesson_rec *lesson_recs;
static size_t n_lesson_recs, cap_lesson_recs;
static struct contract_rec *contract_recs;
static size_t n_contract_recs, cap_contract_recs;
static long unexpected;    /* answers no request of this load should get */
static long lost_while_up; /* no answer although the server had not been killed */
static long dropped;       /* requests cut short by a kill */
static long answered[600]; /* by status */

/* Answers 201 by kind of request: the load really did each of them. */
enum { OK_SINGLE, OK_SERIES, OK_SESSION, OK_SUBSCRIBE, OK_STAFF_CONTRACT, OK_KINDS };
static atomic_long ok_count[OK_KINDS];

static atomic_int stop_load; /* set once the round's kill is done */
static atomic_int kill_sent; /* set just before the kill */

static void note_unexpected(const char *what, const struct http_response *r)
{
	pthread_mutex_lock(&rec_lock);
	if (unexpected++ < 10)
		fprintf(stderr, "unexpected answer to %s: %d %s\n", what, r->status,
			r->body ? r->body : "");
	pthread_mutex_unlock(&rec_lock);
}

/* Counts the answer; false when there was none (the server is gone). */
static bool note_status(const struct http_response *r)
{
	bool killed = atomic_load(&kill_sent) != 0;
	pthread_mutex_lock(&rec_lock);
	if (r->status > 0 && r->status < 600)
		answered[r->status]++;
	if (r->status == 0) {
		dropped++;
		if (!killed && lost_while_up++ < 5)
			fprintf(stderr, "a request got no answer while the server was up\n");
	}
	pthread_mutex_unlock(&rec_lock);
	return r->status != 0;
}

static void record_lesson(json_t *lesson, json_int_t asked_client, json_int_t asked_tutor,
			  int64_t asked_at)
{
	struct lesson_rec rec = {
		.id = ival(lesson, "id"),
		.client_id = ival(lesson, "client_id"),
		.tutor_id = ival(lesson, "tutor_id"),
		.service_id = ival(lesson, "service_id"),
		.contract_id = ival(lesson, "contract_id"),
		.asked_client = asked_client,
		.asked_tutor = asked_tutor,
		.starts_at = parse_at(json_str(lesson, "starts_at")),
		.asked_at = asked_at,
	};
	snprintf(rec.status, sizeof rec.status, "%s",
		 json_str(lesson, "status") ? json_str(lesson, "status") : "");
	pthread_mutex_lock(&rec_lock);
	if (n_lesson_recs == cap_lesson_recs) {
		size_t cap = cap_lesson_recs ? cap_lesson_recs * 2 : 1024;
		void *bigger = realloc(lesson_recs, cap * sizeof *lesson_recs);
		if (bigger) {
			lesson_recs = bigger;
			cap_lesson_recs = cap;
		}
	}
	if (n_lesson_recs < cap_lesson_recs)
		lesson_recs[n_lesson_recs++] = rec;
	else
		unexpected++; /* out of memory: the verdict cannot be trusted */
	pthread_mutex_unlock(&rec_lock);
}

static void record_contract(json_t *k, json_int_t asked_client)
{
	struct contract_rec rec = {
		.id = ival(k, "id"),
		.client_id = ival(k, "client_id"),
		.service_id = ival(k, "service_id"),
		.sessions_total = ival(k, "sessions_total"),
		.ordinal = ival(k, "ordinal"),
		.list = ival(k, "list_price_cents"),
		.percent = ival(k, "discount_percent"),
		.discount = ival(k, "discount_cents"),
		.price = ival(k, "price_cents"),
		.gift_id = ival(json_object_get(k, "gift"), "id"),
		.asked_client = asked_client,
	};
	snprintf(rec.kind, sizeof rec.kind, "%s", json_str(k, "kind") ? json_str(k, "kind") : "");
	snprintf(rec.status, sizeof rec.status, "%s",
		 json_str(k, "status") ? json_str(k, "status") : "");
	pthread_mutex_lock(&rec_lock);
	if (n_contract_recs == cap_contract_recs) {
		size_t cap = cap_contract_recs ? cap_contract_recs * 2 : 1024;
		void *bigger = realloc(contract_recs, cap * sizeof *contract_recs);
		if (bigger) {
			contract_recs = bigger;
			cap_contract_recs = cap;
		}
	}
	if (n_contract_recs < cap_contract_recs)
		contract_recs[n_contract_recs++] = rec;
	else
		unexpected++; /* out of memory: the verdict cannot be trusted */
	pthread_mutex_unlock(&rec_lock);
}

/* ---- the load -------------------------------------------------------------------- */

struct worker {
	pthread_t thread;
	bool staff;
	struct api_client c;
	json_int_t client_id; /* a student's own client */
	json_int_t sub_id;    /* a subscription of its own with sessions left, or 0 */
	int sub_left;
	unsigned seed;
};

static struct worker workers[N_THREADS];

static bool code_is(const struct http_response *r, const char *want)
{
	const char *code = http_error_code(r);
	return code && strcmp(code, want) == 0;
}

/* POST /lessons: one slot, a weekly series, or one session of the subscription. */
static bool op_book(struct worker *w, bool series, bool with_sub)
{
	const struct slot *s = series ? take_slot(&series_next, series_slots, N_SERIES)
				      : take_slot(&single_next, single_slots, N_SINGLE);
	char body[320], extra[96] = "";
	struct http_response r;
	if (series)
		snprintf(extra, sizeof extra, ",\"repeat_weeks\":%d", SERIES_WEEKS);
	else if (with_sub)
		snprintf(extra, sizeof extra, ",\"contract_id\":%lld", (long long)w->sub_id);
	snprintf(body, sizeof body,
		 "{\"service_id\":%lld,\"tutor_id\":%lld,\"starts_at\":\"%s\"%s}",
		 (long long)service_id, (long long)s->tutor, s->text, extra);
	api_call(&w->c, "POST", "/api/v1/lessons", body, &r);
	bool up = note_status(&r);
	if (r.status == 201)
		atomic_fetch_add(&ok_count[series     ? OK_SERIES
					   : with_sub ? OK_SESSION
						      : OK_SINGLE],
				 1);
	if (r.status == 201 && series) {
		json_t *items = http_json(&r, "items"), *lesson;
		size_t i;
		json_array_foreach(items, i, lesson)
			record_lesson(lesson, w->client_id, s->tutor,
				      hm_local_instant(s->day + 7 * (int64_t)i, s->minute));
		if (json_array_size(items) != SERIES_WEEKS)
			note_unexpected("a series (not 3 lessons)", &r);
		record_contract(json_object_get(json_array_get(items, 0), "contract"),
				w->client_id);
	} else if (r.status == 201) {
		record_lesson(r.json, w->client_id, s->tutor, s->at);
		if (with_sub)
			w->sub_left--;
		else
			record_contract(http_json(&r, "contract"), w->client_id);
	} else if (r.status == 409 && with_sub && code_is(&r, "no_sessions_left")) {
		w->sub_id = 0; /* an unanswered booking used its last session */
	} else if (r.status == 409 && (code_is(&r, "slot_taken") || code_is(&r, "client_busy"))) {
		/* someone else got it first, or the student has a lesson then already */
	} else if (r.status != 0) {
		note_unexpected(body, &r);
	}
	if (with_sub && w->sub_left <= 0)
		w->sub_id = 0;
	http_response_free(&r);
	return up;
}

/* POST /me/contracts: a subscription the student then books from. */
static bool op_subscribe(struct worker *w)
{
	char body[160];
	struct http_response r;
	snprintf(body, sizeof body,
		 "{\"service_id\":%lld,\"kind\":\"subscription\",\"sessions\":%d}",
		 (long long)service_id, SUB_SESSIONS);
	api_call(&w->c, "POST", "/api/v1/me/contracts", body, &r);
	bool up = note_status(&r);
	if (r.status == 201) {
		atomic_fetch_add(&ok_count[OK_SUBSCRIBE], 1);
		record_contract(r.json, w->client_id);
		w->sub_id = ival(r.json, "id");
		w->sub_left = SUB_SESSIONS;
	} else if (r.status != 0) {
		note_unexpected(body, &r);
	}
	http_response_free(&r);
	return up;
}

/* Staff's POST /contracts by bearer token for one of a few shared clients. */
static bool op_contract(struct worker *w)
{
	char body[200];
	struct http_response r;
	json_int_t client = pool[rand_r(&w->seed) % N_POOL];
	int sessions = (int)(rand_r(&w->seed) % 4) + 1;
	snprintf(body, sizeof body,
		 "{\"client_id\":%lld,\"service_id\":%lld,\"kind\":\"%s\",\"sessions\":%d,"
		 "\"channel\":\"phone\"}",
		 (long long)client, (long long)service_id,
		 sessions == 1 ? "one_off" : "subscription", sessions);
	api_call(&w->c, "POST", "/api/v1/contracts", body, &r);
	bool up = note_status(&r);
	if (r.status == 201) {
		atomic_fetch_add(&ok_count[OK_STAFF_CONTRACT], 1);
		record_contract(r.json, client);
	} else if (r.status != 0) {
		note_unexpected(body, &r);
	}
	http_response_free(&r);
	return up;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	while (!atomic_load(&stop_load)) {
		bool up;
		if (w->staff) {
			up = op_contract(w);
		} else {
			unsigned pick = rand_r(&w->seed) % 10;
			if (pick == 6)
				up = op_book(w, true, false);
			else if (pick >= 7 && !w->sub_id)
				up = op_subscribe(w);
			else if (pick >= 7)
				up = op_book(w, false, true);
			else
				up = op_book(w, false, false);
		}
		if (!up)
			break; /* the server is gone; the next round starts another */
	}
	return NULL;
}

/* ---- setup ------------------------------------------------------------------------ */

static bool setup(void)
{
	char body[1024], path[128], email[64];
	int64_t today;
	int weekday;
	hm_local_day(hm_time_now(), &today, &weekday);

	if (!ts_add_user(&server, "admin", "admin@crash.test", "Ane Admin", PW) ||
	    !ts_add_user(&server, "staff", "office@crash.test", "Oihane Office", PW))
		return false;
	for (int t = 0; t < N_TUTORS + N_SERIES_TUTORS; t++) {
		snprintf(email, sizeof email, "tutor%d@crash.test", t);
		if (!ts_add_user(&server, "staff", email, "Tutor", PW))
			return false;
	}
	api_client_at(&admin, server.port, "10.5.0.1");
	api_client_at(&staff, server.port, "10.5.0.2");
	if (api_login(&admin, "admin@crash.test", PW) != 200 ||
	    api_login(&staff, "office@crash.test", PW) != 200)
		return false;

	struct http_response r;
	api_call(&staff, "POST", "/api/v1/auth/tokens", "{\"name\":\"crash load\"}", &r);
	api_client_at(&staff_bearer, server.port, "10.5.0.3");
	if (r.status == 201 && json_str(r.json, "token"))
		snprintf(staff_bearer.bearer, sizeof staff_bearer.bearer, "%s",
			 json_str(r.json, "token"));
	http_response_free(&r);
	if (!staff_bearer.bearer[0])
		return false;

	for (int t = 0; t < N_TUTORS + N_SERIES_TUTORS; t++) {
		snprintf(email, sizeof email, "tutor%d@crash.test", t);
		json_int_t id = find_user(email);
		if (t < N_TUTORS)
			tutors[t] = id;
		else
			series_tutors[t - N_TUTORS] = id;
		if (!id)
			return false;
		snprintf(path, sizeof path, "/api/v1/tutors/%lld", (long long)id);
		if (api_status(&staff, "PUT", path, "{\"subjects\":[\"maths\"],\"bio\":\"\"}") !=
		    200)
			return false;
		size_t used = (size_t)snprintf(body, sizeof body, "{\"windows\":[");
		for (int d = 1; d <= 7; d++)
			used += (size_t)snprintf(body + used, sizeof body - used,
						 "%s{\"weekday\":%d,\"starts\":\"08:00\","
						 "\"ends\":\"22:00\"}",
						 d > 1 ? "," : "", d);
		snprintf(body + used, sizeof body - used, "]}");
		snprintf(path, sizeof path, "/api/v1/tutors/%lld/availability", (long long)id);
		if (api_status(&staff, "PUT", path, body) != 200)
			return false;
	}
	snprintf(body, sizeof body,
		 "{\"name\":\"Maths, half an hour\",\"subject\":\"maths\",\"kind\":\"private\","
		 "\"duration_min\":%d,\"price_cents\":%d}",
		 DURATION_MIN, PRICE_CENTS);
	service_id = post_id(&staff, "/api/v1/services", body, 201);
	if (!service_id)
		return false;
	for (int i = 0; i < N_PHONE_CLIENTS; i++) {
		snprintf(body, sizeof body,
			 "{\"full_name\":\"Phone client %d\",\"phone\":\"+34 600 00 %d\"}", i, i);
		if (!(phone_clients[i] = post_id(&staff, "/api/v1/clients", body, 201)))
			return false;
	}
	/* Gifts in stock, so contracts take them until they run out. */
	for (int g = 0; g < N_GIFTS; g++) {
		snprintf(path, sizeof path, "/api/v1/gifts/%lld", (long long)gift_ids[g]);
		snprintf(body, sizeof body, "{\"stock\":%lld}", (long long)gift_stock[g]);
		api_call(&admin, "PATCH", path, body, &r);
		bool ok = r.status == 200 && ival(r.json, "stock") == gift_stock[g];
		http_response_free(&r);
		if (!ok)
			return false;
	}

	for (int i = 0; i < N_THREADS; i++) {
		struct worker *w = &workers[i];
		w->seed = 7919u * (unsigned)(i + 1);
		w->staff = i >= N_STUDENTS;
		if (w->staff) {
			w->c = staff_bearer;
			continue;
		}
		char name[64], ip[32];
		snprintf(email, sizeof email, "student%d@crash.test", i);
		snprintf(name, sizeof name, "Student %d", i);
		snprintf(ip, sizeof ip, "10.5.1.%d", i + 1);
		api_client_at(&w->c, server.port, ip);
		if (api_register(&w->c, email, PW, name) != 201)
			return false;
		api_call(&w->c, "GET", "/api/v1/me", NULL, &r);
		w->client_id = ival(http_json(&r, "client"), "id");
		http_response_free(&r);
		if (!w->client_id)
			return false;
	}
	/* Staff make contracts for the phone clients and for two students who book
	 * too: their ordinals are contended. */
	for (int i = 0; i < N_PHONE_CLIENTS; i++)
		pool[i] = phone_clients[i];
	pool[N_PHONE_CLIENTS] = workers[0].client_id;
	pool[N_PHONE_CLIENTS + 1] = workers[1].client_id;
	make_slots(today);
	return true;
}

/* ---- the rounds --------------------------------------------------------------------- */

static int kills;

static void run_rounds(void)
{
	const char *env = getenv("HM_CRASH_ROUNDS");
	int rounds = env && *env ? (int)strtol(env, NULL, 10) : DEFAULT_ROUNDS;
	if (rounds < MIN_KILLS)
		rounds = MIN_KILLS;
	unsigned seed = (unsigned)time(NULL) ^ (unsigned)getpid();
	fprintf(stderr, "up to %d rounds, kill timing seed %u\n", rounds, seed);
	int64_t start = now_ms();
	long min_delay = 1000, max_delay = 0;

	for (int round = 0; round < rounds; round++) {
		if (round >= MIN_KILLS && now_ms() - start > TIME_BUDGET_MS)
			break;
		atomic_store(&stop_load, 0);
		atomic_store(&kill_sent, 0);
		int started = 0;
		for (int i = 0; i < N_THREADS; i++) {
			workers[i].c.port = server.port;
			if (pthread_create(&workers[i].thread, NULL, worker_main, &workers[i]) != 0)
				break;
			started++;
		}
		CHECK_INT(started, N_THREADS);

		long delay = 20 + (long)(rand_r(&seed) % 281); /* 20-300 ms into the load */
		struct timespec pause = {.tv_sec = delay / 1000,
					 .tv_nsec = (delay % 1000) * 1000000};
		while (nanosleep(&pause, &pause) != 0)
			;
		if (delay < min_delay)
			min_delay = delay;
		if (delay > max_delay)
			max_delay = delay;

		atomic_store(&kill_sent, 1);
		int status = server_signal(SIGKILL);
		/* Anything but our SIGKILL means the server died by itself under the load. */
		CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
		if (!(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)) {
			fprintf(stderr, "round %d: the server had ended by itself (status %d)\n",
				round, status);
			show_log_tail();
		}
		kills++;
		atomic_store(&stop_load, 1);
		for (int i = 0; i < started; i++)
			pthread_join(workers[i].thread, NULL);
		if (!server_spawn()) {
			CHECK(!"the server starts again on the same database");
			return;
		}
	}
	fprintf(stderr, "%d kills in %.1f s, %ld-%ld ms into the load\n", kills,
		(double)(now_ms() - start) / 1000.0, min_delay, max_delay);
}

/* ---- the database afterwards ----------------------------------------------------------- */

static long long query_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *stmt = NULL;
	long long value = -1;
	if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK) {
		fprintf(stderr, "%s: %s\n", sql, sqlite3_errmsg(db));
		return -1;
	}
	if (sqlite3_step(stmt) == SQLITE_ROW)
		value = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return value;
}

static const char *col_text(sqlite3_stmt *stmt, int col)
{
	const unsigned char *text = sqlite3_column_text(stmt, col);
	return text ? (const char *)text : "";
}

static void check_integrity(sqlite3 *db)
{
	sqlite3_stmt *stmt = NULL;
	int rows = 0;
	CHECK_INT(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &stmt, NULL), SQLITE_OK);
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		if (rows++ < 10)
			CHECK_STR(col_text(stmt, 0), "ok");
	}
	sqlite3_finalize(stmt);
	CHECK_INT(rows, 1);

	rows = 0;
	CHECK_INT(sqlite3_prepare_v2(db, "PRAGMA foreign_key_check", -1, &stmt, NULL), SQLITE_OK);
	while (sqlite3_step(stmt) == SQLITE_ROW)
		if (rows++ < 10)
			fprintf(stderr, "foreign key violation: %s rowid %lld -> %s\n",
				col_text(stmt, 0), (long long)sqlite3_column_int64(stmt, 1),
				col_text(stmt, 2));
	sqlite3_finalize(stmt);
	CHECK_INT(rows, 0);
}

/* Every lesson answered 201 is there, as answered and as asked. */
static void check_answered_lessons(sqlite3 *db)
{
	static const char sql[] =
		"SELECT client_id, tutor_id, service_id, coalesce(contract_id, 0), starts_at,"
		" ends_at, status FROM lessons WHERE id = ?1";
	sqlite3_stmt *stmt = NULL;
	long missing = 0, differ = 0;
	CHECK_INT(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL), SQLITE_OK);
	for (size_t i = 0; i < n_lesson_recs; i++) {
		const struct lesson_rec *l = &lesson_recs[i];
		sqlite3_reset(stmt);
		sqlite3_bind_int64(stmt, 1, l->id);
		if (sqlite3_step(stmt) != SQLITE_ROW) {
			if (missing++ < 5)
				fprintf(stderr, "lesson %lld was answered 201 and is gone\n",
					(long long)l->id);
			continue;
		}
		bool same = l->id > 0 && sqlite3_column_int64(stmt, 0) == l->client_id &&
			    l->client_id == l->asked_client &&
			    sqlite3_column_int64(stmt, 1) == l->tutor_id &&
			    l->tutor_id == l->asked_tutor &&
			    sqlite3_column_int64(stmt, 2) == l->service_id &&
			    l->service_id == service_id &&
			    sqlite3_column_int64(stmt, 3) == l->contract_id && l->contract_id > 0 &&
			    sqlite3_column_int64(stmt, 4) == l->starts_at &&
			    l->starts_at == l->asked_at &&
			    sqlite3_column_int64(stmt, 5) ==
				    l->starts_at + (int64_t)DURATION_MIN * 60 &&
			    strcmp(col_text(stmt, 6), "booked") == 0 &&
			    strcmp(l->status, "booked") == 0;
		if (!same && differ++ < 5)
			fprintf(stderr, "lesson %lld differs from its 201 answer or request\n",
				(long long)l->id);
	}
	sqlite3_finalize(stmt);
	CHECK_INT(missing, 0);
	CHECK_INT(differ, 0);
}

/* Every contract answered 201 is there, as answered. */
static void check_answered_contracts(sqlite3 *db)
{
	static const char sql[] =
		"SELECT client_id, service_id, kind, sessions_total, ordinal, list_price_cents,"
		" discount_percent, discount_cents, price_cents, coalesce(gift_id, 0), status"
		" FROM contracts WHERE id = ?1";
	sqlite3_stmt *stmt = NULL;
	long missing = 0, differ = 0;
	CHECK_INT(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL), SQLITE_OK);
	for (size_t i = 0; i < n_contract_recs; i++) {
		const struct contract_rec *k = &contract_recs[i];
		sqlite3_reset(stmt);
		sqlite3_bind_int64(stmt, 1, k->id);
		if (sqlite3_step(stmt) != SQLITE_ROW) {
			if (missing++ < 5)
				fprintf(stderr, "contract %lld was answered 201 and is gone\n",
					(long long)k->id);
			continue;
		}
		bool same = k->id > 0 && sqlite3_column_int64(stmt, 0) == k->client_id &&
			    k->client_id == k->asked_client &&
			    sqlite3_column_int64(stmt, 1) == k->service_id &&
			    strcmp(col_text(stmt, 2), k->kind) == 0 &&
			    sqlite3_column_int64(stmt, 3) == k->sessions_total &&
			    sqlite3_column_int64(stmt, 4) == k->ordinal &&
			    sqlite3_column_int64(stmt, 5) == k->list &&
			    sqlite3_column_int64(stmt, 6) == k->percent &&
			    sqlite3_column_int64(stmt, 7) == k->discount &&
			    sqlite3_column_int64(stmt, 8) == k->price &&
			    sqlite3_column_int64(stmt, 9) == k->gift_id &&
			    strcmp(col_text(stmt, 10), "active") == 0 &&
			    strcmp(k->status, "active") == 0;
		if (!same && differ++ < 5)
			fprintf(stderr, "contract %lld differs from its 201 answer\n",
				(long long)k->id);
	}
	sqlite3_finalize(stmt);
	CHECK_INT(missing, 0);
	CHECK_INT(differ, 0);
}

/* The default tiers of the business plan (nothing changes them here). */
static long long tier_percent(long long ordinal)
{
	return ordinal >= 5 ? 15 : ordinal == 4 ? 10 : ordinal == 3 ? 5 : 0;
}

/* Every contract, answered or not: whole. Ordered by client and id, so a client's
 * contracts come in the order they were made: nothing is cancelled, so their
 * ordinals must be exactly 1, 2, ..., n. */
static void check_all_contracts(sqlite3 *db)
{
	static const char sql[] =
		"WITH lc AS (SELECT contract_id, sum(status = 'booked') AS booked,"
		"   sum(made_contract) AS made FROM lessons GROUP BY contract_id),"
		" ac AS (SELECT entity_id, count(*) AS n FROM audit_log"
		"   WHERE action = 'contract.create' AND entity = 'contract' GROUP BY entity_id)"
		" SELECT k.id, k.client_id, k.sessions_total, k.sessions_used, k.ordinal,"
		" k.list_price_cents, k.discount_percent, k.discount_cents, k.price_cents, k.status,"
		" s.price_cents, coalesce(lc.booked, 0), coalesce(lc.made, 0), coalesce(ac.n, 0)"
		" FROM contracts k JOIN services s ON s.id = k.service_id"
		" LEFT JOIN lc ON lc.contract_id = k.id LEFT JOIN ac ON ac.entity_id = k.id"
		" ORDER BY k.client_id, k.id";
	sqlite3_stmt *stmt = NULL;
	long bad_sessions = 0, bad_made = 0, bad_price = 0, bad_ordinal = 0, bad_status = 0,
	     bad_audit = 0, n = 0;
	long long client = -1, rank = 0;
	CHECK_INT(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL), SQLITE_OK);
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(stmt, 0);
		long long client_id = sqlite3_column_int64(stmt, 1);
		long long total = sqlite3_column_int64(stmt, 2);
		long long used = sqlite3_column_int64(stmt, 3);
		long long ordinal = sqlite3_column_int64(stmt, 4);
		long long list = sqlite3_column_int64(stmt, 5);
		long long percent = sqlite3_column_int64(stmt, 6);
		long long discount = sqlite3_column_int64(stmt, 7);
		long long price = sqlite3_column_int64(stmt, 8);
		long long unit = sqlite3_column_int64(stmt, 10);
		long long lessons = sqlite3_column_int64(stmt, 11);
		long long made_with = sqlite3_column_int64(stmt, 12);
		long long audits = sqlite3_column_int64(stmt, 13);
		n++;
		if (client_id != client) {
			client = client_id;
			rank = 0;
		}
		rank++;
		if (used != lessons && bad_sessions++ < 5)
			fprintf(stderr, "contract %lld: sessions_used %lld but %lld lessons\n", id,
				used, lessons);
		/* Made on the spot with its lessons: all of them, or it would not exist. */
		if (made_with && (made_with != total || used != total) && bad_made++ < 5)
			fprintf(stderr, "contract %lld: made with %lld of its %lld lessons\n", id,
				made_with, total);
		if ((list != unit * total || percent != tier_percent(ordinal) ||
		     discount != (list * percent + 50) / 100 || discount + price != list) &&
		    bad_price++ < 5)
			fprintf(stderr,
				"contract %lld: list %lld, %lld %%, discount %lld, price %lld"
				" (ordinal %lld)\n",
				id, list, percent, discount, price, ordinal);
		if (ordinal != rank && bad_ordinal++ < 5)
			fprintf(stderr,
				"contract %lld of client %lld: ordinal %lld, expected %lld\n", id,
				client_id, ordinal, rank);
		if (strcmp(col_text(stmt, 9), "active") != 0 && bad_status++ < 5)
			fprintf(stderr, "contract %lld is %s\n", id, col_text(stmt, 9));
		if (audits != 1 && bad_audit++ < 5)
			fprintf(stderr, "contract %lld has %lld contract.create audit rows\n", id,
				audits);
	}
	sqlite3_finalize(stmt);
	CHECK(n > 0);
	CHECK_INT(bad_sessions, 0);
	CHECK_INT(bad_made, 0);
	CHECK_INT(bad_price, 0);
	CHECK_INT(bad_ordinal, 0);
	CHECK_INT(bad_status, 0);
	CHECK_INT(bad_audit, 0);
}

/* Every lesson, answered or not: booked, on its own contract, with an audit row
 * for its booking, and no tutor teaching two at once. */
static void check_all_lessons(sqlite3 *db)
{
	CHECK_INT(
		query_int(
			db,
			"SELECT count(*) FROM lessons l LEFT JOIN contracts k"
			" ON k.id = l.contract_id WHERE k.id IS NULL OR k.client_id <> l.client_id"
			" OR k.service_id <> l.service_id"),
		0);
	CHECK_INT(query_int(db, "SELECT count(*) FROM lessons WHERE status <> 'booked'"
				" OR ends_at - starts_at <> 60 * (SELECT duration_min FROM services"
				" WHERE id = lessons.service_id)"),
		  0);
	/* No double booking: any two booked lessons of one tutor that overlap. */
	CHECK_INT(query_int(db, "SELECT count(*) FROM lessons a JOIN lessons b"
				" ON a.tutor_id = b.tutor_id AND a.id < b.id"
				" WHERE a.status = 'booked' AND b.status = 'booked'"
				" AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at"),
		  0);
	/* No client in two lessons at once (sql/0006). */
	CHECK_INT(query_int(db, "SELECT count(*) FROM lessons a JOIN lessons b"
				" ON a.client_id = b.client_id AND a.id < b.id"
				" WHERE a.status = 'booked' AND b.status = 'booked'"
				" AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at"),
		  0);
	/* Each booking's audit row names its first lesson, in the same transaction. */
	CHECK_INT(query_int(db, "SELECT count(*) FROM (SELECT min(id) AS first FROM lessons"
				" WHERE made_contract = 1 GROUP BY contract_id) WHERE first NOT IN"
				" (SELECT entity_id FROM audit_log WHERE action = 'lesson.book')"),
		  0);
	CHECK_INT(query_int(db, "SELECT count(*) FROM audit_log WHERE action = 'lesson.book'"
				" AND entity_id NOT IN (SELECT id FROM lessons)"),
		  0);
	CHECK_INT(query_int(db, "SELECT count(*) FROM audit_log WHERE action = 'contract.create'"
				" AND entity_id NOT IN (SELECT id FROM contracts)"),
		  0);
}

/* Stock never below zero; every gift handed out is one less in stock; and a
 * contract went without a gift only once all of them were gone. */
static void check_gifts(sqlite3 *db)
{
	sqlite3_stmt *stmt = NULL;
	CHECK_INT(query_int(db, "SELECT count(*) FROM gifts WHERE stock < 0"), 0);
	CHECK_INT(sqlite3_prepare_v2(db,
				     "SELECT stock, (SELECT count(*) FROM contracts WHERE gift_id ="
				     " ?1) FROM gifts WHERE id = ?1",
				     -1, &stmt, NULL),
		  SQLITE_OK);
	long long given = 0, initial = 0;
	for (int g = 0; g < N_GIFTS; g++) {
		sqlite3_reset(stmt);
		sqlite3_bind_int64(stmt, 1, gift_ids[g]);
		CHECK_INT(sqlite3_step(stmt), SQLITE_ROW);
		long long stock = sqlite3_column_int64(stmt, 0);
		long long taken = sqlite3_column_int64(stmt, 1);
		CHECK(stock >= 0);
		CHECK_INT(stock + taken, gift_stock[g]);
		given += taken;
		initial += gift_stock[g];
	}
	sqlite3_finalize(stmt);
	long long contracts = query_int(db, "SELECT count(*) FROM contracts");
	CHECK_INT(given, contracts < initial ? contracts : initial);
	CHECK_INT(
		query_int(
			db,
			"SELECT count(*) FROM contracts WHERE gift_id IS NULL AND id <"
			" (SELECT coalesce(max(id), 0) FROM contracts WHERE gift_id IS NOT NULL)"),
		0);

	/* Contracts are made one at a time, in id order: replaying API.md's rule (the
	 * gift with the most stock, ties by lowest id) gives each one's gift. */
	json_int_t stock[N_GIFTS];
	long wrong = 0;
	memcpy(stock, gift_stock, sizeof stock);
	CHECK_INT(sqlite3_prepare_v2(db,
				     "SELECT id, coalesce(gift_id, 0) FROM contracts ORDER BY id",
				     -1, &stmt, NULL),
		  SQLITE_OK);
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		int best = -1;
		for (int g = 0; g < N_GIFTS; g++)
			if (stock[g] > 0 && (best < 0 || stock[g] > stock[best]))
				best = g;
		json_int_t want = best >= 0 ? gift_ids[best] : 0;
		if (best >= 0)
			stock[best]--;
		if (sqlite3_column_int64(stmt, 1) != want && wrong++ < 5)
			fprintf(stderr, "contract %lld got gift %lld, expected %lld\n",
				(long long)sqlite3_column_int64(stmt, 0),
				(long long)sqlite3_column_int64(stmt, 1), (long long)want);
	}
	sqlite3_finalize(stmt);
	CHECK_INT(wrong, 0);
}

static void check_database(void)
{
	sqlite3 *db = NULL;
	CHECK_INT(sqlite3_open_v2(server.db, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	if (!db)
		return;
	sqlite3_busy_timeout(db, 5000);
	check_integrity(db);
	check_answered_lessons(db);
	check_answered_contracts(db);
	check_all_contracts(db);
	check_all_lessons(db);
	check_gifts(db);
	long long lessons = query_int(db, "SELECT count(*) FROM lessons");
	long long contracts = query_int(db, "SELECT count(*) FROM contracts");
	CHECK(lessons >= (long long)n_lesson_recs);
	CHECK(contracts >= (long long)n_contract_recs);
	fprintf(stderr,
		"answered 201: %zu lessons, %zu contracts; in the database: %lld lessons, %lld"
		" contracts (the rest committed as their answer was cut off)\n",
		n_lesson_recs, n_contract_recs, lessons, contracts);
	sqlite3_close(db);
}

int main(void)
{
	setenv("TZ", "Europe/Madrid", 1);
	tzset();
	signal(SIGPIPE, SIG_IGN);
	if (!ts_start(&server, serve_extra))
		return 1;
	if (!setup()) {
		fprintf(stderr, "setup failed\n");
		ts_stop(&server);
		return 1;
	}

	RUN(run_rounds);
	CHECK(kills >= MIN_KILLS);
	CHECK_INT(unexpected, 0);
	CHECK_INT(lost_while_up, 0);
	CHECK(n_lesson_recs > 0);
	CHECK(n_contract_recs > 0);
	fprintf(stderr, "answers: %ld x 201, %ld x 409, %ld cut off by a kill\n", answered[201],
		answered[409], dropped);
	fprintf(stderr,
		"201s: %ld single lessons, %ld series, %ld sessions of a subscription,"
		" %ld subscriptions by students, %ld contracts by staff\n",
		atomic_load(&ok_count[OK_SINGLE]), atomic_load(&ok_count[OK_SERIES]),
		atomic_load(&ok_count[OK_SESSION]), atomic_load(&ok_count[OK_SUBSCRIBE]),
		atomic_load(&ok_count[OK_STAFF_CONTRACT]));
	for (int k = 0; k < OK_KINDS; k++)
		CHECK(atomic_load(&ok_count[k]) > 0);

	/* The last server, started after the last kill, still knows everyone. */
	if (server.pid > 0) {
		struct http_response r;
		for (int i = 0; i < N_STUDENTS; i++) {
			workers[i].c.port = server.port;
			CHECK_INT(api_status(&workers[i].c, "GET", "/api/v1/me", NULL), 200);
		}
		staff_bearer.port = server.port;
		api_call(&staff_bearer, "GET", "/healthz", NULL, &r);
		CHECK_INT(r.status, 200);
		http_response_free(&r);
		int status = server_signal(SIGTERM);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
			fprintf(stderr, "the final clean stop ended with status %d\n", status);
			show_log_tail();
		}
	}
	RUN(check_database);
	remove_dir();
	free(lesson_recs);
	free(contract_recs);
	return CHECK_EXIT();
}
