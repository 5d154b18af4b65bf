/* SPDX-License-Identifier: MIT */
/* The handlers of the route table, one group per resource. A handler runs after the
 * dispatcher checked route, body, authentication, CSRF and role: req->who is set,
 * req->db is this thread's connection, req->json is the body object (or NULL for an
 * empty optional body). It validates its fields, does its work in one transaction,
 * and fills reply. */
#ifndef HARREMAN_API_H
#define HARREMAN_API_H

#include "harreman/http.h"
#include "harreman/router.h"
#include "harreman/validate.h"

/* src/api/auth.c */
hm_handler_fn hm_api_register;
hm_handler_fn hm_api_login;
hm_handler_fn hm_api_logout;
hm_handler_fn hm_api_me;
hm_handler_fn hm_api_auth_session;
hm_handler_fn hm_api_tokens_list;
hm_handler_fn hm_api_tokens_create;
hm_handler_fn hm_api_tokens_revoke;

/* src/api/users.c */
hm_handler_fn hm_api_users_list;
hm_handler_fn hm_api_users_get;
hm_handler_fn hm_api_users_create;
hm_handler_fn hm_api_users_update;

/* src/api/catalogue.c */
hm_handler_fn hm_api_tutors_list;
hm_handler_fn hm_api_tutors_put;
hm_handler_fn hm_api_availability_get;
hm_handler_fn hm_api_availability_put;
hm_handler_fn hm_api_services_list;
hm_handler_fn hm_api_services_create;
hm_handler_fn hm_api_services_update;
hm_handler_fn hm_api_slots;

/* src/api/contracts.c */
hm_handler_fn hm_api_contracts_create;
hm_handler_fn hm_api_me_contracts_create;
hm_handler_fn hm_api_contracts_list;
hm_handler_fn hm_api_me_contracts_list;
hm_handler_fn hm_api_contracts_get;
hm_handler_fn hm_api_contracts_cancel;
hm_handler_fn hm_api_quote;
hm_handler_fn hm_api_tiers_get;
hm_handler_fn hm_api_tiers_put;
hm_handler_fn hm_api_gifts_list;
hm_handler_fn hm_api_gifts_create;
hm_handler_fn hm_api_gifts_update;
hm_handler_fn hm_api_me_loyalty;
hm_handler_fn hm_api_loyalty_report;
hm_handler_fn hm_api_loyalty_review;

/* src/api/lessons.c */
hm_handler_fn hm_api_lessons_create;
hm_check_fn hm_api_lessons_check;
hm_handler_fn hm_api_lessons_weeks;
hm_handler_fn hm_api_lessons_list;
hm_handler_fn hm_api_me_lessons;
hm_handler_fn hm_api_lessons_get;
hm_handler_fn hm_api_lessons_cancel;
hm_handler_fn hm_api_lessons_move;
hm_check_fn hm_api_lessons_move_check;
hm_handler_fn hm_api_lessons_log;

/* src/api/clients.c */
hm_handler_fn hm_api_clients_list;
hm_handler_fn hm_api_clients_create;
hm_handler_fn hm_api_clients_get;
hm_handler_fn hm_api_clients_update;
hm_handler_fn hm_api_me_client_get;
hm_handler_fn hm_api_me_client_update;
hm_handler_fn hm_api_interactions_list;
hm_handler_fn hm_api_interactions_create;

/* src/api/families.c */
hm_handler_fn hm_api_me_clients_list;
hm_handler_fn hm_api_me_clients_create;
hm_handler_fn hm_api_families_create;
hm_handler_fn hm_api_families_get;
hm_handler_fn hm_api_families_leave;
/* The learner a student's route acts for (API.md v2, "Families"): ?client_id=, else
 * the body's client_id, naming a client of the account's family; without either,
 * the account's own client record. 0 for staff and admin (their routes name the
 * client themselves). HM_ERR_NOT_FOUND for another family's client or none at all,
 * HM_ERR_VALIDATION_FAILED for a client_id that is not a positive whole number. */
