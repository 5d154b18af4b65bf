// SPDX-License-Identifier: MIT
// Third parties (API.md v2, "Third parties: referrals and partners"): a family's
// referral code and counts (GET /me/referral), the admin's referral policy
// (GET|PUT /referral-policy), and partner organisations (GET|POST /partners,
// PATCH /partners/{id}), and their reports (GET /reports/referrals and
// /reports/partners, JSON or CSV). src/db/referrals.c and src/db/partners.c own the
// statements; the discount itself is decided inside the contract's transaction.
#include <stdio.h>
#include <string.h>

#include "harreman/api.h"
#include "harreman/buf.h"
#include "harreman/db_partners.h"
#include "harreman/db_referrals.h"
#include "harreman/limits.h"
#include "harreman/validate.h"
#include "harreman/banned.h"

static const char *const partner_kinds[] = {"school", "company", "association",
					    "public", "other",   NULL};

/* ---- referrals ----------------------------------------------------------------- */

void hm_api_me_referral(struct hm_request *req, struct hm_reply *reply)
{
	json_t *out = NULL;
	enum hm_err err = hm_db_referrals_mine(req->db, req->who.user_id, &out);
	hm_api_reply_result(reply, err, 200, out);
}

void hm_api_referral_policy_get(struct hm_request *req, struct hm_reply *reply)
{
	json_t *out = NULL;
	enum hm_err err = hm_db_referrals_policy(req->db, &out);
	hm_api_reply_result(reply, err, 200, out);
}

void hm_api_referral_policy_put(struct hm_request *req, struct hm_reply *reply)
{
	static const char *const allowed[] = {"reward_percent", "gift", NULL};
	struct hm_validation v;
	int64_t percent = 0;
	bool gift = false;
	json_t *out = NULL;
	hm_validation_init(&v);
	hm_validate_known(&v, req->json, allowed, NULL);
	hm_validate_int(&v, req->json, "reward_percent", true, 0, HM_MAX_REFERRAL_PERCENT, &percent,
			NULL);
	hm_validate_bool(&v, req->json, "gift", true, &gift, NULL);
	if (!hm_api_validation_ok_or_reply(reply, &v))
		return;
	enum hm_err err = hm_db_referrals_policy_put(req->db, (int)percent, gift, &HM_ACTOR(req),
						     &out);
	hm_api_reply_result(reply, err, 200, out);
}

/* ---- partners -------------------------------------------------------------------- */

void hm_api_partners_list(struct hm_request *req, struct hm_reply *reply)
{
	int limit;
	int64_t after, next = 0;
	json_t *items = NULL;
	if (!hm_query_page(req, reply, &limit, &after))
		return;
	enum hm_err err = hm_db_partners_list(req->db, after, limit, &items, &next);
	if (err != HM_OK) {
		hm_api_reply_err(reply, err);
		return;
	}
	hm_api_reply_page(reply, items, next);
}

/* A partner body (every field required when creating): false when it answered 422.
 * The code: HM_MIN_REF_CODE..HM_MAX_REF_CODE letters, digits, '-' or '_'. */
static bool read_partner_or_reply(struct hm_request *req, struct hm_reply *reply, bool create,
				  struct hm_partner_input *in, char email[HM_MAX_EMAIL + 1])
{
	static const char *const allowed[] = {"name",          "kind",   "code", "discount_percent",
					      "contact_email", "active", NULL};
	static const char *const read_only[] = {"id", "families", "created_at", NULL};
	struct hm_validation v;
	int kind = -1;
	int64_t percent = -1;
	bool active = true, active_present = false;
	hm_validation_init(&v);
	hm_validate_known(&v, req->json, allowed, read_only);
	hm_validate_text(&v, req->json, "name", create, HM_MAX_NAME, &in->name);
	hm_validate_enum(&v, req->json, "kind", create, partner_kinds, &kind);
	hm_validate_text(&v, req->json, "code", create, HM_MAX_REF_CODE, &in->code);
	if (in->code) {
		size_t len = strlen(in->code);
		bool ok = len >= HM_MIN_REF_CODE;
		for (size_t i = 0; ok && i < len; i++) {
			char c = in->code[i];
			ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			     (c >= '0' && c <= '9') || c == '-' || c == '_';
		}
		if (!ok)
			hm_validation_fail(&v, "code",
					   "must be 3 to 40 letters, digits, '-' or '_'");
	}
	hm_validate_int(&v, req->json, "discount_percent", create, 0, 100, &percent, NULL);
	hm_validate_email(&v, req->json, "contact_email", false, email, &in->contact_present);
	hm_validate_bool(&v, req->json, "active", false, &active, &active_present);
	in->kind = kind >= 0 ? partner_kinds[kind] : NULL;
	in->discount_percent = (int)percent;
	in->active = active_present ? active : -1;
	in->contact_email = in->contact_present && email[0] ? email : NULL;
	return hm_api_validation_ok_or_reply(reply, &v);
}

static void reply_partner(struct hm_reply *reply, enum hm_err err, int status, json_t *out)
{
	if (err == HM_ERR_CONFLICT) {
		json_decref(out);
		hm_reply_error(reply, err, "That code is taken.");
		return;
	}
	hm_api_reply_result(reply, err, status, out);
}

