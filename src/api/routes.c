// SPDX-License-Identifier: MIT
// The route table: every path of the API, the methods it takes, its handler and
// who may call it. Access control happens in one place (dispatch.c) from this table.
#include "harreman/api.h"
#include "harreman/dispatch.h"
#include "harreman/banned.h"

#define V1 "/api/v1"

const struct hm_route hm_routes[] = {
	/* Operations */
	{HM_GET, "/healthz", hm_api_healthz, HM_ACCESS_PUBLIC, HM_BODY_NONE},
	{HM_GET, "/metrics", hm_api_metrics, HM_ALLOW_ADMIN | HM_ALLOW_LOOPBACK, HM_BODY_NONE},
	{HM_GET, V1 "/audit", hm_api_audit_list, HM_ALLOW_ADMIN, HM_BODY_NONE},
	{HM_GET, V1 "/outbox", hm_api_outbox_list, HM_ALLOW_ADMIN, HM_BODY_NONE},
	{HM_GET, V1 "/outbox/{id}", hm_api_outbox_get, HM_ALLOW_ADMIN, HM_BODY_NONE},
	{HM_POST, V1 "/outbox/{id}/retry", hm_api_outbox_retry, HM_ALLOW_ADMIN, HM_BODY_OPTIONAL},

	/* Authentication */
	{HM_POST, V1 "/auth/register", hm_api_register, HM_ACCESS_PUBLIC,
	 HM_BODY_REQUIRED | HM_NO_CSRF | HM_ON_WORKER},
	{HM_POST, V1 "/auth/login", hm_api_login, HM_ACCESS_PUBLIC,
	 HM_BODY_REQUIRED | HM_NO_CSRF | HM_ON_WORKER},
	{HM_POST, V1 "/auth/logout", hm_api_logout, HM_ACCESS_PUBLIC, HM_BODY_OPTIONAL},
	{HM_GET, V1 "/me", hm_api_me, HM_ACCESS_USERS, HM_BODY_NONE},
	{HM_GET, V1 "/auth/tokens", hm_api_tokens_list, HM_ACCESS_STAFF, HM_BODY_NONE},
	{HM_POST, V1 "/auth/tokens", hm_api_tokens_create, HM_ACCESS_STAFF, HM_BODY_REQUIRED},
	{HM_DELETE, V1 "/auth/tokens/{id}", hm_api_tokens_revoke, HM_ACCESS_STAFF, HM_BODY_NONE},

	/* Catalogue */
	{HM_GET, V1 "/tutors", hm_api_tutors_list, HM_ACCESS_PUBLIC, HM_BODY_NONE | HM_CACHEABLE},
	{HM_PUT, V1 "/tutors/{id}", hm_api_tutors_put, HM_ACCESS_STAFF, HM_BODY_REQUIRED},
	{HM_GET, V1 "/tutors/{id}/availability", hm_api_availability_get, HM_ACCESS_PUBLIC,
	 HM_BODY_NONE | HM_CACHEABLE},
	{HM_PUT, V1 "/tutors/{id}/availability", hm_api_availability_put, HM_ACCESS_STAFF,
	 HM_BODY_REQUIRED},
	{HM_GET, V1 "/tutors/{id}/calendar.ics", hm_api_tutor_calendar, HM_ACCESS_STAFF,
	 HM_BODY_NONE},
	{HM_GET, V1 "/services", hm_api_services_list, HM_ACCESS_PUBLIC, HM_BODY_NONE | HM_CACHEABLE},
	{HM_POST, V1 "/services", hm_api_services_create, HM_ACCESS_STAFF, HM_BODY_REQUIRED},
	{HM_PATCH, V1 "/services/{id}", hm_api_services_update, HM_ACCESS_STAFF, HM_BODY_REQUIRED},
	{HM_GET, V1 "/slots", hm_api_slots, HM_ACCESS_PUBLIC, HM_BODY_NONE | HM_CACHEABLE},

	/* Contracts and the loyalty discount */
	{HM_POST, V1 "/contracts", hm_api_contracts_create, HM_ACCESS_STAFF, HM_BODY_REQUIRED},
	{HM_GET, V1 "/contracts", hm_api_contracts_list, HM_ACCESS_STAFF, HM_BODY_NONE},
	{HM_GET, V1 "/contracts/{id}", hm_api_contracts_get, HM_ACCESS_STAFF, HM_BODY_NONE},
	{HM_POST, V1 "/contracts/{id}/cancel", hm_api_contracts_cancel, HM_ACCESS_STAFF,
	 HM_BODY_OPTIONAL},
	{HM_POST, V1 "/me/contracts", hm_api_me_contracts_create, HM_ALLOW_STUDENT,
	 HM_BODY_REQUIRED},
	{HM_GET, V1 "/me/contracts", hm_api_me_contracts_list, HM_ALLOW_STUDENT, HM_BODY_NONE},
	{HM_GET, V1 "/me/loyalty", hm_api_me_loyalty, HM_ALLOW_STUDENT, HM_BODY_NONE},
	{HM_GET, V1 "/quote", hm_api_quote, HM_ACCESS_USERS, HM_BODY_NONE},
	{HM_GET, V1 "/discount-tiers", hm_api_tiers_get, HM_ACCESS_PUBLIC, HM_BODY_NONE | HM_CACHEABLE},
	{HM_PUT, V1 "/discount-tiers", hm_api_tiers_put, HM_ALLOW_ADMIN, HM_BODY_REQUIRED},
	{HM_GET, V1 "/gifts", hm_api_gifts_list, HM_ACCESS_PUBLIC, HM_BODY_NONE | HM_CACHEABLE},
	{HM_POST, V1 "/gifts", hm_api_gifts_create, HM_ALLOW_ADMIN, HM_BODY_REQUIRED},
	{HM_PATCH, V1 "/gifts/{id}", hm_api_gifts_update, HM_ALLOW_ADMIN, HM_BODY_REQUIRED},
	{HM_GET, V1 "/reports/loyalty", hm_api_loyalty_report, HM_ACCESS_STAFF, HM_BODY_NONE},

	/* Lessons */
	{HM_POST, V1 "/lessons", hm_api_lessons_create, HM_ACCESS_USERS, HM_BODY_REQUIRED},
	{HM_GET, V1 "/lessons", hm_api_lessons_list, HM_ACCESS_STAFF, HM_BODY_NONE},
	{HM_GET, V1 "/lessons/{id}", hm_api_lessons_get, HM_ACCESS_USERS, HM_BODY_NONE},
	{HM_POST, V1 "/lessons/{id}/cancel", hm_api_lessons_cancel, HM_ACCESS_USERS,
	 HM_BODY_OPTIONAL},
	{HM_POST, V1 "/lessons/{id}/log", hm_api_lessons_log, HM_ACCESS_STAFF, HM_BODY_REQUIRED},
	{HM_GET, V1 "/me/lessons", hm_api_me_lessons, HM_ALLOW_STUDENT, HM_BODY_NONE},

	/* Calendars: the student's feed, its private URL (no login), a tutor's feed */
	{HM_GET, V1 "/me/calendar", hm_api_me_calendar, HM_ALLOW_STUDENT, HM_BODY_NONE},
	{HM_GET, V1 "/me/calendar.ics", hm_api_me_calendar_ics, HM_ALLOW_STUDENT, HM_BODY_NONE},
	{HM_POST, V1 "/me/calendar/rotate", hm_api_me_calendar_rotate, HM_ALLOW_STUDENT,
	 HM_BODY_OPTIONAL},
	{HM_GET, "/calendar/{token}.ics", hm_api_calendar_feed, HM_ACCESS_PUBLIC, HM_BODY_NONE},

	/* Clients */
	{HM_GET, V1 "/clients", hm_api_clients_list, HM_ACCESS_STAFF, HM_BODY_NONE},
	{HM_POST, V1 "/clients", hm_api_clients_create, HM_ACCESS_STAFF, HM_BODY_REQUIRED},
	{HM_GET, V1 "/clients/{id}", hm_api_clients_get, HM_ACCESS_STAFF, HM_BODY_NONE},
	{HM_PATCH, V1 "/clients/{id}", hm_api_clients_update, HM_ACCESS_STAFF, HM_BODY_REQUIRED},
	{HM_GET, V1 "/clients/{id}/interactions", hm_api_interactions_list, HM_ACCESS_STAFF,
	 HM_BODY_NONE},
	{HM_POST, V1 "/clients/{id}/interactions", hm_api_interactions_create, HM_ACCESS_STAFF,
	 HM_BODY_REQUIRED},
	{HM_GET, V1 "/clients/{id}/export", hm_api_clients_export, HM_ALLOW_ADMIN, HM_BODY_NONE},
	{HM_POST, V1 "/clients/{id}/erase", hm_api_clients_erase, HM_ALLOW_ADMIN,
	 HM_BODY_OPTIONAL},
	{HM_GET, V1 "/me/client", hm_api_me_client_get, HM_ALLOW_STUDENT, HM_BODY_NONE},
	{HM_PATCH, V1 "/me/client", hm_api_me_client_update, HM_ALLOW_STUDENT, HM_BODY_REQUIRED},

	/* Contact channels and inquiries */
	{HM_GET, V1 "/channels", hm_api_channels_list, HM_ACCESS_PUBLIC, HM_BODY_NONE | HM_CACHEABLE},
	{HM_PATCH, V1 "/channels/{id}", hm_api_channels_update, HM_ALLOW_ADMIN, HM_BODY_REQUIRED},
	{HM_POST, V1 "/inquiries", hm_api_inquiries_create, HM_ACCESS_PUBLIC, HM_BODY_REQUIRED},
	{HM_GET, V1 "/inquiries", hm_api_inquiries_list, HM_ACCESS_STAFF, HM_BODY_NONE},
	{HM_POST, V1 "/inquiries/{id}/answer", hm_api_inquiries_answer, HM_ACCESS_STAFF,
	 HM_BODY_REQUIRED},

	/* Community, co-creation, tailored suggestions */
	{HM_GET, V1 "/events", hm_api_events_list, HM_ACCESS_PUBLIC, HM_BODY_NONE},
	{HM_POST, V1 "/events", hm_api_events_create, HM_ACCESS_STAFF, HM_BODY_REQUIRED},
	{HM_PATCH, V1 "/events/{id}", hm_api_events_update, HM_ACCESS_STAFF, HM_BODY_REQUIRED},
	{HM_POST, V1 "/events/{id}/registration", hm_api_events_register, HM_ALLOW_STUDENT,
	 HM_BODY_OPTIONAL},
	{HM_DELETE, V1 "/events/{id}/registration", hm_api_events_withdraw, HM_ALLOW_STUDENT,
	 HM_BODY_NONE},
	{HM_GET, V1 "/contributions", hm_api_contributions_list, HM_ACCESS_PUBLIC, HM_BODY_NONE},
	{HM_POST, V1 "/contributions", hm_api_contributions_create, HM_ALLOW_STUDENT,
	 HM_BODY_REQUIRED},
	{HM_POST, V1 "/contributions/{id}/review", hm_api_contributions_review, HM_ACCESS_STAFF,
	 HM_BODY_REQUIRED},
	{HM_GET, V1 "/me/suggestions", hm_api_me_suggestions, HM_ALLOW_STUDENT, HM_BODY_NONE},

	/* Users (admin) */
	{HM_GET, V1 "/users", hm_api_users_list, HM_ALLOW_ADMIN, HM_BODY_NONE},
	{HM_POST, V1 "/users", hm_api_users_create, HM_ALLOW_ADMIN,
	 HM_BODY_REQUIRED | HM_ON_WORKER},
	{HM_GET, V1 "/users/{id}", hm_api_users_get, HM_ALLOW_ADMIN, HM_BODY_NONE},
	{HM_PATCH, V1 "/users/{id}", hm_api_users_update, HM_ALLOW_ADMIN, HM_BODY_REQUIRED},
};

const size_t hm_route_count = sizeof hm_routes / sizeof hm_routes[0];

const struct hm_route_check hm_route_checks[] = {
	/* The slot is on the tutor's grid (as at the check: a booking racing with a
	 * change of availability is like one made just before it) and free (the
	 * no-overlap trigger enforces that again inside the write). */
	{hm_api_lessons_create, hm_api_lessons_check},
};

const size_t hm_route_check_count = sizeof hm_route_checks / sizeof hm_route_checks[0];
