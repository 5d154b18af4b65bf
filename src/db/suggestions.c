// SPDX-License-Identifier: MIT
// What GET /me/suggestions reads (include/harreman/db_suggestions.h): a student's
// loyalty count and the tiers, its active subscriptions, its dedicated tutor and
// that tutor's free slots this week (counted with the slot rules), the subjects of
// its services, upcoming events in them and its lessons, gathered into the pure
// rules' input with each candidate's params. Reads only; the rules decide.
#include <stdlib.h>
#include <string.h>

#include "harreman/db_clients.h"
#include "harreman/db_contracts.h"
#include "harreman/db_services.h"
#include "harreman/db_tutors.h"
#include "harreman/db_suggestions.h"
#include "harreman/hours.h"
#include "harreman/limits.h"
#include "harreman/slots.h"
#include "harreman/timefmt.h"
#include "harreman/banned.h"

static json_t *time_json(int64_t t)
{
	char text[HM_RFC3339_LEN];
	hm_time_format(t, text);
	return json_string(text);
}

static void copy_subject(char out[HM_SUGGEST_SUBJECT_LEN], const unsigned char *text)
{
	size_t len = text ? strlen((const char *)text) : 0;
	if (len >= HM_SUGGEST_SUBJECT_LEN)
		len = HM_SUGGEST_SUBJECT_LEN - 1;
	if (len)
		memcpy(out, text, len);
	out[len] = '\0';
}

static enum hm_err read_client(struct hm_db *db, int64_t client_id, struct hm_suggest_data *g)
{
	static const char client_sql[] =
		"SELECT assistance = 'dedicated', coalesce(tutor_id, 0) FROM clients WHERE id = ?1";
	/* The family's contracts not cancelled (sql/0010): its next discount. */
	static const char count_sql[] =
		"SELECT coalesce((SELECT f.active_contracts FROM clients c JOIN families f"
		" ON f.id = c.family_id WHERE c.id = ?1), 0)";
	sqlite3_stmt *client = hm_db_stmt(db, client_sql);
	sqlite3_stmt *count = hm_db_stmt(db, count_sql);
	enum hm_err err = HM_ERR_INTERNAL;
	if (!client || !count)
		goto out;
	sqlite3_bind_int64(client, 1, client_id);
	int rc = sqlite3_step(client);
	if (rc != SQLITE_ROW) {
		err = rc == SQLITE_DONE ? HM_ERR_NOT_FOUND : hm_db_fail(db, "suggestions client");
		goto out;
	}
	g->in.dedicated = sqlite3_column_int(client, 0) != 0;
	g->in.tutor_id = sqlite3_column_int64(client, 1);
	sqlite3_bind_int64(count, 1, client_id);
	if (sqlite3_step(count) != SQLITE_ROW) {
		err = hm_db_fail(db, "suggestions contracts");
		goto out;
	}
	g->in.contracts = sqlite3_column_int(count, 0);
	err = hm_db_contracts_tiers(db, g->tiers, &g->in.n_tiers);
	g->in.tiers = g->tiers;
out:
	hm_db_done(client);
	hm_db_done(count);
	return err;
}

/* Takes the current row of a list read into g's next entry; false when out of
 * memory. */
typedef bool take_fn(sqlite3_stmt *stmt, struct hm_suggest_data *g, size_t i);

/* Steps stmt (bound, its LIMIT max) and takes each row as entry *n, *n + 1, ...
 * while there is room; hands stmt back. */
static enum hm_err take_rows(struct hm_db *db, sqlite3_stmt *stmt, take_fn *take,
			     struct hm_suggest_data *g, size_t *n, size_t max, const char *what)
{
	enum hm_err err = HM_OK;
	int rc = SQLITE_DONE;
	while (*n < max && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (!take(stmt, g, *n)) {
			err = HM_ERR_INTERNAL;
			break;
		}
		(*n)++;
	}
	if (err == HM_OK && rc != SQLITE_ROW && rc != SQLITE_DONE)
		err = hm_db_fail(db, what);
	hm_db_done(stmt);
	return err;
}

