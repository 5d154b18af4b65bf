// SPDX-License-Identifier: MIT
// Waitlists (API.md, "Waitlists"): a student joins the line of a full event or of
// a full group session, leaves it, accepts a seat offered from it, and sees every
// line it is in (GET /me/waitlist). The handlers check the request (a session must
// be a group session on the tutor's grid, still to come) and call
// src/db/waitlists.c once; who gets a freed place is decided there, under the
// write lock, and by the triggers of sql/0008_waitlists.sql.
#include <string.h>

#include "harreman/api.h"
#include "harreman/app.h"
#include "harreman/db_clients.h"
#include "harreman/db_services.h"
#include "harreman/db_tutors.h"
#include "harreman/db_waitlists.h"
#include "harreman/hours.h"
#include "harreman/limits.h"
#include "harreman/outbox.h"
#include "harreman/sender.h"
#include "harreman/slots.h"
#include "harreman/timefmt.h"
#include "harreman/validate.h"
#include "harreman/banned.h"

/* A 409 with the db layer's reason (static text), or any other result. */
static void reply_written(struct hm_reply *reply, enum hm_err err, int status, json_t *out,
			  const char *why)
{
	if (err == HM_ERR_CONFLICT && why) {
		json_decref(out);
		hm_reply_error(reply, err, why);
	} else {
		hm_api_reply_result(reply, err, status, out);
	}
}

/* ---- events ------------------------------------------------------------------ */

void hm_api_events_waitlist_join(struct hm_request *req, struct hm_reply *reply)
{
	int64_t client = 0;
	json_t *out = NULL;
	const char *why = NULL;

	if (!hm_api_learner_or_reply(req, reply, &client) ||
	    !hm_api_learner_body_or_reply(req, reply))
		return;
	enum hm_err err = hm_db_waitlists_join_event(req->db, req->path_ids[0], client,
						     &HM_ACTOR(req), &out, &why);
	reply_written(reply, err, 201, out, why);
}

void hm_api_events_waitlist_leave(struct hm_request *req, struct hm_reply *reply)
{
	int64_t client = 0;

	if (!hm_api_learner_or_reply(req, reply, &client))
		return;
	enum hm_err err = hm_db_waitlists_leave_event(req->db, req->path_ids[0], client,
						      &HM_ACTOR(req));
	if (err == HM_OK)
		hm_reply_no_content(reply);
	else
		hm_api_reply_err(reply, err);
}

/* ---- group sessions ------------------------------------------------------------ */

/* Whether k.starts_at is a slot of the tutor's grid for svc at all (taken or not). */
static enum hm_err on_grid(struct hm_request *req, const struct hm_service *svc,
			   const struct hm_session_key *k, bool *found)
{
	struct hm_slot_query q;
	struct hm_slot slot;
	int64_t day;
	int weekday;
	hm_local_day(k->starts_at, &day, &weekday);
	enum hm_err err = hm_db_tutors_slot_query(req->db, k->tutor_id, svc, day, day, req->now,
						  &q);
	if (err != HM_OK)
		return err;
	q.n_booked = 0;
	*found = hm_slots_find(&q, k->starts_at, &slot);
	hm_db_tutors_slot_query_release(&q);
	return HM_OK;
}

/* The body {service_id, tutor_id, starts_at}: a group session the tutor gives,
 * on the grid, still to come. Answers 422 (false) otherwise. */
static bool read_session_or_reply(struct hm_request *req, struct hm_reply *reply,
				  struct hm_session_key *k)
{
	static const char *const allowed[] = {"service_id", "tutor_id", "starts_at", "client_id",
					      NULL};
	static const char *const read_only[] = {
		"id", "kind", "position", "state", "offer_expires_at", "title", NULL};
	struct hm_validation v;
	struct hm_service svc;
	const char *starts_text = NULL;

