/* SPDX-License-Identifier: MIT */
/* The running application: its configuration (defaults and `serve`'s command-line
 * options) and the per-thread database connections every worker uses. Built by
 * main.c, borrowed by everything else. */
#ifndef HARREMAN_APP_H
#define HARREMAN_APP_H

#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "harreman/db.h"

struct hm_config {
	char listen_host[64]; /* "127.0.0.1" */
	uint16_t listen_port; /* 8080; 0 picks a free port */
	const char *db_path;  /* borrowed from argv or a default */
	const char *web_dir;
	const char *timezone;      /* "Europe/Madrid" */
	const char *trusted_proxy; /* an address, or NULL */
	bool demo;
	unsigned threads; /* worker threads; 0 = one per CPU */
	unsigned max_connections;
	unsigned max_connections_per_ip;
	unsigned connection_timeout; /* seconds a connection may stay idle */
	const char *smtp_url;        /* "smtp://host:port" or "smtps://...", or NULL: no relay */
	const char *smtp_from;       /* the From address of outgoing mail, or NULL */
	unsigned smtp_backoff;       /* seconds before the first retry; doubles per attempt */
	/* Where clients reach the booking page (links in e-mails): --public-url, else
	 * default_public_url, http://LISTEN-ADDR:PORT (the port bound, once known). */
	const char *public_url;
	char default_public_url[96];
	/* TicketBAI (docs/operations.md): the PKCS#12 certificate (password from
	 * HARREMAN_TBAI_CERT_PASSWORD) and overrides of the territory's defaults
	 * (NULL: the default of hm_tbai_territory_defaults). */
	const char *tbai_cert;
	const char *tbai_url; /* where signed invoices are sent, or NULL: kept signed */
	const char *tbai_policy_id, *tbai_policy_digest, *tbai_qr_url;
	const char *tbai_ca; /* PEM bundle trusted for --tbai-url instead of the system's */
};

struct hm_sender;
struct hm_writer;
struct hm_tbai_worker;
struct hm_tbai_send;

#define HM_SECRET_BYTES 32

struct hm_app {
	struct hm_config cfg;
	char web_root[PATH_MAX];               /* realpath of cfg.web_dir */
	pthread_key_t db_key;                  /* this thread's struct hm_db * */
	struct hm_sender *sender;              /* the outbox's sender thread (borrowed), or NULL */
	struct hm_writer *writer;              /* the group-commit writer (borrowed), or NULL: write
				    * handlers run on the request's own thread */
	unsigned char secret[HM_SECRET_BYTES]; /* the server's key (calendar feed tokens) */
	bool has_secret;                       /* secret was loaded (hm_app_load_secret) */
	struct hm_tbai_worker *tbai;           /* the TicketBAI signer thread (borrowed), or NULL */
	struct hm_tbai_send *tbai_send; /* the sending thread (--tbai-url, borrowed), or NULL */
	char tbai_subject[256];         /* the signing certificate's subject, or "" */
	bool tbai_test_cert;            /* ... is a TEST certificate (--demo) */
};

/* Fills cfg with the defaults. */
void hm_config_defaults(struct hm_config *cfg);

/* Parses "ADDR:PORT" (numeric IPv4, or [IPv6]:PORT) into cfg. False when malformed. */
bool hm_config_parse_listen(struct hm_config *cfg, const char *text);

/* What hm_config_parse_args found. */
enum hm_config_args {
	HM_CONFIG_ARGS_OK,          /* cfg holds the options: go on */
	HM_CONFIG_ARGS_HELP,        /* --help: print the usage on stdout, exit 0 */
	HM_CONFIG_ARGS_USAGE_ERROR, /* print *why (when not NULL) and the usage, exit 2 */
};

/* Parses `serve`'s options (argv[0] is the command's name, as getopt_long wants;
 * optind is restarted) over cfg, which holds the defaults: --listen, --db, --web,
 * --timezone, --trusted-proxy, --threads, --demo, --smtp-url, --smtp-from, --public-url,
 * --smtp-backoff, --tbai-cert, --tbai-url, --tbai-policy-id, --tbai-policy-digest,
 * --tbai-qr-url, --tbai-ca, --help. The strings in cfg then point into argv (borrowed for as
 * long as cfg). On HM_CONFIG_ARGS_USAGE_ERROR, *why is a static message, or NULL
 * when getopt_long has already complained on stderr. The time zone is not applied
 * here (hm_config_apply_timezone). */
enum hm_config_args hm_config_parse_args(struct hm_config *cfg, int argc, char **argv,
					 const char **why);

/* Writes http://LISTEN-ADDR:port into cfg->default_public_url (the links of
 * e-mails when --public-url is not given). */
void hm_config_default_public_url(struct hm_config *cfg, unsigned port);

/* Sets the process time zone after checking the tz database knows it. */
bool hm_config_apply_timezone(const char *zone);

/* Prepares app for cfg (copied): resolves the web root and the thread key. False
 * with *why on failure. Release with hm_app_release. */
bool hm_app_init(struct hm_app *app, const struct hm_config *cfg, const char **why);
void hm_app_release(struct hm_app *app);

/* Loads the server's secret key from path, creating it (32 random bytes, mode
 * 0600) when it does not exist. The key never goes into the database, so a copy of
 * the database alone cannot be used to make working feed URLs. False with *why. */
bool hm_app_load_secret(struct hm_app *app, const char *path, const char **why);

/* This thread's database connection, opened on first use and closed when the
 * thread ends (or by hm_app_close_thread_db). NULL when it cannot be opened. */
struct hm_db *hm_app_db(struct hm_app *app);
void hm_app_close_thread_db(struct hm_app *app);

/* Gives back what the request threads' connections cache (and the shared writer's).
 * Call only while no request is being answered (the server's idle housekeeping). */
void hm_app_release_memory(void);

#endif
