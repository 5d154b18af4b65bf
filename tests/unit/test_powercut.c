// SPDX-License-Identifier: MIT
// Power loss, not only SIGKILL (issue 19): at least 1,000 simulated power cuts
// through the crash VFS (crashvfs.h) while the real db functions book lessons and
// make contracts, alone or in group-commit batches as the writer thread runs them.
// This file owns the table of write kinds (a new kind of write -- a payment, an
// invoice -- is one more entry in `kinds`, and a rule that ties rows together is one
// more entry in `invariants`), the rounds (a random number of writes, the power cut
// at a random VFS operation, which may fall inside a commit) and the checks after
// each cut: integrity_check "ok", every acknowledged write present with the values
// its answer gave, a refused write absent, the write in flight whole or absent (a
// batch all or nothing), no row nobody wrote, and the invariants. A control run with
// a disk whose sync lies must see a loss. HM_POWERCUT_SEED and HM_POWERCUT_CUTS
// replay a run; HM_POWERCUT_SYNCHRONOUS=OFF or NORMAL overrides the server's FULL, to
// watch the test fail.
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "crashvfs.h"
#include "harreman/db_services.h"
#include "harreman/db.h"
#include "harreman/db_contracts.h"
#include "harreman/db_lessons.h"
#include "harreman/limits.h"
#include "harreman/log.h"
#include "harreman/outbox.h"

#define CUTS_DEFAULT 1000
#define CUTS_PER_EPOCH 25 /* a fresh database every so many cuts */
#define WRITES_MAX 12     /* per round */
#define SERIES_MAX 4
#define EPOCH_WRITES (CUTS_PER_EPOCH * WRITES_MAX)
#define CONTROL_CUTS 20
#define DEADLINE_SECONDS 240 /* the sanitizer build is several times slower */
#define CLIENTS 4
#define TUTORS 2
#define GIFT_STOCK 1000

/* ---- one write ------------------------------------------------------------- */

enum wstate {
	W_ACKED,    /* its function answered HM_OK (and its batch committed): durable */
	W_REFUSED,  /* answered the refusal its kind expects: nothing written */
	W_INFLIGHT, /* the power went out before it was answered */
	W_GONE,     /* in flight, and not on the disk after the cut */
};

struct write {
	int kind;
	enum wstate state;
	int group;   /* its transaction: a batch's writes share one */
	int64_t now; /* created_at of every row it makes: its identity */
	int64_t client_id, tutor_id;
	int n;                      /* lessons it books */
	int64_t starts[SERIES_MAX]; /* one hour each */
	bool makes_contract;        /* else the lessons draw on contract_in */
	bool subscription;
	int sessions;        /* of the contract it makes */
	int64_t contract_in; /* a subscription's id (the write `from` made it) */
	int from;            /* index of that write; -1: none */
	int drawn;           /* sessions of this write's contract taken so far */
	/* What the answer said; for a write found whole after the cut, what was found. */
	int64_t lesson_ids[SERIES_MAX];
	int64_t contract_id;
	int ordinal;
	int64_t price_cents;
};

struct epoch {
	struct hm_db *db;
	char path[512];
	struct hm_service service;
	struct hm_outbox_env env;
	struct write writes[EPOCH_WRITES];
	int n_writes, groups;
	int64_t next_now, next_slot;
	uint64_t rng;
};

static int64_t pick(struct epoch *e, int64_t n)
{
	return (int64_t)(crashvfs_random(&e->rng) % (uint64_t)n);
}

static int64_t slot_start(struct epoch *e)
{
	return INT64_C(1900000000) + e->next_slot++ * 3600;
}

/* An acknowledged write of one of the given kinds, picked at random; -1: none. */
static int pick_acked(struct epoch *e, bool (*fits)(const struct epoch *, const struct write *))
{
	int seen = 0, chosen = -1;
	for (int i = 0; i < e->n_writes; i++) {
		if (e->writes[i].state == W_ACKED && fits(e, &e->writes[i]) && pick(e, ++seen) == 0)
			chosen = i;
	}
	return chosen;
}

/* ---- the kinds of write ------------------------------------------------------ */

