// SPDX-License-Identifier: MIT
// The route table: every path of the API, the methods it takes, its handler, who
// may call it, its body rules and, for a write, the check that runs on the
// request's thread before it is queued for the writer (.precheck). Access control
// happens in one place (dispatch.c) from this table.
#include "harreman/api.h"
#include "harreman/dispatch.h"
#include "harreman/banned.h"

#define V1 "/api/v1"

/* One route a line, every field named: kept as written (clang-format would put
 * each field on its own line). */
// clang-format off
const struct hm_route hm_routes[] = {
	/* Operations */
	{.methods = HM_GET, .pattern = "/healthz", .handler = hm_api_healthz,
	 .access = HM_ACCESS_PUBLIC, .flags = HM_BODY_NONE},
	{.methods = HM_GET, .pattern = "/metrics", .handler = hm_api_metrics,
	 .access = HM_ALLOW_ADMIN | HM_ALLOW_LOOPBACK, .flags = HM_BODY_NONE},
	{.methods = HM_GET, .pattern = V1 "/audit", .handler = hm_api_audit_list,
	 .access = HM_ALLOW_ADMIN, .flags = HM_BODY_NONE},
	{.methods = HM_GET, .pattern = V1 "/outbox", .handler = hm_api_outbox_list,
	 .access = HM_ALLOW_ADMIN, .flags = HM_BODY_NONE},
	{.methods = HM_GET, .pattern = V1 "/outbox/{id}", .handler = hm_api_outbox_get,
	 .access = HM_ALLOW_ADMIN, .flags = HM_BODY_NONE},
	{.methods = HM_POST, .pattern = V1 "/outbox/{id}/retry", .handler = hm_api_outbox_retry,
	 .access = HM_ALLOW_ADMIN, .flags = HM_BODY_OPTIONAL},

	/* Authentication */
	{.methods = HM_POST, .pattern = V1 "/auth/register", .handler = hm_api_register,
	 .access = HM_ACCESS_PUBLIC, .flags = HM_BODY_REQUIRED | HM_NO_CSRF | HM_ON_WORKER},
	{.methods = HM_POST, .pattern = V1 "/auth/login", .handler = hm_api_login,
	 .access = HM_ACCESS_PUBLIC, .flags = HM_BODY_REQUIRED | HM_NO_CSRF | HM_ON_WORKER},
	{.methods = HM_POST, .pattern = V1 "/auth/logout", .handler = hm_api_logout,
	 .access = HM_ACCESS_PUBLIC, .flags = HM_BODY_OPTIONAL},
	{.methods = HM_GET, .pattern = V1 "/me", .handler = hm_api_me,
	 .access = HM_ACCESS_USERS, .flags = HM_BODY_NONE},
	{.methods = HM_GET, .pattern = V1 "/auth/tokens", .handler = hm_api_tokens_list,
	 .access = HM_ACCESS_STAFF, .flags = HM_BODY_NONE},
	{.methods = HM_POST, .pattern = V1 "/auth/tokens", .handler = hm_api_tokens_create,
	 .access = HM_ACCESS_STAFF, .flags = HM_BODY_REQUIRED},
	{.methods = HM_DELETE, .pattern = V1 "/auth/tokens/{id}", .handler = hm_api_tokens_revoke,
	 .access = HM_ACCESS_STAFF, .flags = HM_BODY_NONE},

	/* Catalogue */
	{.methods = HM_GET, .pattern = V1 "/limits", .handler = hm_api_limits,
	 .access = HM_ACCESS_PUBLIC, .flags = HM_CACHEABLE},
	{.methods = HM_GET, .pattern = V1 "/tutors", .handler = hm_api_tutors_list,
	 .access = HM_ACCESS_PUBLIC, .flags = HM_CACHEABLE},
	{.methods = HM_PUT, .pattern = V1 "/tutors/{id}", .handler = hm_api_tutors_put,
	 .access = HM_ACCESS_STAFF, .flags = HM_BODY_REQUIRED},
	{.methods = HM_GET, .pattern = V1 "/tutors/{id}/availability", .handler = hm_api_availability_get,
	 .access = HM_ACCESS_PUBLIC, .flags = HM_CACHEABLE},
	{.methods = HM_PUT, .pattern = V1 "/tutors/{id}/availability", .handler = hm_api_availability_put,
	 .access = HM_ACCESS_STAFF, .flags = HM_BODY_REQUIRED},
	{.methods = HM_GET, .pattern = V1 "/tutors/{id}/calendar.ics", .handler = hm_api_tutor_calendar,
	 .access = HM_ACCESS_STAFF, .flags = HM_BODY_NONE},
	{.methods = HM_GET, .pattern = V1 "/services", .handler = hm_api_services_list,
	 .access = HM_ACCESS_PUBLIC, .flags = HM_CACHEABLE},
	{.methods = HM_POST, .pattern = V1 "/services", .handler = hm_api_services_create,
	 .access = HM_ACCESS_STAFF, .flags = HM_BODY_REQUIRED},
	{.methods = HM_PATCH, .pattern = V1 "/services/{id}", .handler = hm_api_services_update,
	 .access = HM_ACCESS_STAFF, .flags = HM_BODY_REQUIRED},
	{.methods = HM_GET, .pattern = V1 "/slots", .handler = hm_api_slots,
	 .access = HM_ACCESS_PUBLIC, .flags = HM_CACHEABLE},

	/* Contracts and the loyalty discount */
	{.methods = HM_POST, .pattern = V1 "/contracts", .handler = hm_api_contracts_create,
	 .access = HM_ACCESS_STAFF, .flags = HM_BODY_REQUIRED},
	{.methods = HM_GET, .pattern = V1 "/contracts", .handler = hm_api_contracts_list,
	 .access = HM_ACCESS_STAFF, .flags = HM_BODY_NONE},
	{.methods = HM_GET, .pattern = V1 "/contracts/{id}", .handler = hm_api_contracts_get,
	 .access = HM_ACCESS_STAFF, .flags = HM_BODY_NONE},
	{.methods = HM_POST, .pattern = V1 "/contracts/{id}/cancel", .handler = hm_api_contracts_cancel,
	 .access = HM_ACCESS_STAFF, .flags = HM_BODY_OPTIONAL},
	{.methods = HM_POST, .pattern = V1 "/me/contracts", .handler = hm_api_me_contracts_create,
	 .access = HM_ALLOW_STUDENT, .flags = HM_BODY_REQUIRED},
	{.methods = HM_GET, .pattern = V1 "/me/contracts", .handler = hm_api_me_contracts_list,
	 .access = HM_ALLOW_STUDENT, .flags = HM_BODY_NONE},
	{.methods = HM_GET, .pattern = V1 "/me/loyalty", .handler = hm_api_me_loyalty,
	 .access = HM_ALLOW_STUDENT, .flags = HM_BODY_NONE},
	{.methods = HM_GET, .pattern = V1 "/quote", .handler = hm_api_quote,
	 .access = HM_ACCESS_USERS, .flags = HM_BODY_NONE},
	{.methods = HM_GET, .pattern = V1 "/discount-tiers", .handler = hm_api_tiers_get,
	 .access = HM_ACCESS_PUBLIC, .flags = HM_CACHEABLE},
	{.methods = HM_PUT, .pattern = V1 "/discount-tiers", .handler = hm_api_tiers_put,
	 .access = HM_ALLOW_ADMIN, .flags = HM_BODY_REQUIRED},
	{.methods = HM_GET, .pattern = V1 "/gifts", .handler = hm_api_gifts_list,
	 .access = HM_ACCESS_PUBLIC, .flags = HM_CACHEABLE},
	{.methods = HM_POST, .pattern = V1 "/gifts", .handler = hm_api_gifts_create,
	 .access = HM_ALLOW_ADMIN, .flags = HM_BODY_REQUIRED},
	{.methods = HM_PATCH, .pattern = V1 "/gifts/{id}", .handler = hm_api_gifts_update,
	 .access = HM_ALLOW_ADMIN, .flags = HM_BODY_REQUIRED},
	{.methods = HM_GET, .pattern = V1 "/reports/loyalty", .handler = hm_api_loyalty_report,
	 .access = HM_ACCESS_STAFF, .flags = HM_BODY_NONE},

	/* Lessons */
	{.methods = HM_POST, .pattern = V1 "/lessons", .handler = hm_api_lessons_create,
	 .access = HM_ACCESS_USERS, .flags = HM_BODY_REQUIRED,
	 .precheck = hm_api_lessons_check},
	{.methods = HM_GET, .pattern = V1 "/lessons", .handler = hm_api_lessons_list,
	 .access = HM_ACCESS_STAFF, .flags = HM_BODY_NONE},
	{.methods = HM_GET, .pattern = V1 "/lessons/{id}", .handler = hm_api_lessons_get,
	 .access = HM_ACCESS_USERS, .flags = HM_BODY_NONE},
	{.methods = HM_POST, .pattern = V1 "/lessons/{id}/cancel", .handler = hm_api_lessons_cancel,
	 .access = HM_ACCESS_USERS, .flags = HM_BODY_OPTIONAL},
	{.methods = HM_POST, .pattern = V1 "/lessons/{id}/log", .handler = hm_api_lessons_log,
	 .access = HM_ACCESS_STAFF, .flags = HM_BODY_REQUIRED},
	{.methods = HM_GET, .pattern = V1 "/me/lessons", .handler = hm_api_me_lessons,
	 .access = HM_ALLOW_STUDENT, .flags = HM_BODY_NONE},

	/* Calendars: the student's feed, its private URL (no login), a tutor's feed */
	{.methods = HM_GET, .pattern = V1 "/me/calendar", .handler = hm_api_me_calendar,
	 .access = HM_ALLOW_STUDENT, .flags = HM_BODY_NONE},
	{.methods = HM_GET, .pattern = V1 "/me/calendar.ics", .handler = hm_api_me_calendar_ics,
	 .access = HM_ALLOW_STUDENT, .flags = HM_BODY_NONE},
	{.methods = HM_POST, .pattern = V1 "/me/calendar/rotate", .handler = hm_api_me_calendar_rotate,
	 .access = HM_ALLOW_STUDENT, .flags = HM_BODY_OPTIONAL},
	{.methods = HM_GET, .pattern = "/calendar/{token}.ics", .handler = hm_api_calendar_feed,
	 .access = HM_ACCESS_PUBLIC, .flags = HM_BODY_NONE},

	/* Clients */
	{.methods = HM_GET, .pattern = V1 "/clients", .handler = hm_api_clients_list,
	 .access = HM_ACCESS_STAFF, .flags = HM_BODY_NONE},
	{.methods = HM_POST, .pattern = V1 "/clients", .handler = hm_api_clients_create,
	 .access = HM_ACCESS_STAFF, .flags = HM_BODY_REQUIRED},
	{.methods = HM_GET, .pattern = V1 "/clients/{id}", .handler = hm_api_clients_get,
	 .access = HM_ACCESS_STAFF, .flags = HM_BODY_NONE},
	{.methods = HM_PATCH, .pattern = V1 "/clients/{id}", .handler = hm_api_clients_update,
	 .access = HM_ACCESS_STAFF, .flags = HM_BODY_REQUIRED},
	{.methods = HM_GET, .pattern = V1 "/clients/{id}/interactions", .handler = hm_api_interactions_list,
	 .access = HM_ACCESS_STAFF, .flags = HM_BODY_NONE},
	{.methods = HM_POST, .pattern = V1 "/clients/{id}/interactions", .handler = hm_api_interactions_create,
	 .access = HM_ACCESS_STAFF, .flags = HM_BODY_REQUIRED},
	{.methods = HM_GET, .pattern = V1 "/clients/{id}/export", .handler = hm_api_clients_export,
	 .access = HM_ALLOW_ADMIN, .flags = HM_BODY_NONE},
	{.methods = HM_POST, .pattern = V1 "/clients/{id}/erase", .handler = hm_api_clients_erase,
	 .access = HM_ALLOW_ADMIN, .flags = HM_BODY_OPTIONAL},
	{.methods = HM_GET, .pattern = V1 "/me/client", .handler = hm_api_me_client_get,
	 .access = HM_ALLOW_STUDENT, .flags = HM_BODY_NONE},
	{.methods = HM_PATCH, .pattern = V1 "/me/client", .handler = hm_api_me_client_update,
	 .access = HM_ALLOW_STUDENT, .flags = HM_BODY_REQUIRED},

	/* Contact channels and inquiries */
	{.methods = HM_GET, .pattern = V1 "/channels", .handler = hm_api_channels_list,
	 .access = HM_ACCESS_PUBLIC, .flags = HM_CACHEABLE},
	{.methods = HM_PATCH, .pattern = V1 "/channels/{id}", .handler = hm_api_channels_update,
	 .access = HM_ALLOW_ADMIN, .flags = HM_BODY_REQUIRED},
	{.methods = HM_POST, .pattern = V1 "/inquiries", .handler = hm_api_inquiries_create,
	 .access = HM_ACCESS_PUBLIC, .flags = HM_BODY_REQUIRED},
	{.methods = HM_GET, .pattern = V1 "/inquiries", .handler = hm_api_inquiries_list,
	 .access = HM_ACCESS_STAFF, .flags = HM_BODY_NONE},
	{.methods = HM_POST, .pattern = V1 "/inquiries/{id}/answer", .handler = hm_api_inquiries_answer,
	 .access = HM_ACCESS_STAFF, .flags = HM_BODY_REQUIRED},

	/* Automatic answers. /ask runs on the request's thread: its search and slot
	 * rules are reads, and only its rate count is a write. */
	{.methods = HM_GET, .pattern = V1 "/answers", .handler = hm_api_answers_list,
	 .access = HM_ACCESS_PUBLIC, .flags = HM_CACHEABLE},
	{.methods = HM_POST, .pattern = V1 "/answers", .handler = hm_api_answers_create,
	 .access = HM_ACCESS_STAFF, .flags = HM_BODY_REQUIRED},
	{.methods = HM_PATCH, .pattern = V1 "/answers/{id}", .handler = hm_api_answers_update,
	 .access = HM_ACCESS_STAFF, .flags = HM_BODY_REQUIRED},
	{.methods = HM_DELETE, .pattern = V1 "/answers/{id}", .handler = hm_api_answers_delete,
	 .access = HM_ACCESS_STAFF, .flags = HM_BODY_NONE},
	{.methods = HM_POST, .pattern = V1 "/ask", .handler = hm_api_ask,
	 .access = HM_ACCESS_PUBLIC, .flags = HM_BODY_REQUIRED | HM_ON_WORKER},

	/* Community, co-creation, tailored suggestions */
	{.methods = HM_GET, .pattern = V1 "/events", .handler = hm_api_events_list,
	 .access = HM_ACCESS_PUBLIC, .flags = HM_BODY_NONE},
	{.methods = HM_POST, .pattern = V1 "/events", .handler = hm_api_events_create,
	 .access = HM_ACCESS_STAFF, .flags = HM_BODY_REQUIRED},
	{.methods = HM_PATCH, .pattern = V1 "/events/{id}", .handler = hm_api_events_update,
	 .access = HM_ACCESS_STAFF, .flags = HM_BODY_REQUIRED},
	{.methods = HM_POST, .pattern = V1 "/events/{id}/registration", .handler = hm_api_events_register,
	 .access = HM_ALLOW_STUDENT, .flags = HM_BODY_OPTIONAL},
	{.methods = HM_DELETE, .pattern = V1 "/events/{id}/registration", .handler = hm_api_events_withdraw,
	 .access = HM_ALLOW_STUDENT, .flags = HM_BODY_NONE},
	{.methods = HM_GET, .pattern = V1 "/contributions", .handler = hm_api_contributions_list,
	 .access = HM_ACCESS_PUBLIC, .flags = HM_BODY_NONE},
	{.methods = HM_POST, .pattern = V1 "/contributions", .handler = hm_api_contributions_create,
	 .access = HM_ALLOW_STUDENT, .flags = HM_BODY_REQUIRED},
	{.methods = HM_POST, .pattern = V1 "/contributions/{id}/review", .handler = hm_api_contributions_review,
	 .access = HM_ACCESS_STAFF, .flags = HM_BODY_REQUIRED},
	{.methods = HM_GET, .pattern = V1 "/me/suggestions", .handler = hm_api_me_suggestions,
	 .access = HM_ALLOW_STUDENT, .flags = HM_BODY_NONE},

	/* Users (admin) */
	{.methods = HM_GET, .pattern = V1 "/users", .handler = hm_api_users_list,
	 .access = HM_ALLOW_ADMIN, .flags = HM_BODY_NONE},
	{.methods = HM_POST, .pattern = V1 "/users", .handler = hm_api_users_create,
	 .access = HM_ALLOW_ADMIN, .flags = HM_BODY_REQUIRED | HM_ON_WORKER},
	{.methods = HM_GET, .pattern = V1 "/users/{id}", .handler = hm_api_users_get,
	 .access = HM_ALLOW_ADMIN, .flags = HM_BODY_NONE},
	{.methods = HM_PATCH, .pattern = V1 "/users/{id}", .handler = hm_api_users_update,
	 .access = HM_ALLOW_ADMIN, .flags = HM_BODY_REQUIRED},
};
// clang-format on

const size_t hm_route_count = sizeof hm_routes / sizeof hm_routes[0];