enum hm_err hm_api_learner(struct hm_request *req, int64_t *client_id);
/* hm_api_learner, answering its error (422 naming client_id, or 404): false when
 * it answered. */
bool hm_api_learner_or_reply(struct hm_request *req, struct hm_reply *reply, int64_t *client_id);
/* A body with no field but client_id (the learner): false when it answered 422. */
bool hm_api_learner_body_or_reply(struct hm_request *req, struct hm_reply *reply);

/* src/api/referrals.c */
hm_handler_fn hm_api_me_referral;
hm_handler_fn hm_api_referral_policy_get;
hm_handler_fn hm_api_referral_policy_put;
hm_handler_fn hm_api_partners_list;
hm_handler_fn hm_api_partners_create;
hm_handler_fn hm_api_partners_update;
hm_handler_fn hm_api_referrals_report;
hm_handler_fn hm_api_partners_report;

/* src/api/contact.c */
hm_handler_fn hm_api_channels_list;
hm_handler_fn hm_api_channels_update;
hm_handler_fn hm_api_inquiries_create;
hm_handler_fn hm_api_inquiries_list;
hm_handler_fn hm_api_inquiries_answer;
struct hm_channel;
/* Channel c's JSON (taken from c) with open_now and next_change_at as seen at at;
 * *earliest_change, when given, is lowered to the first instant the state flips.
 * NULL when memory runs out or the hours rules cannot tell. */
json_t *hm_api_channel_json(struct hm_channel *c, int64_t at, int64_t *earliest_change);

/* src/api/answers.c */
hm_handler_fn hm_api_answers_list;
hm_handler_fn hm_api_answers_create;
hm_handler_fn hm_api_answers_update;
hm_handler_fn hm_api_answers_delete;
hm_handler_fn hm_api_ask;

/* src/api/events.c */
hm_handler_fn hm_api_events_list;
hm_handler_fn hm_api_events_create;
hm_handler_fn hm_api_events_update;
hm_handler_fn hm_api_events_register;
hm_handler_fn hm_api_events_withdraw;

/* src/api/waitlists.c */
hm_handler_fn hm_api_events_waitlist_join;
hm_handler_fn hm_api_events_waitlist_leave;
hm_handler_fn hm_api_waitlist_join;
hm_handler_fn hm_api_waitlist_accept;
hm_handler_fn hm_api_waitlist_leave;
hm_handler_fn hm_api_me_waitlist;

/* src/api/contributions.c */
hm_handler_fn hm_api_contributions_list;
hm_handler_fn hm_api_contributions_create;
hm_handler_fn hm_api_contributions_review;

/* src/api/suggestions.c */
hm_handler_fn hm_api_me_suggestions;

/* src/api/outbox.c */
hm_handler_fn hm_api_outbox_list;
hm_handler_fn hm_api_outbox_get;
hm_handler_fn hm_api_outbox_retry;

/* src/api/calendar.c */
hm_handler_fn hm_api_me_calendar;
hm_handler_fn hm_api_me_calendar_rotate;
hm_handler_fn hm_api_me_calendar_ics;
hm_handler_fn hm_api_me_lesson_ics;
hm_handler_fn hm_api_calendar_feed;
hm_handler_fn hm_api_tutor_calendar;

/* src/api/privacy.c */
hm_handler_fn hm_api_clients_export;
hm_handler_fn hm_api_clients_erase;

/* src/api/invoices.c */
hm_handler_fn hm_api_business_get;
hm_handler_fn hm_api_business_put;
hm_handler_fn hm_api_invoices_list;
hm_handler_fn hm_api_me_invoices;
hm_handler_fn hm_api_invoices_get;
hm_handler_fn hm_api_invoices_xml;
hm_handler_fn hm_api_invoices_print;
hm_handler_fn hm_api_tbai_submissions;
hm_handler_fn hm_api_tbai_retry;