static enum hm_err book(struct epoch *e, struct write *w)
{
	json_t *items = NULL;
	struct hm_booking b = {
		.client_id = w->client_id,
		.tutor_id = w->tutor_id,
		.contract_id = w->makes_contract ? 0 : w->contract_in,
		.service = &e->service,
		.starts = w->starts,
		.n = w->n,
		.channel = "web",
	};
	struct hm_actor who = {.user_id = w->tutor_id, .request_id = "powercut", .now = w->now};
	int64_t ids[HM_REPEAT_WEEKS_MAX];
	enum hm_err err = hm_db_lessons_book(e->db, &b, &who, &e->env, ids);
	if (err != HM_OK)
		return err;
	/* Read back after the COMMIT, as the server answers (on the request's thread). */
	if (hm_db_lessons_json_list(e->db, ids, w->n, &items) != HM_OK)
		return HM_ERR_INTERNAL;
	for (int i = 0; i < w->n && i < (int)json_array_size(items); i++) {
		json_t *lesson = json_array_get(items, (size_t)i);
		json_t *contract = json_object_get(lesson, "contract");
		w->lesson_ids[i] = json_integer_value(json_object_get(lesson, "id"));
		w->contract_id = json_integer_value(json_object_get(contract, "id"));
		w->ordinal = (int)json_integer_value(json_object_get(contract, "ordinal"));
		w->price_cents = json_integer_value(json_object_get(contract, "price_cents"));
	}
	json_decref(items);
	return HM_OK;
}

static enum hm_err make_contract(struct epoch *e, struct write *w)
{
	json_t *out = NULL;
	struct hm_new_contract c = {
		.client_id = w->client_id,
		.service = &e->service,
		.subscription = w->subscription,
		.sessions = w->sessions,
		.channel = "phone",
	};
	struct hm_actor who = {.user_id = 1, .request_id = "powercut", .now = w->now};
	enum hm_err err = hm_db_contracts_create(e->db, &c, &who, &out);
	if (err != HM_OK) {
		json_decref(out); /* set when the COMMIT itself failed */
		return err;
	}
	w->contract_id = json_integer_value(json_object_get(out, "id"));
	w->ordinal = (int)json_integer_value(json_object_get(out, "ordinal"));
	w->price_cents = json_integer_value(json_object_get(out, "price_cents"));
	json_decref(out);
	return HM_OK;
}

static bool plan_one_off(struct epoch *e, struct write *w)
{
	w->n = 1;
	w->starts[0] = slot_start(e);
	w->makes_contract = true;
	w->sessions = 1;
	return true;
}

static bool plan_series(struct epoch *e, struct write *w)
{
	w->n = 2 + (int)pick(e, SERIES_MAX - 1);
	for (int i = 0; i < w->n; i++)
		w->starts[i] = slot_start(e);
	w->makes_contract = w->subscription = true;
	w->sessions = w->n;
	return true;
}

static bool plan_contract(struct epoch *e, struct write *w)
{
	w->makes_contract = w->subscription = true;
	w->sessions = 2 + (int)pick(e, 7);
	return true;
}

static bool has_sessions_left(const struct epoch *e, const struct write *w)
{
	(void)e;
	return w->kind == 2 && w->drawn < w->sessions;
}

static bool plan_on_subscription(struct epoch *e, struct write *w)
{
	int from = pick_acked(e, has_sessions_left);
	if (from < 0)
		return false;
	struct write *c = &e->writes[from];
	c->drawn++;
	w->from = from;
	w->contract_in = c->contract_id;
	w->client_id = c->client_id;
	w->n = 1;
	w->starts[0] = slot_start(e);
	return true;
}

static bool books_lessons(const struct epoch *e, const struct write *w)
{
	(void)e;
	return w->n > 0 && w->kind != 4;
}

/* The same tutor at the same hour as an acknowledged lesson, for another client. */
static bool plan_taken_slot(struct epoch *e, struct write *w)
{
	int other = pick_acked(e, books_lessons);
	if (other < 0)
		return false;
	const struct write *o = &e->writes[other];
	w->tutor_id = o->tutor_id;
	w->client_id = o->client_id % CLIENTS + 1;
	w->n = 1;
	w->starts[0] = o->starts[0];
	w->makes_contract = true;
	w->sessions = 1;
	return true;
}

enum found { ABSENT, WHOLE, BROKEN };

/* Its rows after a cut: a new kind of write brings its own when it makes other
 * rows than lessons and contracts. */
static enum found find(struct epoch *e, struct write *w);

struct write_kind {
	const char *name;
	int weight;
	bool (*plan)(struct epoch *, struct write *); /* false: not possible yet */
	enum hm_err (*run)(struct epoch *, struct write *);
	enum hm_err expect; /* HM_OK, or the refusal that must leave nothing behind */
	enum found (*find)(struct epoch *, struct write *);
};