static bool take_subscription(sqlite3_stmt *stmt, struct hm_suggest_data *g, size_t i)
{
	g->in.subscriptions[i] = (struct hm_suggest_subscription){
		.contract_id = sqlite3_column_int64(stmt, 0),
		.subscription = sqlite3_column_int(stmt, 1) != 0,
		.active = sqlite3_column_int(stmt, 2) != 0,
		.sessions_total = sqlite3_column_int(stmt, 3),
		.sessions_used = sqlite3_column_int(stmt, 4),
	};
	g->subscription_params[i] = json_pack(
		"{s:I, s:I, s:s}", "contract_id", (json_int_t)sqlite3_column_int64(stmt, 0),
		"service_id", (json_int_t)sqlite3_column_int64(stmt, 5), "service_name",
		(const char *)sqlite3_column_text(stmt, 6));
	return g->subscription_params[i] != NULL;
}

static enum hm_err read_subscriptions(struct hm_db *db, int64_t client_id,
				      struct hm_suggest_data *g)
{
	static const char sql[] =
		"SELECT k.id, k.kind = 'subscription', k.status = 'active', k.sessions_total,"
		" k.sessions_used, k.service_id, s.name FROM contracts k"
		" JOIN services s ON s.id = k.service_id WHERE k.client_id = ?1"
		" AND k.kind = 'subscription' AND k.status = 'active' ORDER BY k.id LIMIT ?2";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, client_id);
	sqlite3_bind_int(stmt, 2, HM_SUGGEST_MAX_SUBSCRIPTIONS);
	return take_rows(db, stmt, take_subscription, g, &g->in.n_subscriptions,
			 HM_SUGGEST_MAX_SUBSCRIPTIONS, "suggestions subscriptions");
}

/* The student's own tutor (an active tutor) and its free slots this week for the
 * service the student last bought from it (else the first one it teaches, a
 * private lesson first). */
static enum hm_err read_tutor(struct hm_db *db, int64_t client_id, int64_t now,
			      struct hm_suggest_data *g)
{
	static const char sql[] =
		"SELECT u.full_name, (SELECT s.id FROM services s WHERE s.active = 1"
		"   AND s.subject IN (SELECT subject FROM tutor_subjects WHERE tutor_id = u.id)"
		"   ORDER BY coalesce((SELECT max(k.id) FROM contracts k WHERE k.client_id = ?2"
		"     AND k.service_id = s.id AND k.status <> 'cancelled'), 0) DESC,"
		"     s.kind = 'private' DESC, s.id LIMIT 1)"
		" FROM users u JOIN tutors t ON t.user_id = u.id"
		" WHERE u.id = ?1 AND u.active = 1 AND u.role IN ('staff', 'admin')";
	static const char name_sql[] = "SELECT name FROM services WHERE id = ?1";
	enum hm_err err = HM_ERR_INTERNAL;
	struct hm_slot *slots = NULL;
	struct hm_service svc;
	char *tutor_name = NULL, *service_name = NULL;
	int64_t service_id = 0, today;
	int weekday, rc;

	if (!g->in.dedicated || !g->in.tutor_id)
		return HM_OK;
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		goto out;
	sqlite3_bind_int64(stmt, 1, g->in.tutor_id);
	sqlite3_bind_int64(stmt, 2, client_id);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		tutor_name = hm_db_column_strdup(stmt, 0);
		service_id = sqlite3_column_int64(stmt, 1);
	}
	hm_db_done(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		err = hm_db_fail(db, "suggestions tutor");
		goto out;
	}
	if (rc == SQLITE_DONE || !service_id) {
		err = HM_OK; /* not an active tutor, or nothing to book with it */
		goto out;
	}
	if (!tutor_name)
		goto out;
	if (!(stmt = hm_db_stmt(db, name_sql)))
		goto out;
	sqlite3_bind_int64(stmt, 1, service_id);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		service_name = hm_db_column_strdup(stmt, 0);
	hm_db_done(stmt);
	if (!service_name || (err = hm_db_services_read(db, service_id, &svc)) != HM_OK)
		goto out;
	err = HM_ERR_INTERNAL;

	/* "This week" is what GET /slots shows by default: today and six days more. */
	struct hm_slot_query q;
	hm_local_day(now, &today, &weekday);
	if ((err = hm_db_tutors_slot_query(db, g->in.tutor_id, &svc, today,
					   today + HM_SUGGEST_WEEK_DAYS - 1, now, &q)) != HM_OK)
		goto out;
	err = HM_ERR_INTERNAL;
	slots = malloc(HM_SLOTS_GENERATE_MAX * sizeof *slots);
	size_t n = slots ? hm_slots_generate(&q, slots, HM_SLOTS_GENERATE_MAX) : 0;
	hm_db_tutors_slot_query_release(&q);
	if (!slots)
		goto out;
	g->in.tutor_service_id = service_id;
	g->in.free_slots = n > INT32_MAX ? INT32_MAX : (int)n;
	g->tutor_params = json_pack("{s:I, s:s, s:I, s:s, s:i, s:o}", "tutor_id",
				    (json_int_t)g->in.tutor_id, "tutor_name", tutor_name,
				    "service_id", (json_int_t)service_id, "service_name",
				    service_name, "free_slots", g->in.free_slots, "first_starts_at",
				    n ? time_json(slots[0].starts) : json_null());
	if (g->tutor_params)
		err = HM_OK;