/* src/api/payments.c */
struct hm_business_input;
/* Canonical copies of the business's SEPA identifiers (see hm_sepa_ids_check). */
struct hm_sepa_ids {
	char creditor_id[36], creditor_iban[35];
};
/* PUT /business: in->creditor_id must be a valid SEPA creditor identifier and
 * in->creditor_iban a valid IBAN (either may be absent); each good one is put in
 * its canonical form into ids and in points to it; each bad one fails into v. */
void hm_sepa_ids_check(struct hm_validation *v, struct hm_business_input *in,
		       struct hm_sepa_ids *ids);
hm_handler_fn hm_api_payments_create;
hm_handler_fn hm_api_payments_list;
hm_handler_fn hm_api_clients_balance;
hm_handler_fn hm_api_me_balance;
hm_handler_fn hm_api_mandates_create;
hm_handler_fn hm_api_mandates_list;
hm_handler_fn hm_api_mandates_revoke;

/* src/api/direct_debits.c */
hm_handler_fn hm_api_direct_debits_create;
hm_handler_fn hm_api_direct_debits_list;
hm_handler_fn hm_api_direct_debits_file;
hm_handler_fn hm_api_direct_debits_settle;
hm_handler_fn hm_api_direct_debits_returns;

/* src/api/reports.c */
hm_handler_fn hm_api_reports_book;
hm_handler_fn hm_api_reports_monthly;

/* src/api/limits.c */
hm_handler_fn hm_api_limits;

/* src/api/ops.c */
hm_handler_fn hm_api_healthz;
hm_handler_fn hm_api_metrics;
hm_handler_fn hm_api_audit_list;

/* Login throttling, from API.md v2: more than 5 failures for one e-mail, or more
 * than 50 from one address (a class behind one school connection must not lock
 * itself out), within 15 minutes answer 429. */
#define HM_LOGIN_MAX_FAILURES 5
#define HM_LOGIN_MAX_FAILURES_PER_ADDR 50
#define HM_LOGIN_WINDOW ((int64_t)15 * 60)
/* Registrations (well-formed ones, whatever their outcome) per client address. */
#define HM_REGISTER_MAX 20
#define HM_REGISTER_WINDOW ((int64_t)60 * 60)

/* src/api/common.c: one CSV field per RFC 4180 into out, then a comma, or CRLF when
 * last: quoted when it holds a comma, quote or line break; text a spreadsheet
 * would run as a formula gets a leading apostrophe. False when out is full. */
struct hm_buf;
bool hm_api_csv_field(struct hm_buf *out, const char *text, bool last);

/* src/api/query.c: query strings several resources share. */
/* Parses a positive integer query parameter; absent leaves *out. On a bad value
 * records "must be a positive whole number" into fields (created when NULL). */
/* Records message for key into *fields (made on first use; the first message of a
 * key stays), for a 422 of query parameters. */
void hm_api_add_field(json_t **fields, const char *key, const char *message);

bool hm_api_query_id(const struct hm_request *req, const char *key, int64_t *out, json_t **fields);

/* Parses ?key=true|false into *out (false when absent). On another value records
 * "must be true or false" into fields (created when NULL). */
bool hm_api_query_bool(const struct hm_request *req, const char *key, bool *out, json_t **fields);

/* Local days [from, to] from ?from= and ?to= (YYYY-MM-DD), defaulting to today and
 * today + default_span - 1; refuses to > from + max_span - 1 and bad dates into
 * fields. */
bool hm_api_query_days(const struct hm_request *req, int default_span, int max_span, int64_t *from,
		       int64_t *to, json_t **fields);

/* Answers a list page {items, next_after}; takes ownership of items. */
void hm_api_reply_page(struct hm_reply *reply, json_t *items, int64_t next_after);

