/* SPDX-License-Identifier: MIT */
/* Tutors in the database: their public profiles (bio and subject keys), their
 * weekly availability windows, and which tutors teach a subject (the /slots read).
 * Every function borrows the connection; JSON results are owned by the caller.
 * Each write owns its whole transaction, audit row included. */
#ifndef HARREMAN_DB_TUTORS_H
#define HARREMAN_DB_TUTORS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "harreman/db.h"
#include "harreman/slots.h"
#include "harreman/db_services.h"
#include "harreman/hours.h"

/* Tutors a single GET /slots looks at (the first ones by id). */
#define HM_DB_TUTORS_PER_SUBJECT 64

/* One page of tutors {id, full_name, subjects, bio} (active staff and admins with a
 * profile) with id > after, at most limit. *items (caller owns) and *next_after as
 * hm_db_page. HM_ERR_INTERNAL on failure. */
enum hm_err hm_db_tutors_list(struct hm_db *db, int64_t after, int limit, json_t **items,
			      int64_t *next_after);

/* Whether user id may get a tutor profile: HM_OK with *staff true for an active
 * staff or admin user, false for an active student; HM_ERR_NOT_FOUND when there is
 * no active user id. */
enum hm_err hm_db_tutors_user_is_staff(struct hm_db *db, int64_t id, bool *staff);

/* HM_OK when id is a tutor (a profile of an active user), else HM_ERR_NOT_FOUND. */
enum hm_err hm_db_tutors_check(struct hm_db *db, int64_t id);

/* A profile to write: subjects (borrowed JSON array of valid subject keys) replaces
 * the tutor's subjects; bio ("" when not sent) replaces the bio. */
struct hm_tutor_profile {
	json_t *subjects;
	const char *bio;
};

/* Creates or replaces user id's tutor profile and audits it ("tutor.put", with
 * detail, borrowed, as the audit detail), in one transaction; *out (caller owns)
 * is the tutor object after the write. The caller has checked that id is staff
 * (hm_db_tutors_user_is_staff). On any error nothing was written. */
enum hm_err hm_db_tutors_put(struct hm_db *db, int64_t id, const struct hm_tutor_profile *p,
			     json_t *detail, const struct hm_actor *who, json_t **out);

/* The availability object {tutor_id, windows: [{weekday, starts, ends}]} of tutor
 * id into *out (caller owns); HM_ERR_NOT_FOUND when id is not a tutor. */
enum hm_err hm_db_tutors_availability_get(struct hm_db *db, int64_t id, json_t **out);

/* Replaces tutor id's weekly windows with w[0..n) (checked by the caller) and
 * audits it ("availability.put", detail borrowed), in one transaction; *out as
 * hm_db_tutors_availability_get. HM_ERR_NOT_FOUND when id is not a tutor. On any
 * error nothing was written. */
enum hm_err hm_db_tutors_availability_put(struct hm_db *db, int64_t id,
					  const struct hm_weekly_window *w, size_t n,
					  json_t *detail, const struct hm_actor *who, json_t **out);

/* The tutors (active staff and admins) who teach subject, by id, at most
 * HM_DB_TUTORS_PER_SUBJECT; only tutor_id when it is not 0. Writes no allocation:
 * ids go into out, their count into *n. */
enum hm_err hm_db_tutors_teaching(struct hm_db *db, const char *subject, int64_t tutor_id,
				  int64_t out[HM_DB_TUTORS_PER_SUBJECT], size_t *n);

/* Does tutor_id (a tutor profile of an active staff or admin user) teach subject? */
enum hm_err hm_db_tutors_teaches(struct hm_db *db, int64_t tutor_id, const char *subject,
				 bool *teaches);

/* A tutor's slot query for service over local days [first_day, last_day]: windows
 * and booked lessons are read into storage the caller frees with
 * hm_db_tutors_slot_query_release. */
enum hm_err hm_db_tutors_slot_query(struct hm_db *db, int64_t tutor_id,
				    const struct hm_service *svc, int64_t first_day,
				    int64_t last_day, int64_t now, struct hm_slot_query *q);
/* The same, with lesson except_id (0: none) left out of the booked lessons: the
 * time a lesson being moved holds is free for it. */
enum hm_err hm_db_tutors_slot_query_except(struct hm_db *db, int64_t tutor_id,
					   const struct hm_service *svc, int64_t first_day,
					   int64_t last_day, int64_t now, int64_t except_id,
					   struct hm_slot_query *q);
void hm_db_tutors_slot_query_release(struct hm_slot_query *q);

#endif