out:
	free(slots);
	free(tutor_name);
	free(service_name);
	return err;
}

/* The subjects of the student's services (bought or booked, any status). */
#define CLIENT_SUBJECTS                                                                    \
	"SELECT s.subject FROM services s WHERE s.id IN (SELECT service_id FROM contracts" \
	" WHERE client_id = ?1 UNION SELECT service_id FROM lessons WHERE client_id = ?1)"

static bool take_subject(sqlite3_stmt *stmt, struct hm_suggest_data *g, size_t i)
{
	copy_subject(g->in.subjects[i], sqlite3_column_text(stmt, 0));
	return true;
}

static enum hm_err read_subjects(struct hm_db *db, int64_t client_id, struct hm_suggest_data *g)
{
	static const char sql[] = "SELECT DISTINCT subject FROM (" CLIENT_SUBJECTS ")"
				  " ORDER BY subject LIMIT ?2";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, client_id);
	sqlite3_bind_int(stmt, 2, HM_SUGGEST_MAX_SUBJECTS);
	return take_rows(db, stmt, take_subject, g, &g->in.n_subjects, HM_SUGGEST_MAX_SUBJECTS,
			 "suggestions subjects");
}

static bool take_event(sqlite3_stmt *stmt, struct hm_suggest_data *g, size_t i)
{
	struct hm_suggest_event *e = &g->in.events[i];
	e->id = sqlite3_column_int64(stmt, 0);
	e->starts_at = sqlite3_column_int64(stmt, 1);
	copy_subject(e->subject, sqlite3_column_text(stmt, 2));
	e->places_left = sqlite3_column_int(stmt, 3);
	e->registered = sqlite3_column_int(stmt, 4) != 0;
	g->event_params[i] = json_pack(
		"{s:I, s:s, s:s, s:s, s:o, s:i}", "event_id", (json_int_t)e->id, "title",
		(const char *)sqlite3_column_text(stmt, 5), "kind",
		(const char *)sqlite3_column_text(stmt, 6), "subject", e->subject, "starts_at",
		time_json(e->starts_at), "places_left", e->places_left > 0 ? e->places_left : 0);
	return g->event_params[i] != NULL;
}

static enum hm_err read_events(struct hm_db *db, int64_t client_id, int64_t now,
			       struct hm_suggest_data *g)
{
	/* Candidates in the student's subjects; the rules decide which to show. */
	static const char sql[] =
		"SELECT e.id, e.starts_at, coalesce(e.subject, ''), e.capacity - (SELECT count(*)"
		"   FROM event_registrations r WHERE r.event_id = e.id),"
		" EXISTS (SELECT 1 FROM event_registrations r WHERE r.event_id = e.id"
		"   AND r.client_id = ?1), e.title, e.kind FROM events e"
		" WHERE e.starts_at > ?2 AND e.starts_at <= ?3 AND e.subject IN (" CLIENT_SUBJECTS
		")"
		" ORDER BY e.starts_at, e.id LIMIT ?4";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, client_id);
	sqlite3_bind_int64(stmt, 2, now);
	sqlite3_bind_int64(stmt, 3, now + (int64_t)HM_SUGGEST_EVENT_DAYS * 86400);
	sqlite3_bind_int(stmt, 4, HM_SUGGEST_MAX_EVENTS);
	return take_rows(db, stmt, take_event, g, &g->in.n_events, HM_SUGGEST_MAX_EVENTS,
			 "suggestions events");
}