/* Index 2 makes subscriptions that index 3 draws on; index 4 is a refusal. */
static const struct write_kind kinds[] = {
	{"lesson (one-off contract)", 4, plan_one_off, book, HM_OK, find},
	{"lesson series (subscription)", 2, plan_series, book, HM_OK, find},
	{"contract (subscription)", 3, plan_contract, make_contract, HM_OK, find},
	{"lesson on a subscription", 3, plan_on_subscription, book, HM_OK, find},
	{"lesson refused (slot taken)", 1, plan_taken_slot, book, HM_ERR_SLOT_TAKEN, find},
};
#define KIND_COUNT ((int)(sizeof kinds / sizeof kinds[0]))

/* Rules that tie rows together, each a query counting what breaks it. */
static const struct {
	const char *name, *sql;
} invariants[] = {
	{"foreign keys hold", "SELECT count(*) FROM pragma_foreign_key_check"},
	{"each lesson has its contract, of its client",
	 "SELECT count(*) FROM lessons l LEFT JOIN contracts c ON c.id = l.contract_id"
	 " WHERE c.id IS NULL OR c.client_id <> l.client_id"},
	{"a contract's sessions_used counts its lessons",
	 "SELECT count(*) FROM contracts c WHERE sessions_used <> (SELECT count(*) FROM"
	 " lessons l WHERE l.contract_id = c.id AND l.status = 'booked')"},
	{"each contract counted once in active_contracts",
	 "SELECT count(*) FROM clients k WHERE active_contracts <> (SELECT count(*) FROM"
	 " contracts c WHERE c.client_id = k.id AND c.status <> 'cancelled')"},
	{"a client's loyalty ordinals distinct",
	 "SELECT count(*) FROM (SELECT 1 FROM contracts GROUP BY client_id, ordinal"
	 " HAVING count(*) > 1)"},
	{"a client's ordinals run 1..n",
	 "SELECT count(*) FROM clients k WHERE active_contracts <> (SELECT coalesce("
	 "max(ordinal), 0) FROM contracts c WHERE c.client_id = k.id)"},
	{"each contract audited once",
	 "SELECT count(*) FROM contracts c WHERE (SELECT count(*) FROM audit_log a WHERE"
	 " a.action = 'contract.create' AND a.entity_id = c.id) <> 1"},
	{"each booking audited and confirmed",
	 "SELECT count(*) FROM lessons l WHERE NOT EXISTS (SELECT 1 FROM audit_log a JOIN"
	 " outbox o ON o.lesson_id = a.entity_id AND o.kind = 'lesson_booked' WHERE"
	 " a.action = 'lesson.book' AND a.at = l.created_at)"},
	{"gift stock plus gifts given is constant",
	 "SELECT (SELECT sum(stock) FROM gifts) + (SELECT count(*) FROM contracts WHERE"
	 " gift_id IS NOT NULL) <> 1000"},
};
#define INVARIANT_COUNT ((int)(sizeof invariants / sizeof invariants[0]))

/* ---- finding a write after the cut ------------------------------------------ */

static char why[512];

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
}

static int64_t scalar(struct hm_db *db, const char *sql)
{
	sqlite3_stmt *stmt = NULL;
	int64_t v = -1;
	if (sqlite3_prepare_v2(hm_db_handle(db), sql, -1, &stmt, NULL) == SQLITE_OK &&
	    sqlite3_step(stmt) == SQLITE_ROW)
		v = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return v;
}

/* Looks for the rows of w (those with created_at = w->now) and compares them with
 * what w asked for and, when acknowledged, with what its answer said. */
