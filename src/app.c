// SPDX-License-Identifier: MIT
// Configuration defaults and parsing (`serve`'s command-line options included),
// and the per-thread database connections (include/harreman/app.h). Each worker thread opens its own connection on first
// use; the thread key's destructor closes it when the thread ends.
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "harreman/app.h"
#include "harreman/log.h"
#include "harreman/mailfmt.h"
#include "harreman/sender.h"
#include "harreman/banned.h"

void hm_config_defaults(struct hm_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	snprintf(cfg->listen_host, sizeof cfg->listen_host, "%s", "127.0.0.1");
	cfg->listen_port = 8080;
	cfg->db_path = "harreman.db";
	cfg->web_dir = HM_DEFAULT_WEB_DIR;
	cfg->timezone = "Europe/Madrid";
	cfg->threads = 0;
	cfg->max_connections = 512;
	cfg->max_connections_per_ip = 128;
	cfg->connection_timeout = 30;
	cfg->smtp_backoff = 60;
	hm_config_default_public_url(cfg, cfg->listen_port);
}

bool hm_config_parse_listen(struct hm_config *cfg, const char *text)
{
	const char *colon;
	const char *host = text;
	size_t host_len;
	if (text[0] == '[') {
		const char *close = strchr(text, ']');
		if (!close || close[1] != ':')
			return false;
		host = text + 1;
		host_len = (size_t)(close - host);
		colon = close + 1;
	} else {
		colon = strrchr(text, ':');
		if (!colon)
			return false;
		host_len = (size_t)(colon - text);
	}
	if (host_len == 0 || host_len >= sizeof cfg->listen_host)
		return false;
	char host_copy[sizeof cfg->listen_host];
	unsigned char probe[16];
	memcpy(host_copy, host, host_len);
	host_copy[host_len] = '\0';
	if (inet_pton(AF_INET, host_copy, probe) != 1 && inet_pton(AF_INET6, host_copy, probe) != 1)
		return false; /* numeric addresses only: no resolver surprises at start */
	char *end = NULL;
	errno = 0;
	long port = strtol(colon + 1, &end, 10);
	if (errno || colon[1] == '\0' || *end != '\0' || port < 0 || port > 65535)
		return false;
	memcpy(cfg->listen_host, host, host_len);
	cfg->listen_host[host_len] = '\0';
	cfg->listen_port = (uint16_t)port;
	return true;
}

/* A whole decimal number from min to max into *out; false for anything else. */
static bool parse_count(const char *text, long min, long max, unsigned *out)
{
	char *end = NULL;
	long n = strtol(text, &end, 10);
	if (*end || n < min || n > max)
		return false;
	*out = (unsigned)n;
	return true;
}

/* An https:// address with a host and no spaces or control characters. */
/* An http:// or https:// address with a host, no spaces or control characters. */
static bool web_url_ok(const char *url)
{
	size_t scheme = strncmp(url, "https://", 8) == 0  ? 8
			: strncmp(url, "http://", 7) == 0 ? 7
							  : 0;
	if (!scheme || !url[scheme] || url[scheme] == '/' || strlen(url) > 200)
		return false;
	for (const char *p = url; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f)
			return false;
	return true;
}

static bool https_url_ok(const char *url)
{
	if (strncmp(url, "https://", 8) != 0 || !url[8] || url[8] == '/' || strlen(url) > 1000)
		return false;
	for (const char *p = url; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f)
			return false;
	return true;
}