	memset(k, 0, sizeof *k);
	hm_validation_init(&v);
	hm_validate_known(&v, req->json, allowed, read_only);
	hm_validate_int(&v, req->json, "service_id", true, 1, INT64_MAX, &k->service_id, NULL);
	hm_validate_int(&v, req->json, "tutor_id", true, 1, INT64_MAX, &k->tutor_id, NULL);
	hm_validate_text(&v, req->json, "starts_at", true, 40, &starts_text);
	if (starts_text && !hm_time_parse(starts_text, &k->starts_at))
		hm_validation_fail(&v, "starts_at", "must be an RFC 3339 instant");
	else if (starts_text && k->starts_at <= req->now)
		hm_validation_fail(&v, "starts_at", "must be in the future");
	else if (starts_text && k->starts_at > req->now + (int64_t)HM_BOOKING_HORIZON_DAYS * 86400)
		hm_validation_fail(&v, "starts_at", "is too far ahead");
	if (hm_validation_ok(&v)) {
		enum hm_err err = hm_db_services_read(req->db, k->service_id, &svc);
		bool teaches = false, private = err == HM_OK && strcmp(svc.kind, "private") == 0;
		if (err == HM_OK && svc.active && !private)
			err = hm_db_tutors_teaches(req->db, k->tutor_id, svc.subject, &teaches);
		if (err == HM_ERR_NOT_FOUND || (err == HM_OK && !svc.active))
			hm_validation_fail(&v, "service_id", "no such service");
		else if (err != HM_OK)
			v.oom = true;
		else if (private)
			hm_validation_fail(&v, "service_id",
					   "waiting lists are for group sessions; a private"
					   " lesson has other slots");
		else if (!teaches)
			hm_validation_fail(&v, "tutor_id",
					   "this tutor does not teach this service");
	}
	if (hm_validation_ok(&v)) {
		bool found = false;
		if (on_grid(req, &svc, k, &found) != HM_OK)
			v.oom = true;
		else if (!found)
			hm_validation_fail(&v, "starts_at",
					   "is not a session of this tutor and service");
	}
	return hm_api_validation_ok_or_reply(reply, &v);
}

void hm_api_waitlist_join(struct hm_request *req, struct hm_reply *reply)
{
	struct hm_session_key k;
	int64_t client = 0;
	json_t *out = NULL;
	const char *why = NULL;

	if (!hm_api_learner_or_reply(req, reply, &client) || !read_session_or_reply(req, reply, &k))
		return;
	enum hm_err err = hm_db_waitlists_join_slot(req->db, &k, client, &HM_ACTOR(req), &out,
						    &why);
	reply_written(reply, err, 201, out, why);
}

void hm_api_waitlist_accept(struct hm_request *req, struct hm_reply *reply)
{
	struct hm_outbox_env env;
	int64_t client = 0;
	json_t *out = NULL;
	const char *why = NULL;

	if (!hm_api_learner_or_reply(req, reply, &client) ||
	    !hm_api_learner_body_or_reply(req, reply))
		return;
	hm_outbox_env_of(&req->app->cfg, &env);
	enum hm_err err = hm_db_waitlists_accept(req->db, req->path_ids[0], client, &HM_ACTOR(req),
						 &env, &out, &why);
	reply_written(reply, err, 201, out, why);
	if (err == HM_OK)
		hm_sender_wake(req->app->sender);
}

void hm_api_waitlist_leave(struct hm_request *req, struct hm_reply *reply)
{
	struct hm_outbox_env env;
	int64_t client = 0;

	if (!hm_api_learner_or_reply(req, reply, &client))
		return;
	hm_outbox_env_of(&req->app->cfg, &env);
	enum hm_err err = hm_db_waitlists_leave(req->db, req->path_ids[0], client, &HM_ACTOR(req),
						&env);
	if (err == HM_OK) {
		hm_reply_no_content(reply);
		hm_sender_wake(req->app->sender); /* an offer passed on */
	} else {
		hm_api_reply_err(reply, err);
	}
}

/* ---- reading ------------------------------------------------------------------- */

void hm_api_me_waitlist(struct hm_request *req, struct hm_reply *reply)
{
	int64_t client = 0;
	json_t *items = NULL;

	if (!hm_api_learner_or_reply(req, reply, &client))
		return;
	enum hm_err err = hm_db_waitlists_mine(req->db, client, req->now, &items);
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		return;
	}
	hm_api_reply_page(reply, items, 0);
}
