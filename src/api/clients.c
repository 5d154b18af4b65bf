// SPDX-License-Identifier: MIT
// Clients: staff keep the records (also of phone and walk-in clients who never
// log in), search them, and log the contact history; a student reads its own
// record and changes its profile fields. Each handler checks its input, calls
// src/db/clients.c (the client object is hm_db_clients_json's) and answers.
#include <string.h>

#include "harreman/api.h"
#include "harreman/db_clients.h"
#include "harreman/db_partners.h"
#include "harreman/limits.h"
#include "harreman/taxid.h"
#include "harreman/validate.h"
#include "harreman/banned.h"

static const char *const assistances[] = {"personal", "dedicated", "self_service", NULL};
static const char *const paces[] = {"slow", "steady", "fast", NULL};
static const char *const channels[] = {"phone", "email", "web", "in_person", NULL};
static const char *const locales[] = {"eu", "es", "en", NULL};
static const char *const directions[] = {"in", "out", NULL};

/* A client body read: the db input, and the buffers its e-mails point into. */
struct client_form {
	struct hm_client_input in;
	char email[HM_MAX_EMAIL + 1];
	char guardian_email[HM_MAX_EMAIL + 1];
	char tax_id[HM_TAXID_LEN + 1];
};

/* The name of choice index i, NULL when it was not given (-1). */
static const char *choice(const char *const *names, int i)
{
	return i >= 0 ? names[i] : NULL;
}

static void read_guardian(struct hm_validation *v, json_t *guardian, struct client_form *f)
{
	static const char *const guardian_fields[] = {"full_name", "email", "phone", NULL};
	struct hm_validation g;
	bool p1 = false, p2 = false, gmail_present = false;
	hm_validation_init(&g);
	hm_validate_known(&g, guardian, guardian_fields, NULL);
	hm_validate_text_or_empty(&g, guardian, "full_name", HM_MAX_NAME, &f->in.guardian_name,
				  &p1);
	if (!json_is_null(json_object_get(guardian, "email")))
		hm_validate_email(&g, guardian, "email", false, f->guardian_email, &gmail_present);
	hm_validate_text_or_empty(&g, guardian, "phone", HM_MAX_PHONE, &f->in.guardian_phone, &p2);
	f->in.guardian_email = gmail_present ? f->guardian_email : NULL;
	if (!hm_validation_ok(&g))
		hm_validation_fail(v, "guardian",
				   "full_name (200), email (valid) and phone (40) only");
	hm_validation_release(&g);
}

/* tax_id (a Spanish NIF, NIE or CIF, stored in its canonical form) and
 * billing_address (one line), each null or "" to clear it. */
static void read_billing(struct hm_validation *v, json_t *body, struct client_form *f)
{
	struct hm_client_input *in = &f->in;
	hm_validate_text_or_empty(v, body, "tax_id", 20, &in->tax_id, &in->tax_id_present);
	if (in->tax_id && *in->tax_id) {
		if (hm_taxid_valid(in->tax_id, strlen(in->tax_id), f->tax_id))
			in->tax_id = f->tax_id;
		else
			hm_validation_fail(
				v, "tax_id",
				"must be a Spanish NIF, NIE or CIF with its check character");
	}
	if (in->tax_id && !*in->tax_id)
		in->tax_id = NULL;
	hm_validate_text_or_empty(v, body, "billing_address", HM_MAX_NAME, &in->billing_address,
				  &in->billing_present);
	if (in->billing_address && strpbrk(in->billing_address, "\r\n\t"))
		hm_validation_fail(v, "billing_address", "must be one line of text");
	if (in->billing_address && !*in->billing_address)
		in->billing_address = NULL;
}

/* Reads the fields allowed into f; staff get them all, a student only its
 * profile ones. */