/* A SHA-256 digest in base64: 43 characters of the alphabet and one '='. */
static bool sha256_base64_ok(const char *text)
{
	static const char alphabet[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	return strlen(text) == 44 && strspn(text, alphabet) == 43 && text[43] == '=';
}

static enum hm_config_args refuse(const char **why, const char *message)
{
	*why = message;
	return HM_CONFIG_ARGS_USAGE_ERROR;
}

enum hm_config_args hm_config_parse_args(struct hm_config *cfg, int argc, char **argv,
					 const char **why)
{
	static const struct option options[] = {
		{"listen", required_argument, NULL, 'l'},
		{"db", required_argument, NULL, 'd'},
		{"web", required_argument, NULL, 'w'},
		{"timezone", required_argument, NULL, 'z'},
		{"trusted-proxy", required_argument, NULL, 'p'},
		{"threads", required_argument, NULL, 't'},
		{"demo", no_argument, NULL, 'D'},
		{"smtp-url", required_argument, NULL, 'S'},
		{"smtp-from", required_argument, NULL, 'F'},
		{"smtp-backoff", required_argument, NULL, 'B'},
		{"public-url", required_argument, NULL, 'P'},
		{"tbai-cert", required_argument, NULL, 'c'},
		{"tbai-url", required_argument, NULL, 'u'},
		{"tbai-policy-id", required_argument, NULL, 'i'},
		{"tbai-policy-digest", required_argument, NULL, 'g'},
		{"tbai-qr-url", required_argument, NULL, 'q'},
		{"tbai-ca", required_argument, NULL, 'a'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int opt;
	*why = NULL;
	optind = 0; /* glibc: start afresh, whoever used getopt before */
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 'l':
			if (!hm_config_parse_listen(cfg, optarg))
				return refuse(
					why,
					"--listen takes a numeric ADDR:PORT, e.g. 127.0.0.1:8080");
			break;
		case 'd': cfg->db_path = optarg; break;
		case 'w': cfg->web_dir = optarg; break;
		case 'z': cfg->timezone = optarg; break;
		case 'p': cfg->trusted_proxy = optarg; break;
		case 'D': cfg->demo = true; break;
		case 'S':
			if (!hm_sender_url_ok(optarg))
				return refuse(
					why,
					"--smtp-url takes smtp://HOST[:PORT] or smtps://HOST[:PORT]");
			cfg->smtp_url = optarg;
			break;
		case 'F':
			if (!hm_mail_address_ok(optarg))
				return refuse(why, "--smtp-from takes an e-mail address");
			cfg->smtp_from = optarg;
			break;
		case 'B':
			if (!parse_count(optarg, 1, 86400, &cfg->smtp_backoff))
				return refuse(why, "--smtp-backoff takes seconds from 1 to 86400");
			break;
		case 'P':
			if (!web_url_ok(optarg))
				return refuse(why,
					      "--public-url takes an http:// or https:// address"
					      " (at most 200 characters)");
			cfg->public_url = optarg;
			break;
		case 'c': cfg->tbai_cert = optarg; break;
		case 'a': cfg->tbai_ca = optarg; break;
		case 'u':
			if (!https_url_ok(optarg))
				return refuse(why, "--tbai-url takes an https:// address");
			cfg->tbai_url = optarg;
			break;
		case 'i':
			if (!https_url_ok(optarg))
				return refuse(why, "--tbai-policy-id takes an https:// address");
			cfg->tbai_policy_id = optarg;
			break;
		case 'g':
			if (!sha256_base64_ok(optarg))
				return refuse(
					why, "--tbai-policy-digest takes a SHA-256 digest in base64"
					     " (44 characters)");
			cfg->tbai_policy_digest = optarg;
			break;
		case 'q':
			if (!https_url_ok(optarg))
				return refuse(why, "--tbai-qr-url takes an https:// address");
			cfg->tbai_qr_url = optarg;
			break;
		case 't':
			if (!parse_count(optarg, 1, 256, &cfg->threads))
				return refuse(why, "--threads takes a number from 1 to 256");
			break;
		case 'h': return HM_CONFIG_ARGS_HELP;
		default: return refuse(why, NULL); /* getopt_long has said why */
		}
	}
	if (optind != argc)
		return refuse(why, "serve takes no positional arguments");
	hm_config_default_public_url(cfg, cfg->listen_port);
	if (cfg->smtp_url && !cfg->smtp_from)
		return refuse(why, "--smtp-url needs --smtp-from ADDR, the sender's address");
	if (cfg->tbai_url && !cfg->tbai_cert)
		return refuse(why,
			      "--tbai-url needs --tbai-cert FILE.p12 (the client certificate)");
	return HM_CONFIG_ARGS_OK;
}

void hm_config_default_public_url(struct hm_config *cfg, unsigned port)
{
	bool v6 = strchr(cfg->listen_host, ':') != NULL;
	snprintf(cfg->default_public_url, sizeof cfg->default_public_url, "http://%s%s%s:%u",
		 v6 ? "[" : "", cfg->listen_host, v6 ? "]" : "", port);
}

bool hm_config_apply_timezone(const char *zone)
{
	if (!zone || !*zone || zone[0] == '/' || strstr(zone, "..") || strlen(zone) > 64)
		return false;
	const char *dir = getenv("TZDIR");
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", zone);
	struct stat st;
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return false;
	if (setenv("TZ", zone, 1) != 0)
		return false;
	tzset();
	return true;
}

/* Every request thread's connection, so an idle server can give their caches back
 * (hm_app_release_memory). One app per process, so one list. */
#define MAX_THREAD_DBS 256
static pthread_mutex_t thread_dbs_lock = PTHREAD_MUTEX_INITIALIZER;
static struct hm_db *thread_dbs[MAX_THREAD_DBS];

static void remember_thread_db(struct hm_db *db, bool add)
{
	pthread_mutex_lock(&thread_dbs_lock);
	for (size_t i = 0; i < MAX_THREAD_DBS; i++) {
		if (add && !thread_dbs[i]) {
			thread_dbs[i] = db;
			break;
		}
		if (!add && thread_dbs[i] == db) {
			thread_dbs[i] = NULL;
			break;
		}
	}
	pthread_mutex_unlock(&thread_dbs_lock);
}

static void close_thread_db(void *db)
{
	remember_thread_db(db, false);
	hm_db_close(db);
}

void hm_app_release_memory(void)
{
	pthread_mutex_lock(&thread_dbs_lock);
	for (size_t i = 0; i < MAX_THREAD_DBS; i++)
		if (thread_dbs[i])
			hm_db_release_memory(thread_dbs[i]);
	pthread_mutex_unlock(&thread_dbs_lock);
	hm_db_release_writer_memory();
}

bool hm_app_init(struct hm_app *app, const struct hm_config *cfg, const char **why)
{
	memset(app, 0, sizeof *app);
	app->cfg = *cfg;
	if (!realpath(cfg->web_dir, app->web_root)) {
		*why = "the web directory does not exist";
		return false;
	}
	if (pthread_key_create(&app->db_key, close_thread_db) != 0) {
		*why = "cannot create a thread key";
		return false;
	}
	return true;
}

void hm_app_release(struct hm_app *app)
{
	hm_app_close_thread_db(app);
	pthread_key_delete(app->db_key);
	sodium_memzero(app->secret, sizeof app->secret);
	app->has_secret = false;
}

/* Reads exactly HM_SECRET_BYTES from fd into out. */
static bool read_secret(int fd, unsigned char *out)
{
	size_t got = 0;
	while (got < HM_SECRET_BYTES) {
		ssize_t n = read(fd, out + got, HM_SECRET_BYTES - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		got += (size_t)n;
	}
	unsigned char extra;
	return read(fd, &extra, 1) == 0;
}

bool hm_app_load_secret(struct hm_app *app, const char *path, const char **why)
{
	unsigned char fresh[HM_SECRET_BYTES];
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 && errno == ENOENT) {
		/* O_EXCL: two servers starting at once cannot each write a different key. */
		randombytes_buf(fresh, sizeof fresh);
		int out = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
		if (out >= 0) {
			bool written = write(out, fresh, sizeof fresh) == (ssize_t)sizeof fresh;
			written = fsync(out) == 0 && written;
			if (close(out) != 0 || !written) {
				unlink(path);
				sodium_memzero(fresh, sizeof fresh);
				*why = "cannot write the secret key file";
				return false;
			}
			hm_log_info("created the secret key file %s", path);
		} else if (errno != EEXIST) {
			sodium_memzero(fresh, sizeof fresh);
			*why = "cannot create the secret key file";
			return false;
		}
		sodium_memzero(fresh, sizeof fresh);
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	}
	if (fd < 0) {
		*why = "cannot open the secret key file";
		return false;
	}
	struct stat st;
	if (fstat(fd, &st) == 0 && (st.st_mode & 077))
		hm_log_warn("the secret key file %s can be read by others: chmod 600 it", path);
	bool ok = read_secret(fd, app->secret);
	close(fd);
	if (!ok) {
		sodium_memzero(app->secret, sizeof app->secret);
		*why = "the secret key file is not 32 bytes";
		return false;
	}
	app->has_secret = true;
	return true;
}

struct hm_db *hm_app_db(struct hm_app *app)
{
	struct hm_db *db = pthread_getspecific(app->db_key);
	if (db)
		return db;
	db = hm_db_open(app->cfg.db_path);
	if (db && pthread_setspecific(app->db_key, db) != 0) {
		hm_db_close(db);
		db = NULL;
	}
	if (db)
		remember_thread_db(db, true);
	return db;
}

void hm_app_close_thread_db(struct hm_app *app)
{
	struct hm_db *db = pthread_getspecific(app->db_key);
	if (db) {
		pthread_setspecific(app->db_key, NULL);
		remember_thread_db(db, false);
		hm_db_close(db);
	}
}