void hm_api_partners_create(struct hm_request *req, struct hm_reply *reply)
{
	struct hm_partner_input in = {.discount_percent = -1, .active = -1};
	char email[HM_MAX_EMAIL + 1] = "";
	json_t *out = NULL;
	if (!read_partner_or_reply(req, reply, true, &in, email))
		return;
	enum hm_err err = hm_db_partners_create(req->db, &in, &HM_ACTOR(req), &out);
	reply_partner(reply, err, 201, out);
}

void hm_api_partners_update(struct hm_request *req, struct hm_reply *reply)
{
	struct hm_partner_input in = {.discount_percent = -1, .active = -1};
	char email[HM_MAX_EMAIL + 1] = "";
	json_t *out = NULL;
	bool exists = false;
	enum hm_err err = hm_db_partners_exists(req->db, req->path_ids[0], &exists);
	if (err != HM_OK || !exists) {
		hm_api_reply_err(reply, err != HM_OK ? err : HM_ERR_NOT_FOUND);
		return;
	}
	if (!read_partner_or_reply(req, reply, false, &in, email))
		return;
	err = hm_db_partners_update(req->db, req->path_ids[0], &in, &HM_ACTOR(req), &out);
	reply_partner(reply, err, 200, out);
}

/* ---- reports: JSON pages, or the whole report as CSV ------------------------------- */

typedef enum hm_err report_fn(struct hm_db *db, int64_t after, int limit, json_t **items,
			      int64_t *next_after);

/* The whole CSV download: at most this many rows, this many bytes. */
#define REPORT_CSV_ROWS 100000
#define REPORT_CSV_CAP ((size_t)32 << 20)

/* One value of a report row as CSV text into out. */
static bool csv_value(struct hm_buf *out, json_t *value, bool last)
{
	char num[32];
	const char *text = "";
	if (json_is_integer(value)) {
		snprintf(num, sizeof num, "%lld", (long long)json_integer_value(value));
		text = num;
	} else if (json_is_string(value)) {
		text = json_string_value(value);
	} else if (json_is_boolean(value)) {
		text = json_is_true(value) ? "true" : "false";
	}
	return hm_api_csv_field(out, text, last);
}

/* GET /reports/...: a JSON page, or with ?format=csv the whole report (RFC 4180,
 * UTF-8 with a byte-order mark, a header row of the columns) as filename. */
static void reply_report(struct hm_request *req, struct hm_reply *reply, report_fn *fetch,
			 const char *const *columns, size_t n_columns, const char *filename)
{
	const char *format = hm_query_get(req, "format");
	json_t *items = NULL;
	int64_t next = 0;
	if (format && strcmp(format, "csv") != 0) {
		hm_reply_invalid(reply,
				 json_pack("{s:s}", "format", "must be csv (or absent for JSON)"));
		return;
	}
	if (!format) {
		int limit;
		int64_t after;
		if (!hm_query_page(req, reply, &limit, &after))
			return;
		enum hm_err err = fetch(req->db, after, limit, &items, &next);
		if (err == HM_OK)
			hm_api_reply_page(reply, items, next);
		else
			hm_api_reply_err(reply, err);
		return;
	}
	struct hm_buf text;
	size_t len = 0;
	char *data = NULL;
	char disposition[96];
	hm_buf_init(&text, REPORT_CSV_CAP);
	enum hm_err err = fetch(req->db, 0, REPORT_CSV_ROWS, &items, &next);
	bool ok = err == HM_OK && hm_buf_append(&text, "\xEF\xBB\xBF", 3);
	for (size_t i = 0; ok && i < n_columns; i++)
		ok = hm_api_csv_field(&text, columns[i], i == n_columns - 1);
	size_t r;
	json_t *row;
	json_array_foreach(items, r, row)
	{
		for (size_t i = 0; ok && i < n_columns; i++)
			ok = csv_value(&text, json_object_get(row, columns[i]), i == n_columns - 1);
	}
	if (err == HM_OK && (!ok || !(data = hm_buf_detach(&text, &len))))
		err = HM_ERR_INTERNAL;
	if (err == HM_OK) {
		hm_reply_raw_owned(reply, 200, "text/csv; charset=utf-8", data, len);
		snprintf(disposition, sizeof disposition, "attachment; filename=\"%s\"", filename);
		hm_reply_header(reply, "Content-Disposition", disposition);
	} else {
		hm_api_reply_err(reply, err);
	}
	json_decref(items);
	hm_buf_release(&text);
}

void hm_api_referrals_report(struct hm_request *req, struct hm_reply *reply)
{
	static const char *const columns[] = {"family_id",      "code",        "full_name",
					      "families",       "contracts",   "revenue_cents",
					      "discount_cents", "rewards_used"};
	reply_report(req, reply, hm_db_referrals_report, columns,
		     sizeof columns / sizeof columns[0], "referrals.csv");
}

void hm_api_partners_report(struct hm_request *req, struct hm_reply *reply)
{
	static const char *const columns[] = {"partner_id", "name",          "kind",
					      "code",       "active",        "families",
					      "contracts",  "revenue_cents", "discount_cents"};
	reply_report(req, reply, hm_db_referrals_partners_report, columns,
		     sizeof columns / sizeof columns[0], "partners.csv");
}