static bool read_client_or_reply(struct hm_request *req, struct hm_reply *reply, bool create,
				 bool staff, struct client_form *f)
{
	static const char *const staff_fields[] = {
		"full_name",         "email",      "phone", "guardian",
		"assistance",        "tutor_id",   "level", "pace",
		"preferred_channel", "locale",     "notes", "tax_id",
		"billing_address",   "partner_id", NULL};
	static const char *const student_fields[] = {"full_name",         "phone",  "guardian",
						     "preferred_channel", "locale", NULL};
	static const char *const read_only[] = {"id",          "user_id",    "relationship",
						"loyalty",     "created_at", "family_id",
						"referred_by", NULL};
	static const char *const student_read_only[] = {
		"id",         "user_id",    "relationship",    "loyalty",   "created_at",
		"email",      "assistance", "tutor_id",        "level",     "pace",
		"notes",      "tax_id",     "billing_address", "family_id", "referred_by",
		"partner_id", NULL};
	struct hm_validation v;
	struct hm_client_input *in = &f->in;
	json_t *body = req->json;
	int assistance = -1, pace = -1, channel = -1, locale = -1;

	memset(f, 0, sizeof *f);
	hm_validation_init(&v);
	hm_validate_known(&v, body, staff ? staff_fields : student_fields,
			  staff ? read_only : student_read_only);
	hm_validate_text(&v, body, "full_name", create, HM_MAX_NAME, &in->full_name);
	json_t *email = json_object_get(body, "email");
	if (staff && json_is_null(email))
		in->email_present = true;
	else if (staff)
		hm_validate_email(&v, body, "email", false, f->email, &in->email_present);
	in->email = in->email_present && f->email[0] ? f->email : NULL;
	hm_validate_text_or_empty(&v, body, "phone", HM_MAX_PHONE, &in->phone, &in->phone_present);
	json_t *guardian = json_object_get(body, "guardian");
	in->guardian_present = guardian != NULL;
	if (guardian && !json_is_null(guardian) && !json_is_object(guardian))
		hm_validation_fail(&v, "guardian", "must be {full_name, email, phone} or null");
	else if (json_is_object(guardian))
		read_guardian(&v, guardian, f);
	if (staff) {
		hm_validate_enum(&v, body, "assistance", false, assistances, &assistance);
		json_t *tutor = json_object_get(body, "tutor_id");
		in->tutor_present = tutor != NULL;
		if (tutor && !json_is_null(tutor))
			hm_validate_int(&v, body, "tutor_id", false, 1, INT64_MAX, &in->tutor_id,
					NULL);
		hm_validate_text_or_empty(&v, body, "level", HM_MAX_LEVEL, &in->level,
					  &in->level_present);
		in->pace_present = json_object_get(body, "pace") != NULL;
		if (!json_is_null(json_object_get(body, "pace")))
			hm_validate_enum(&v, body, "pace", false, paces, &pace);
		hm_validate_text_or_empty(&v, body, "notes", HM_MAX_TEXT, &in->notes,
					  &in->notes_present);
		read_billing(&v, body, f);
		/* The family's partner (API.md v2, "Third parties"); null: none. */
		json_t *partner = json_object_get(body, "partner_id");
		in->partner_present = partner != NULL;
		if (partner && !json_is_null(partner))
			hm_validate_int(&v, body, "partner_id", false, 1, INT64_MAX,
					&in->partner_id, NULL);
		bool exists = true;
		if (in->partner_id && hm_validation_ok(&v) &&
		    hm_db_partners_exists(req->db, in->partner_id, &exists) != HM_OK)
			v.oom = true;
		else if (!exists)
			hm_validation_fail(&v, "partner_id", "no such partner");
	}
	in->channel_present = json_object_get(body, "preferred_channel") != NULL;
	if (!json_is_null(json_object_get(body, "preferred_channel")))
		hm_validate_enum(&v, body, "preferred_channel", false, channels, &channel);
	hm_validate_enum(&v, body, "locale", false, locales, &locale);
	in->assistance = choice(assistances, assistance);
	in->pace = choice(paces, pace);
	in->channel = choice(channels, channel);
	in->locale = choice(locales, locale);
	return hm_api_validation_ok_or_reply(reply, &v);
}

/* The reply of a client write: the one field a write can find bad is tutor_id. */
static void reply_client_result(struct hm_reply *reply, enum hm_err err, int status, json_t *out)
{
	if (err == HM_ERR_VALIDATION_FAILED) {
		json_decref(out);
		hm_reply_invalid(reply, json_pack("{s:s}", "tutor_id", "no such tutor"));
		return;
	}
	hm_api_reply_result(reply, err, status, out);
}

/* ---- handlers ------------------------------------------------------------ */