/* The client whose data the caller may see on a route open to students and staff:
 * a student's own client record, 0 (any) for staff and admins. */
enum hm_err hm_api_caller_client(struct hm_request *req, int64_t *client_id);

/* Answers the error for err: 500 for HM_ERR_INTERNAL, its own code otherwise. */
void hm_api_reply_err(struct hm_reply *reply, enum hm_err err);

/* Answers 422 from a validation collector (or 500 when it ran out of memory). */
void hm_api_reply_validation(struct hm_reply *reply, struct hm_validation *v);

/* Ends a validation: true when v found nothing, else answers 422 (or 500 when it
 * ran out of memory) and false. Releases v in both cases. */
bool hm_api_validation_ok_or_reply(struct hm_reply *reply, struct hm_validation *v);

/* For a body that takes no fields: true for an empty body or {}, else answers 422
 * naming every field sent (or 500) and false. */
bool hm_api_no_fields_or_reply(struct hm_request *req, struct hm_reply *reply);

/* True while the client's address has had fewer than max events of bucket
 * (ratelimit.h) within the window ending now; else answers 429 with Retry-After
 * and message (a static string), or the error of the read, and false. */
bool hm_api_rate_ok_or_reply(struct hm_request *req, struct hm_reply *reply, const char *bucket,
			     int64_t window, int max, const char *message);

/* The same for a count kept in memory (rate_memory.h): counts this call of the
 * client's address in bucket, or answers 429 and returns false. */
bool hm_api_rate_memory_ok_or_reply(struct hm_request *req, struct hm_reply *reply,
				    const char *bucket, int64_t window, int max,
				    const char *message);

/* The response cache (response_cache.h) for an answer a handler keys itself by
 * what decides it (POST /ask: the language and the question's words; never the
 * caller): answers reply from it and returns false on a hit; else returns true and
 * *generation, the data generation to store the answer at (read before the
 * handler reads the database). */
bool hm_api_cache_miss_or_reply(struct hm_request *req, struct hm_reply *reply, const char *key,
				uint64_t *generation);

/* The same for a part of an answer kept on its own (POST /ask's next free slot):
 * fills *part (initialised by the caller) and returns false when it is kept; not
 * counted as an answer's lookup. */
bool hm_api_cache_part_miss(struct hm_request *req, const char *key, struct hm_reply *part,
			    uint64_t *generation);

/* Keeps reply under key (hm_api_cache_miss_or_reply's generation) when it is a
 * 200 that holds past now: until reply->cache_until or the next write. */
void hm_api_cache_keep(struct hm_request *req, struct hm_reply *reply, const char *key,
		       uint64_t generation);

/* The one reply of a handler after its db call: status with body when err is
 * HM_OK (a NULL body then means out of memory: 500), else the error for err.
 * Takes body in every case. */
void hm_api_reply_result(struct hm_reply *reply, enum hm_err err, int status, json_t *body);

/* src/api/locale.c: content in three languages (API.md v2). */
/* The language a read answers in: ?locale= (eu, es, en; anything else: answers
 * 422 and returns false), else the request's Accept-Language (language.h's
 * negotiation), else Basque. */
bool hm_api_locale_or_reply(struct hm_request *req, struct hm_reply *reply, int *locale);

/* Puts the fields (NULL-terminated) of obj in locale: each takes the non-empty
 * string obj.translations[locale][field] when there is one and keeps the Basque
 * base field otherwise. translations stays as it is. obj may be NULL. */
void hm_api_localize(json_t *obj, int locale, const char *const *fields);

/* hm_api_localize on every object of the array items. */
void hm_api_localize_items(json_t *items, int locale, const char *const *fields);

/* The actor of a request for the db layer's audit rows (db.h): a compound literal
 * that lives as long as the enclosing block. */
#define HM_ACTOR(req) ((struct hm_actor){(req)->who.user_id, (req)->request_id, (req)->now})

#endif