static enum found find(struct epoch *e, struct write *w)
{
	static const char lessons_sql[] =
		"SELECT id, client_id, tutor_id, service_id, coalesce(contract_id, 0), starts_at,"
		" ends_at, status FROM lessons WHERE created_at = ?1 ORDER BY starts_at";
	static const char contract_sql[] =
		"SELECT id, client_id, service_id, kind, sessions_total, ordinal, price_cents,"
		" status FROM contracts WHERE created_at = ?1";
	sqlite3 *h = hm_db_handle(e->db);
	sqlite3_stmt *ls = NULL, *cs = NULL;
	enum found f = BROKEN;
	int64_t lesson_ids[SERIES_MAX], contract_id = 0, price = 0;
	int n_lessons = 0, n_contracts = 0, ordinal = 0;
	if (sqlite3_prepare_v2(h, contract_sql, -1, &cs, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(h, lessons_sql, -1, &ls, NULL) != SQLITE_OK) {
		say("prepare: %s", sqlite3_errmsg(h));
		goto out;
	}
	sqlite3_bind_int64(cs, 1, w->now);
	int rc;
	while ((rc = sqlite3_step(cs)) == SQLITE_ROW) {
		contract_id = sqlite3_column_int64(cs, 0);
		ordinal = sqlite3_column_int(cs, 5);
		price = sqlite3_column_int64(cs, 6);
		const char *kind = (const char *)sqlite3_column_text(cs, 3);
		if (n_contracts++ || sqlite3_column_int64(cs, 1) != w->client_id ||
		    sqlite3_column_int64(cs, 2) != e->service.id ||
		    strcmp(kind, w->subscription ? "subscription" : "one_off") != 0 ||
		    sqlite3_column_int(cs, 4) != w->sessions ||
		    strcmp((const char *)sqlite3_column_text(cs, 7), "active") != 0) {
			say("contract %" PRId64 " is not the one asked for", contract_id);
			goto out;
		}
	}
	if (rc != SQLITE_DONE) {
		say("read contracts: %s", sqlite3_errmsg(h));
		goto out;
	}
	sqlite3_bind_int64(ls, 1, w->now);
	while ((rc = sqlite3_step(ls)) == SQLITE_ROW) {
		int i = n_lessons++;
		if (i >= w->n) {
			say("%d lessons, %d asked for", n_lessons, w->n);
			goto out;
		}
		lesson_ids[i] = sqlite3_column_int64(ls, 0);
		if (sqlite3_column_int64(ls, 1) != w->client_id ||
		    sqlite3_column_int64(ls, 2) != w->tutor_id ||
		    sqlite3_column_int64(ls, 3) != e->service.id ||
		    sqlite3_column_int64(ls, 4) !=
			    (w->makes_contract ? contract_id : w->contract_in) ||
		    sqlite3_column_int64(ls, 5) != w->starts[i] ||
		    sqlite3_column_int64(ls, 6) != w->starts[i] + 3600 ||
		    strcmp((const char *)sqlite3_column_text(ls, 7), "booked") != 0) {
			say("lesson %" PRId64 " is not the one asked for", lesson_ids[i]);
			goto out;
		}
	}
	if (rc != SQLITE_DONE) {
		say("read lessons: %s", sqlite3_errmsg(h));
		goto out;
	}
	if (n_lessons == 0 && n_contracts == 0) {
		f = ABSENT;
		goto out;
	}
	if (n_lessons != w->n || n_contracts != (w->makes_contract ? 1 : 0)) {
		say("half there: %d of %d lessons, %d of %d contracts", n_lessons, w->n,
		    n_contracts, w->makes_contract ? 1 : 0);
		goto out;
	}
	if (w->state == W_ACKED) {
		for (int i = 0; i < w->n; i++)
			if (lesson_ids[i] != w->lesson_ids[i]) {
				say("lesson %d is %" PRId64 ", answered %" PRId64, i, lesson_ids[i],
				    w->lesson_ids[i]);
				goto out;
			}
		if (w->makes_contract && (contract_id != w->contract_id || ordinal != w->ordinal ||
					  price != w->price_cents)) {
			say("contract %" PRId64 " ordinal %d price %" PRId64 ", answered %" PRId64
			    " ordinal %d price %" PRId64,
			    contract_id, ordinal, price, w->contract_id, w->ordinal,
			    w->price_cents);
			goto out;
		}
	} else {
		memcpy(w->lesson_ids, lesson_ids, sizeof lesson_ids);
		if (w->makes_contract) {
			w->contract_id = contract_id;
			w->ordinal = ordinal;
			w->price_cents = price;
		}
	}
	f = WHOLE;
out:
	sqlite3_finalize(cs);
	sqlite3_finalize(ls);
	return f;
}

/* ---- the run --------------------------------------------------------------- */

struct figures {
	int cuts, cuts_in_flight, failed_cuts, restarts;
	uint64_t acked, verified, refusals_verified, inflight_whole, inflight_gone, writes;
	struct crashvfs_loss loss;
	double ops_per_write;
};

struct run {
	const char *dir;
	uint64_t seed, rng;
	const char *synchronous; /* NULL: the server's own pragmas */
	bool quiet;              /* the control run, which expects failures */
	struct figures fig;
	char first_problem[768];
};

static void problem(struct run *r, struct epoch *e, int *problems, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void problem(struct run *r, struct epoch *e, int *problems, const char *fmt, ...)
{
	(*problems)++;
	char line[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (!r->first_problem[0])
		snprintf(r->first_problem, sizeof r->first_problem, "%s", line);
	if (r->quiet || *problems > 5)
		return;
	fprintf(stderr, "powercut: seed %" PRIu64 ", cut %d, %s: %s\n", r->seed, r->fig.cuts,
		e->path, line);
}

static struct hm_db *open_db(struct run *r, const char *path)
{
	char sql[64];
	struct hm_db *db = hm_db_open(path);
	if (!db || !r->synchronous)
		return db;
	snprintf(sql, sizeof sql, "PRAGMA synchronous=%s", r->synchronous);
	if (hm_db_exec(db, sql) != HM_OK) {
		hm_db_close(db);
		db = NULL;
	}
	return db;
}

static void remove_files(const char *path)
{
	char name[600];
	static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
	for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
		snprintf(name, sizeof name, "%s%s", path, suffixes[i]);
		if (unlink(name) != 0 && errno != ENOENT)
			fprintf(stderr, "powercut: unlink %s: %s\n", name, strerror(errno));
	}
}

static const char seed_sql[] =
	"INSERT INTO users (id, email, password_hash, full_name, role, created_at, updated_at)"
	" VALUES (1, 'a@t', 'x', 'Ama', 'staff', 0, 0), (2, 'b@t', 'x', 'Beñat', 'staff', 0, 0);"
	"INSERT INTO tutors (user_id, updated_at) VALUES (1, 0), (2, 0);"
	"INSERT INTO tutor_subjects (tutor_id, subject) VALUES (1, 'maths'), (2, 'maths');"
	"INSERT INTO services (id, name, subject, kind, duration_min, price_cents, capacity,"
	" created_at) VALUES (1, 'Maths', 'maths', 'private', 60, 3000, 1, 0);"
	"INSERT INTO clients (id, full_name, email, created_at, updated_at) VALUES"
	" (1, 'Ane', 'ane@t', 0, 0), (2, 'Jon', 'jon@t', 0, 0), (3, 'Miren', 'miren@t', 0, 0),"
	" (4, 'Unai', 'unai@t', 0, 0);"
	"UPDATE gifts SET stock = 0; UPDATE gifts SET stock = 1000 WHERE key = 'pen';";

static bool epoch_start(struct run *r, struct epoch *e, int number)
{
	const char *why_not = NULL;
	memset(e, 0, sizeof *e);
	snprintf(e->path, sizeof e->path, "%s/epoch-%d.db", r->dir, number);
	remove_files(e->path);
	crashvfs_forget();
	e->rng = crashvfs_random(&r->rng);
	e->next_now = INT64_C(1800000000);
	e->env.zone = "Europe/Madrid";
	e->env.domain = "powercut.test";
	hm_log_set_level(HM_LOG_WARN); /* not the migrations, every epoch */
	e->db = open_db(r, e->path);
	bool ok = e->db && hm_db_migrate(e->db, &why_not) == HM_OK &&
		  hm_db_exec(e->db, seed_sql) == HM_OK &&
		  hm_db_services_read(e->db, 1, &e->service) == HM_OK;
	hm_log_set_level(HM_LOG_INFO);
	if (!ok) {
		fprintf(stderr, "powercut: cannot set up %s: %s\n", e->path,
			why_not ? why_not : "see above");
		return false;
	}
	crashvfs_settle(); /* the business exists before the first cut */
	return true;
}

static void epoch_end(struct epoch *e)
{
	hm_db_close(e->db);
	e->db = NULL;
	remove_files(e->path);
	crashvfs_forget();
}

/* Plans and runs one write; false when no write could be made. */
static bool one_write(struct epoch *e, int group, struct write **out)
{
	int total = 0;
	for (int k = 0; k < KIND_COUNT; k++)
		total += kinds[k].weight;
	struct write *w = &e->writes[e->n_writes];
	for (int tries = 0; tries < 8; tries++) {
		int roll = (int)pick(e, total), k = 0;
		while (roll >= kinds[k].weight)
			roll -= kinds[k++].weight;
		int64_t slot = e->next_slot;
		memset(w, 0, sizeof *w);
		w->kind = k;
		w->group = group;
		w->from = -1;
		w->now = e->next_now;
		w->client_id = 1 + pick(e, CLIENTS);
		w->tutor_id = 1 + pick(e, TUTORS);
		if (!kinds[k].plan(e, w)) {
			e->next_slot = slot;
			continue;
		}
		e->next_now++;
		e->n_writes++;
		enum hm_err err = kinds[k].run(e, w);
		w->state = err == kinds[k].expect && err != HM_OK ? W_REFUSED
			   : err == HM_OK                         ? W_ACKED
								  : W_INFLIGHT;
		if (w->state == W_INFLIGHT && !crashvfs_is_cut()) {
			fprintf(stderr, "powercut: %s answered %d with the power on\n",
				kinds[k].name, (int)err);
			check_failures++;
		}
		*out = w;
		return true;
	}
	return false;
}

/* A round: writes until the power goes out (or all are done, then it goes out). */
static void round_of_writes(struct run *r, struct epoch *e, bool armed)
{
	int writes = 1 + (int)pick(e, WRITES_MAX);
	bool batches = pick(e, 2);
	double estimate = r->fig.ops_per_write > 1 ? r->fig.ops_per_write : 10;
	uint64_t span = (uint64_t)(estimate * writes * 1.2) + 2;
	uint64_t ops_before = crashvfs_ops();
	int done = 0;
	crashvfs_arm(armed ? 1 + (uint64_t)pick(e, (int64_t)span) : 0, pick(e, 2));
	while (done < writes && !crashvfs_is_cut()) {
		int group = ++e->groups;
		struct write *w = NULL;
		if (!batches) {
			if (!one_write(e, group, &w))
				break;
			done++;
			continue;
		}
		/* Group commit as the writer thread does it: each write in its savepoint,
		 * all of them answered only after the batch's COMMIT. */
		if (hm_db_batch_begin(e->db) != HM_OK)
			break;
		int first = e->n_writes, size = 1 + (int)pick(e, 4);
		for (int i = 0; i < size && done < writes && !crashvfs_is_cut(); i++)
			if (one_write(e, group, &w))
				done++;
		bool durable = hm_db_batch_commit(e->db) == HM_OK;
		for (int i = first; i < e->n_writes; i++) {
			struct write *b = &e->writes[i];
			if (b->state == W_ACKED && !durable)
				b->state = W_INFLIGHT;
			else if (b->state == W_INFLIGHT && durable)
				check_failures++; /* cannot be: the batch committed without it */
		}
		if (!durable && !crashvfs_is_cut()) {
			fprintf(stderr, "powercut: a batch failed with the power on\n");
			check_failures++;
		}
	}
	if (!crashvfs_is_cut()) {
		uint64_t used = crashvfs_ops() - ops_before;
		r->fig.writes += (uint64_t)done;
		if (done)
			r->fig.ops_per_write = r->fig.ops_per_write
						       ? 0.9 * r->fig.ops_per_write +
								 0.1 * ((double)used / done)
						       : (double)used / done;
		crashvfs_cut(); /* between transactions */
	}
}

/* After the cut: what the disk must hold. Returns the number of problems. */
static int verify(struct run *r, struct epoch *e)
{
	int problems = 0;
	sqlite3_stmt *stmt = NULL;
	sqlite3 *h = hm_db_handle(e->db);
	if (sqlite3_prepare_v2(h, "PRAGMA integrity_check", -1, &stmt, NULL) != SQLITE_OK) {
		problem(r, e, &problems, "integrity_check: %s", sqlite3_errmsg(h));
		return problems;
	}
	int rows = 0;
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		const char *text = (const char *)sqlite3_column_text(stmt, 0);
		if (rows++ || !text || strcmp(text, "ok") != 0)
			problem(r, e, &problems, "integrity_check: %s", text ? text : "(null)");
	}
	sqlite3_finalize(stmt);
	if (rows == 0)
		problem(r, e, &problems, "integrity_check: %s", sqlite3_errmsg(h));
	if (problems)
		return problems;

	/* The writes in flight, group by group: a transaction is all or nothing. */
	int64_t lessons = 0, contracts = 0;
	int last_group = -1;
	enum found group_found = ABSENT;
	for (int i = 0; i < e->n_writes; i++) {
		struct write *w = &e->writes[i];
		const struct write_kind *k = &kinds[w->kind];
		if (w->state == W_GONE)
			continue;
		enum found f = k->find(e, w);
		switch (w->state) {
		case W_ACKED:
			r->fig.verified++;
			if (f != WHOLE)
				problem(r, e, &problems,
					"acknowledged %s (created_at %" PRId64 ") %s", k->name,
					w->now, f == ABSENT ? "lost" : why);
			break;
		case W_REFUSED:
			r->fig.refusals_verified++;
			if (f != ABSENT)
				problem(r, e, &problems, "refused %s left rows behind", k->name);
			break;
		case W_INFLIGHT:
			if (k->expect != HM_OK) { /* a refusal in flight: never any rows */
				if (f != ABSENT)
					problem(r, e, &problems, "refused %s left rows behind",
						k->name);
				w->state = W_GONE;
				break;
			}
			if (f == BROKEN) {
				problem(r, e, &problems, "%s in flight is half there: %s", k->name,
					why);
				break;
			}
			if (w->group == last_group && f != group_found)
				problem(r, e, &problems, "a batch is half there (%s)", k->name);
			last_group = w->group;
			group_found = f;
			if (f == WHOLE) {
				w->state = W_ACKED; /* on the disk now: from here on it must stay */
				r->fig.inflight_whole++;
				r->fig.acked++;
			} else {
				w->state = W_GONE;
				r->fig.inflight_gone++;
				if (w->from >= 0)
					e->writes[w->from].drawn--;
			}
			break;
		case W_GONE: break;
		}
		if (w->state == W_ACKED) {
			lessons += w->n;
			contracts += w->makes_contract;
		}
	}
	/* Nothing nobody wrote. */
	int64_t found_lessons = scalar(e->db, "SELECT count(*) FROM lessons");
	int64_t found_contracts = scalar(e->db, "SELECT count(*) FROM contracts");
	if (found_lessons != lessons || found_contracts != contracts)
		problem(r, e, &problems,
			"%" PRId64 " lessons and %" PRId64 " contracts, %" PRId64 " and %" PRId64
			" written",
			found_lessons, found_contracts, lessons, contracts);
	for (int i = 0; i < INVARIANT_COUNT; i++) {
		int64_t broken = scalar(e->db, invariants[i].sql);
		if (broken != 0)
			problem(r, e, &problems, "%s: %" PRId64, invariants[i].name, broken);
	}
	return problems;
}

/* cuts power cuts; returns the number of cuts after which a check failed. */
static int run_cuts(struct run *r, int cuts, time_t deadline)
{
	struct epoch *e = calloc(1, sizeof *e);
	int epoch_number = 0;
	if (!e)
		return cuts;
	r->rng = r->seed;
	while (r->fig.cuts < cuts) {
		if (time(NULL) > deadline) {
			fprintf(stderr, "powercut: out of time after %d cuts\n", r->fig.cuts);
			r->fig.failed_cuts++;
			break;
		}
		if (!e->db && !epoch_start(r, e, ++epoch_number)) {
			r->fig.failed_cuts++;
			break;
		}
		for (int c = 0; c < CUTS_PER_EPOCH && r->fig.cuts < cuts; c++) {
			int first = e->n_writes;
			/* Now and then a clean restart first: the last connection's close
			 * checkpoints and deletes the WAL (without syncing the directory),
			 * the next open makes a new one. */
			if (c > 0 && pick(e, 8) == 0) {
				hm_db_close(e->db);
				r->fig.restarts++;
				if (!(e->db = open_db(r, e->path))) {
					r->fig.failed_cuts++;
					break;
				}
			}
			hm_log_set_level((enum hm_log_level)(HM_LOG_ERROR + 1));
			/* An epoch's first round runs to its end: it measures how many
			 * operations a write takes, and cuts between transactions. */
			round_of_writes(r, e, c > 0);
			hm_db_close(e->db); /* nothing reaches the files any more */
			e->db = NULL;
			uint64_t cut_seed = crashvfs_random(&r->rng);
			if (crashvfs_power_cut(cut_seed, &r->fig.loss) != 0) {
				fprintf(stderr, "powercut: cannot write the surviving files: %s\n",
					strerror(errno));
				r->fig.failed_cuts++;
				break;
			}
			hm_log_set_level(HM_LOG_INFO);
			r->fig.cuts++;
			for (int i = first; i < e->n_writes; i++) {
				if (e->writes[i].state == W_ACKED)
					r->fig.acked++;
				if (e->writes[i].state == W_INFLIGHT) {
					r->fig.cuts_in_flight++;
					break;
				}
			}
			e->db = open_db(r, e->path);
			int problems = e->db ? verify(r, e) : 1;
			if (!e->db && !r->quiet)
				fprintf(stderr,
					"powercut: seed %" PRIu64 ", cut %d: %s does not open\n",
					r->seed, r->fig.cuts, e->path);
			if (problems) {
				r->fig.failed_cuts++;
				if (!r->quiet)
					fprintf(stderr,
						"powercut: replay with HM_POWERCUT_SEED=%" PRIu64
						" (cut seed %" PRIu64 ")\n",
						r->seed, cut_seed);
				break; /* the database is not what the rest assumes */
			}
		}
		if (e->db) {
			epoch_end(e);
		} else {
			remove_files(e->path);
			crashvfs_forget();
		}
		if (r->fig.failed_cuts && !r->quiet)
			break;
		memset(e, 0, sizeof *e);
	}
	free(e);
	return r->fig.failed_cuts;
}

static uint64_t env_number(const char *name, uint64_t otherwise)
{
	const char *text = getenv(name);
	if (!text || !*text)
		return otherwise;
	char *end = NULL;
	unsigned long long v = strtoull(text, &end, 10);
	return end && *end == '\0' ? (uint64_t)v : otherwise;
}

int main(void)
{
	const char *tmp = getenv("TMPDIR");
	char dir[512];
	snprintf(dir, sizeof dir, "%s/hm-powercut-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (crashvfs_install() != SQLITE_OK || !mkdtemp(dir)) {
		fprintf(stderr, "powercut: cannot set up\n");
		return 1;
	}
	time_t deadline = time(NULL) + DEADLINE_SECONDS;

	/* The control: a disk that acknowledges syncs it does not do must lose
	 * acknowledged writes, and this harness must say so. */
	struct run control = {.dir = dir, .seed = 19, .quiet = true};
	crashvfs_set_lying_sync(true);
	run_cuts(&control, CONTROL_CUTS, deadline);
	crashvfs_set_lying_sync(false);
	fprintf(stderr, "control (a sync that lies): loss seen after %d of %d cuts, first: %s\n",
		control.fig.failed_cuts, control.fig.cuts, control.first_problem);
	CHECK(control.fig.failed_cuts > 0);

	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	uint64_t fallback = (uint64_t)now.tv_sec * 1000003u ^ (uint64_t)now.tv_nsec ^
			    (uint64_t)getpid() << 32;
	struct run r = {
		.dir = dir,
		.seed = env_number("HM_POWERCUT_SEED", fallback),
	};
	const char *synchronous = getenv("HM_POWERCUT_SYNCHRONOUS");
	if (synchronous && (strcmp(synchronous, "OFF") == 0 || strcmp(synchronous, "NORMAL") == 0))
		r.synchronous = synchronous;
	int cuts = (int)env_number("HM_POWERCUT_CUTS", CUTS_DEFAULT);
	int failed = run_cuts(&r, cuts, deadline);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	fprintf(stderr,
		"powercut: seed %" PRIu64 "%s%s: %d power cuts (%d inside a write), %" PRIu64
		" writes acknowledged, %" PRIu64 " checks of an acknowledged write, %" PRIu64
		" refusals found empty, in flight: %" PRIu64 " whole, %" PRIu64
		" gone; unsynced 512-byte pieces %" PRIu64 " kept, %" PRIu64 " dropped, %" PRIu64
		" torn; %" PRIu64 " creations/deletions/truncations kept, %" PRIu64
		" dropped; %d clean restarts between cuts; %.0f VFS operations a write; %.1f s\n",
		r.seed, r.synchronous ? ", synchronous=" : "", r.synchronous ? r.synchronous : "",
		r.fig.cuts, r.fig.cuts_in_flight, r.fig.acked, r.fig.verified,
		r.fig.refusals_verified, r.fig.inflight_whole, r.fig.inflight_gone,
		r.fig.loss.pieces_kept, r.fig.loss.pieces_dropped, r.fig.loss.sectors_torn,
		r.fig.loss.other_kept, r.fig.loss.other_dropped, r.fig.restarts,
		r.fig.ops_per_write, seconds);
	CHECK_INT(failed, 0);
	CHECK_INT(r.fig.cuts, cuts);
	if (cuts >= CUTS_DEFAULT) { /* the cases that matter did happen */
		CHECK(r.fig.loss.sectors_torn > 0);
		CHECK(r.fig.cuts_in_flight > 0);
		CHECK(r.fig.inflight_whole > 0);
		CHECK(r.fig.restarts > 0);
	}
	if (rmdir(dir) != 0)
		fprintf(stderr, "powercut: rmdir %s: %s\n", dir, strerror(errno));
	return CHECK_EXIT();
}