void hm_api_clients_list(struct hm_request *req, struct hm_reply *reply)
{
	int limit;
	int64_t after, next = 0;
	json_t *items = NULL;
	const char *q = hm_query_get(req, "q");
	if (!hm_query_page(req, reply, &limit, &after))
		return;
	if (q && (!*q || hm_utf8_chars(q) > HM_MAX_NAME)) {
		hm_reply_invalid(reply, json_pack("{s:s}", "q", "must be 1 to 200 characters"));
		return;
	}
	enum hm_err err = hm_db_clients_search(req->db, q, after, limit, req->now, &items, &next);
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		return;
	}
	hm_api_reply_page(reply, items, next);
}

void hm_api_clients_create(struct hm_request *req, struct hm_reply *reply)
{
	struct client_form f;
	json_t *out = NULL;
	if (!read_client_or_reply(req, reply, true, true, &f))
		return;
	enum hm_err err = hm_db_clients_create(req->db, &f.in, &HM_ACTOR(req), &out);
	reply_client_result(reply, err, 201, out);
}

void hm_api_clients_get(struct hm_request *req, struct hm_reply *reply)
{
	json_t *out = NULL;
	enum hm_err err = hm_db_clients_json(req->db, req->path_ids[0], req->now, &out);
	hm_api_reply_result(reply, err, 200, out);
}

void hm_api_clients_update(struct hm_request *req, struct hm_reply *reply)
{
	struct client_form f;
	json_t *out = NULL;
	bool exists = false;
	enum hm_err err = hm_db_clients_exists(req->db, req->path_ids[0], &exists);
	if (err != HM_OK || !exists) { /* 404 comes before 422 */
		hm_api_reply_err(reply, err != HM_OK ? err : HM_ERR_NOT_FOUND);
		return;
	}
	if (!read_client_or_reply(req, reply, false, true, &f))
		return;
	err = hm_db_clients_update(req->db, req->path_ids[0], &f.in, &HM_ACTOR(req), &out);
	reply_client_result(reply, err, 200, out);
}

void hm_api_me_client_get(struct hm_request *req, struct hm_reply *reply)
{
	int64_t id = 0;
	json_t *out = NULL;
	enum hm_err err = hm_db_clients_of_user(req->db, req->who.user_id, &id);
	if (err == HM_OK)
		err = hm_db_clients_json(req->db, id, req->now, &out);
	hm_api_reply_result(reply, err, 200, out);
}

void hm_api_me_client_update(struct hm_request *req, struct hm_reply *reply)
{
	struct client_form f;
	int64_t id = 0;
	json_t *out = NULL;
	enum hm_err err = hm_db_clients_of_user(req->db, req->who.user_id, &id);
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		return;
	}
	if (!read_client_or_reply(req, reply, false, false, &f))
		return;
	err = hm_db_clients_update(req->db, id, &f.in, &HM_ACTOR(req), &out);
	reply_client_result(reply, err, 200, out);
}

void hm_api_interactions_list(struct hm_request *req, struct hm_reply *reply)
{
	int limit;
	int64_t after, next = 0;
	json_t *items = NULL;
	if (!hm_query_page(req, reply, &limit, &after))
		return;
	enum hm_err err = hm_db_clients_interactions_list(req->db, req->path_ids[0], after, limit,
							  &items, &next);
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		return;
	}
	hm_api_reply_page(reply, items, next);
}

void hm_api_interactions_create(struct hm_request *req, struct hm_reply *reply)
{
	static const char *const allowed[] = {"channel", "direction", "summary", NULL};
	struct hm_validation v;
	int channel = -1, direction = -1;
	const char *summary = NULL;
	int64_t id = req->path_ids[0];
	bool exists = false;
	json_t *out = NULL;

	enum hm_err err = hm_db_clients_exists(req->db, id, &exists);
	if (err != HM_OK || !exists) { /* 404 comes before 422 */
		hm_api_reply_err(reply, err != HM_OK ? err : HM_ERR_NOT_FOUND);
		return;
	}
	hm_validation_init(&v);
	hm_validate_known(&v, req->json, allowed, NULL);
	hm_validate_enum(&v, req->json, "channel", true, channels, &channel);
	hm_validate_enum(&v, req->json, "direction", true, directions, &direction);
	hm_validate_long_text(&v, req->json, "summary", true, HM_MAX_TEXT, &summary);
	if (!hm_api_validation_ok_or_reply(reply, &v))
		return;
	err = hm_db_clients_interaction_add(req->db, id, channels[channel], directions[direction],
					    summary, &HM_ACTOR(req), &out);
	hm_api_reply_result(reply, err, 201, out);
}