static enum hm_err read_lessons(struct hm_db *db, int64_t client_id, int64_t now,
				struct hm_suggest_data *g)
{
	static const char last_sql[] =
		"SELECT id, service_id, tutor_id, starts_at, ends_at FROM lessons"
		" WHERE client_id = ?1 AND status = 'booked' AND ends_at <= ?2"
		" ORDER BY ends_at DESC, id DESC LIMIT 1";
	static const char next_sql[] =
		"SELECT coalesce(min(starts_at), 0) FROM lessons"
		" WHERE client_id = ?1 AND status = 'booked' AND ends_at > ?2";
	enum hm_err err = HM_ERR_INTERNAL;
	sqlite3_stmt *last = hm_db_stmt(db, last_sql);
	sqlite3_stmt *next = hm_db_stmt(db, next_sql);
	int rc;
	if (!last || !next)
		goto out;
	sqlite3_bind_int64(last, 1, client_id);
	sqlite3_bind_int64(last, 2, now);
	rc = sqlite3_step(last);
	if (rc == SQLITE_ROW) {
		g->in.last_lesson_ends = sqlite3_column_int64(last, 4);
		g->lesson_params = json_pack(
			"{s:I, s:I, s:I, s:o}", "lesson_id",
			(json_int_t)sqlite3_column_int64(last, 0), "service_id",
			(json_int_t)sqlite3_column_int64(last, 1), "tutor_id",
			(json_int_t)sqlite3_column_int64(last, 2), "last_lesson_at",
			time_json(sqlite3_column_int64(last, 3)));
		if (!g->lesson_params)
			goto out;
	} else if (rc != SQLITE_DONE) {
		err = hm_db_fail(db, "suggestions last lesson");
		goto out;
	}
	sqlite3_bind_int64(next, 1, client_id);
	sqlite3_bind_int64(next, 2, now);
	if (sqlite3_step(next) != SQLITE_ROW) {
		err = hm_db_fail(db, "suggestions next lesson");
		goto out;
	}
	g->in.next_lesson_starts = sqlite3_column_int64(next, 0);
	err = HM_OK;
out:
	hm_db_done(last);
	hm_db_done(next);
	return err;
}

/* The family of client: a subscription of any member with every session used, and
 * the families brought with its referral code (sql/0010, sql/0011). */
static enum hm_err read_family(struct hm_db *db, int64_t client, struct hm_suggest_data *d)
{
	static const char sql[] =
		"SELECT EXISTS (SELECT 1 FROM contracts k JOIN clients o ON o.id = k.client_id"
		"   WHERE o.family_id = c.family_id AND k.kind = 'subscription'"
		"   AND k.status = 'active' AND k.sessions_used = k.sessions_total),"
		" (SELECT count(*) FROM families b WHERE b.referred_by = c.family_id)"
		" FROM clients c WHERE c.id = ?1";
	sqlite3_stmt *stmt = hm_db_stmt(db, sql);
	if (!stmt)
		return HM_ERR_INTERNAL;
	sqlite3_bind_int64(stmt, 1, client);
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		d->in.family_subscription_done = sqlite3_column_int(stmt, 0) != 0;
		d->in.families_referred = sqlite3_column_int(stmt, 1);
	}
	hm_db_done(stmt);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? HM_OK : hm_db_fail(db, "suggestions family");
}

enum hm_err hm_db_suggestions_gather(struct hm_db *db, int64_t client, int64_t now,
				     struct hm_suggest_data *d)
{
	memset(d, 0, sizeof *d);
	d->in.now = now;
	enum hm_err err = read_client(db, client, d);
	if (err == HM_OK)
		err = read_subscriptions(db, client, d);
	if (err == HM_OK)
		err = read_tutor(db, client, now, d);
	if (err == HM_OK)
		err = read_subjects(db, client, d);
	if (err == HM_OK)
		err = read_events(db, client, now, d);
	if (err == HM_OK)
		err = read_lessons(db, client, now, d);
	if (err == HM_OK)
		err = read_family(db, client, d);
	return err;
}

void hm_db_suggestions_release(struct hm_suggest_data *d)
{
	for (size_t i = 0; i < HM_SUGGEST_MAX_SUBSCRIPTIONS; i++)
		json_decref(d->subscription_params[i]);
	for (size_t i = 0; i < HM_SUGGEST_MAX_EVENTS; i++)
		json_decref(d->event_params[i]);
	json_decref(d->tutor_params);
	json_decref(d->lesson_params);
	memset(d, 0, sizeof *d);
}
