// SPDX-License-Identifier: MIT
// The one table from internal outcomes to HTTP statuses and API.md's error codes.
#include "harreman/errors.h"
#include "harreman/banned.h"

static const struct hm_err_info table[HM_ERR_COUNT_] = {
	[HM_OK] = {200, "ok", "ok"},
	[HM_ERR_BAD_JSON] = {400, "bad_json", "The request body must be a JSON object."},
	[HM_ERR_UNAUTHENTICATED] = {401, "unauthenticated", "Log in first."},
	[HM_ERR_INVALID_CREDENTIALS] = {401, "invalid_credentials", "Wrong e-mail or password."},
	[HM_ERR_FORBIDDEN] = {403, "forbidden", "Your role does not allow this."},
	[HM_ERR_CSRF_FAILED] = {403, "csrf_failed", "Missing or wrong X-CSRF-Token header."},
	[HM_ERR_NOT_FOUND] = {404, "not_found", "No such resource."},
	[HM_ERR_METHOD_NOT_ALLOWED] = {405, "method_not_allowed",
				       "This path does not take that method."},
	[HM_ERR_SLOT_TAKEN] = {409, "slot_taken", "That time is already taken."},
	[HM_ERR_CLIENT_BUSY] = {409, "client_busy",
				"The client already has a lesson at that time."},
	[HM_ERR_FULL] = {409, "full", "No seats left."},
	[HM_ERR_TOO_LATE_TO_CANCEL] = {409, "too_late_to_cancel",
				       "Lessons can be cancelled until 24 hours before."},
	[HM_ERR_EMAIL_TAKEN] = {409, "email_taken", "That e-mail address is already registered."},
	[HM_ERR_NO_SESSIONS_LEFT] = {409, "no_sessions_left",
				     "The subscription has no sessions left."},
	[HM_ERR_CONFLICT] = {409, "conflict", "The resource is not in a state that allows this."},
	[HM_ERR_IN_DIRECT_DEBIT] = {409, "in_direct_debit",
				    "An open direct-debit run is collecting this invoice; settle"
				    " the run or record its return first."},
	[HM_ERR_PAYLOAD_TOO_LARGE] = {413, "payload_too_large", "The request body is over 64 KiB."},
	[HM_ERR_URI_TOO_LONG] = {414, "uri_too_long",
				 "The address is too long: at most 8 KiB and 32 query parameters."},
	[HM_ERR_UNSUPPORTED_MEDIA_TYPE] = {415, "unsupported_media_type",
					   "Send the body as application/json."},
	[HM_ERR_VALIDATION_FAILED] = {422, "validation_failed", "Some fields are not valid."},
	[HM_ERR_RATE_LIMITED] = {429, "rate_limited", "Too many attempts; try again later."},
	[HM_ERR_INTERNAL] = {500, "internal", "Something went wrong on our side."},
	[HM_ERR_UNAVAILABLE] = {503, "unavailable", "The service is unavailable right now."},
};

const struct hm_err_info *hm_err_info(enum hm_err err)
{
	if ((int)err < 0 || err >= HM_ERR_COUNT_ || !table[err].code)
		return &table[HM_ERR_INTERNAL];
	return &table[err];
}
