/* SPDX-License-Identifier: MIT */
/* Who acts: the roles of the API and the identity the dispatcher finds behind a
 * session cookie or a bearer token. Plain C types shared by the HTTP layer (which
 * fills them) and the layers under it (accounts and sessions store them), so that
 * none of those has to include the HTTP layer. */
#ifndef HARREMAN_IDENTITY_H
#define HARREMAN_IDENTITY_H

#include <stdbool.h>
#include <stdint.h>

enum hm_role {
	HM_ROLE_NONE = 0, /* anonymous */
	HM_ROLE_STUDENT,
	HM_ROLE_STAFF,
	HM_ROLE_ADMIN,
};

/* Who is asking; filled by the dispatcher from the session cookie or bearer token. */
struct hm_identity {
	int64_t user_id; /* 0 when anonymous */
	enum hm_role role;
	bool via_cookie;     /* authenticated by the session cookie (CSRF applies) */
	bool via_bearer;     /* authenticated by an API token */
	int64_t session_id;  /* the session row, when via_cookie */
	char csrf_token[48]; /* the session's CSRF token, when via_cookie */
};

#endif
