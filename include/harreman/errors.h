/* SPDX-License-Identifier: MIT */
/* The one list of outcomes a request can have, and the table that maps each to an
 * HTTP status and to API.md's error `code`. Internal functions return these. */
#ifndef HARREMAN_ERRORS_H
#define HARREMAN_ERRORS_H

enum hm_err {
	HM_OK = 0,
	HM_ERR_BAD_JSON,
	HM_ERR_UNAUTHENTICATED,
	HM_ERR_INVALID_CREDENTIALS,
	HM_ERR_FORBIDDEN,
	HM_ERR_CSRF_FAILED,
	HM_ERR_NOT_FOUND,
	HM_ERR_METHOD_NOT_ALLOWED,
	HM_ERR_SLOT_TAKEN,
	HM_ERR_CLIENT_BUSY,
	HM_ERR_FULL,
	HM_ERR_TOO_LATE_TO_CANCEL,
	HM_ERR_EMAIL_TAKEN,
	HM_ERR_NO_SESSIONS_LEFT,
	HM_ERR_CONFLICT,
	HM_ERR_IN_DIRECT_DEBIT, /* a desk payment for an invoice an open run holds */
	HM_ERR_PAYLOAD_TOO_LARGE,
	HM_ERR_URI_TOO_LONG,
	HM_ERR_UNSUPPORTED_MEDIA_TYPE,
	HM_ERR_VALIDATION_FAILED,
	HM_ERR_RATE_LIMITED,
	HM_ERR_INTERNAL,
	HM_ERR_UNAVAILABLE,
	HM_ERR_COUNT_
};

struct hm_err_info {
	int status;          /* HTTP status */
	const char *code;    /* API.md's machine-readable code */
	const char *message; /* default human-readable message */
};

/* The row of the table for err; never NULL (unknown values map to `internal`). */
const struct hm_err_info *hm_err_info(enum hm_err err);

#endif
