// SPDX-License-Identifier: MIT
// The `harreman` command: parses the command line, wires the modules together,
// handles signals. Nothing else lives here.
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <sodium.h>

#include "harreman/accounts.h"
#include "harreman/app.h"
#include "harreman/demo.h"
#include "harreman/log.h"
#include "harreman/password.h"
#include "harreman/sender.h"
#include "harreman/stemmer_lib.h"
#include "harreman/tbai.h"
#include "harreman/tbai_send.h"
#include "harreman/tbai_worker.h"
#include "harreman/writer.h"
#include "harreman/curl_lib.h"
#include "harreman/response_cache.h"
#include "harreman/server.h"
#include "harreman/timefmt.h"
#include "harreman/validate.h"
#include "harreman/banned.h"

#define EXIT_USAGE 2

static const char usage_text[] =
	"Usage:\n"
	"  harreman serve [--listen ADDR:PORT] [--db PATH] [--web DIR] [--timezone ZONE]\n"
	"                 [--trusted-proxy ADDR] [--threads N] [--demo]\n"
	"                 [--smtp-url smtp://HOST:PORT --smtp-from ADDR] [--smtp-backoff SECONDS]\n"
	"                 [--public-url https://HOST]  (links in e-mails; default\n"
	"                 http://LISTEN-ADDR:PORT)\n"
	"                 [--tbai-cert FILE.p12] [--tbai-url https://...]\n"
	"                 [--tbai-policy-id URL] [--tbai-policy-digest BASE64] [--tbai-qr-url URL]\n"
	"                 [--tbai-ca CA.pem]\n"
	"        (the certificate's password comes from HARREMAN_TBAI_CERT_PASSWORD; the\n"
	"        policy and QR defaults are the business's territory's: docs/operations.md)\n"
	"  harreman migrate --db PATH\n"
	"  harreman user add --role admin|staff|student --email E --name N --db PATH\n"
	"        (the password comes from HARREMAN_PASSWORD, or else standard input)\n"
	"  harreman backup OUT --db PATH\n"
	"  harreman restore BACKUP --db PATH   (PATH must not exist)\n"
	"  harreman --help | --version\n"
	"\n"
	"serve defaults: --listen 127.0.0.1:8080 --db harreman.db --timezone Europe/Madrid\n";

static int usage_error(const char *why)
{
	if (why)
		fprintf(stderr, "harreman: %s\n", why);
	fputs(usage_text, stderr);
	return EXIT_USAGE;
}

/* Opens and migrates the database at path; NULL (reported) on failure. */
static struct hm_db *open_migrated(const char *path)
{
	struct hm_db *db = hm_db_open(path);
	if (!db) {
		fprintf(stderr, "harreman: cannot open the database %s\n", path);
		return NULL;
	}
	const char *why = NULL;
	if (hm_db_migrate(db, &why) != HM_OK) {
		fprintf(stderr, "harreman: %s: %s\n", path, why ? why : "migration failed");
		hm_db_close(db);
		return NULL;
	}
	return db;
}

/* The writer's hook after every batch (committed or not, writer.h): what a
 * committed batch queued in the outbox, and the invoices it issued, are visible
 * now. */
static void wake_sender(void *arg)
{
	struct hm_app *app = arg;
	hm_sender_wake(app->sender);
	hm_tbai_worker_wake(app->tbai);
	hm_tbai_send_wake(app->tbai_send);
}

/* The password of --tbai-cert from HARREMAN_TBAI_CERT_PASSWORD into out, then
 * wiped from the environment; false when too long. */
static bool take_cert_password(char *out, size_t size)
{
	char *env = getenv("HARREMAN_TBAI_CERT_PASSWORD");
	size_t len = env ? strlen(env) : 0;
	out[0] = '\0';
	if (len >= size)
		return false;
	if (env) {
		memcpy(out, env, len + 1);
		sodium_memzero(env, len);
		unsetenv("HARREMAN_TBAI_CERT_PASSWORD");
	}
	return true;
}

/* serve --demo without --tbai-cert: a TEST certificate made now in a private
 * directory (0700) with a random password, loaded, and its files removed. */
static struct hm_tbai_signer *demo_signer(const char **why)
{
	const char *tmp = getenv("TMPDIR");
	char dir[PATH_MAX], p12[PATH_MAX + 16], password[33];
	unsigned char raw[16];
	struct hm_tbai_signer *signer = NULL;
	snprintf(dir, sizeof dir, "%s/harreman-tbai-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		*why = "cannot make a private directory for the test certificate";
		return NULL;
	}
	snprintf(p12, sizeof p12, "%s/test.p12", dir);
	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(password, sizeof password, raw, sizeof raw);
	if (hm_tbai_testcert_write(p12, password, NULL, 365, why))
		signer = hm_tbai_signer_open(p12, password, why);
	unlink(p12);
	rmdir(dir);
	sodium_memzero(password, sizeof password);
	sodium_memzero(raw, sizeof raw);
	return signer;
}

/* The TicketBAI signer thread when a certificate is configured (or --demo): true
 * with app->tbai NULL when there is none; false (reported) on failure. */
static bool start_tbai(struct hm_app *app)
{
	const struct hm_config *cfg = &app->cfg;
	struct hm_tbai_signer *signer = NULL;
	const char *why = NULL;
	if (cfg->tbai_cert) {
		char password[1024];
		char *cert_pem = NULL, *key_pem = NULL;
		if (!take_cert_password(password, sizeof password))
			why = "HARREMAN_TBAI_CERT_PASSWORD is too long";
		else if ((signer = hm_tbai_signer_open(cfg->tbai_cert, password, &why)) &&
			 cfg->tbai_url &&
			 !hm_tbai_p12_pem(cfg->tbai_cert, password, &cert_pem, &key_pem, &why)) {
			hm_tbai_signer_close(signer);
			signer = NULL;
		}
		sodium_memzero(password, sizeof password);
		if (!signer) {
			fprintf(stderr, "harreman: --tbai-cert %s: %s\n", cfg->tbai_cert, why);
			return false;
		}
		/* The client certificate of --tbai-url (libcurl: loaded for mail, or now). */
		if (cert_pem) {
			if (hm_curl_load(&why)) {
				/* takes the PEM texts, freed on failure too */
				app->tbai_send = hm_tbai_send_start(app, cert_pem, key_pem, &why);
			} else {
				free(cert_pem);
				hm_tbai_pem_free(key_pem);
			}
			if (!app->tbai_send) {
				fprintf(stderr, "harreman: --tbai-url: %s\n", why);
				hm_tbai_signer_close(signer);
				return false;
			}
		}
	} else if (cfg->demo) {
		if (!(signer = demo_signer(&why))) {
			fprintf(stderr, "harreman: the demo's test certificate: %s\n", why);
			return false;
		}
	} else {
		hm_log_info("ticketbai: no --tbai-cert: invoices stay pending until one is given");
		return true;
	}
	const char *subject = hm_tbai_signer_subject(signer);
	snprintf(app->tbai_subject, sizeof app->tbai_subject, "%s", subject ? subject : "");
	app->tbai_test_cert = strstr(app->tbai_subject, HM_TBAI_TEST_CERT_CN) != NULL;
	if (app->tbai_test_cert)
		hm_log_warn("ticketbai: signing with a TEST certificate: invoices are not valid");
	app->tbai = hm_tbai_worker_start(app, signer, &why);
	if (!app->tbai)
		fprintf(stderr, "harreman: %s\n", why);
	return app->tbai != NULL;
}

static int cmd_serve(int argc, char **argv)
{
	struct hm_config cfg;
	struct hm_app app;
	struct hm_db *db = NULL;
	struct hm_server *server = NULL;
	struct hm_sender *sender = NULL;
	struct hm_writer *writer = NULL;
	bool app_ready = false;
	char secret_path[PATH_MAX];
	int status = EXIT_FAILURE;
	const char *why = NULL;

	hm_config_defaults(&cfg);
	switch (hm_config_parse_args(&cfg, argc, argv, &why)) {
	case HM_CONFIG_ARGS_OK: break;
	case HM_CONFIG_ARGS_HELP: fputs(usage_text, stdout); return EXIT_SUCCESS;
	case HM_CONFIG_ARGS_USAGE_ERROR: return usage_error(why);
	}
	if (!hm_config_apply_timezone(cfg.timezone)) {
		fprintf(stderr, "harreman: unknown time zone %s (is tzdata installed?)\n",
			cfg.timezone);
		return EXIT_USAGE;
	}

	/* Signals are taken by sigwait below; every thread started after this inherits
	 * the mask, so none of them is interrupted. */
	sigset_t stop_signals;
	sigemptyset(&stop_signals);
	sigaddset(&stop_signals, SIGINT);
	sigaddset(&stop_signals, SIGTERM);
	if (pthread_sigmask(SIG_BLOCK, &stop_signals, NULL) != 0) {
		fprintf(stderr, "harreman: cannot block the stop signals\n");
		goto out;
	}
	signal(SIGPIPE, SIG_IGN);

	if (!hm_app_init(&app, &cfg, &why)) {
		fprintf(stderr, "harreman: %s: %s\n", cfg.web_dir, why);
		goto out;
	}
	app_ready = true;
	if (hm_db_check_writable(cfg.db_path, &why) != HM_OK) {
		fprintf(stderr, "harreman: %s\n", why);
		goto out;
	}
	if (!(db = open_migrated(cfg.db_path)))
		goto out;
	if (hm_db_watch(db, &why) != HM_OK) {
		fprintf(stderr, "harreman: %s: %s\n", cfg.db_path, why);
		goto out;
	}
	/* The key beside the database (not in it) that calendar feed tokens derive from. */
	snprintf(secret_path, sizeof secret_path, "%s.secret", cfg.db_path);
	if (!hm_app_load_secret(&app, secret_path, &why)) {
		fprintf(stderr, "harreman: %s: %s\n", secret_path, why);
		goto out;
	}
	if (cfg.demo) {
		bool seeded = false;
		if (hm_demo_seed(db, &seeded) != HM_OK) {
			fprintf(stderr, "harreman: cannot create the demo data\n");
			goto out;
		}
		printf("Demo data %s. Demo logins:\n", seeded ? "created" : "already present");
		for (int i = 0; i < hm_demo_login_count; i++)
			printf("  %-8s %-26s %s\n", hm_demo_logins[i].role, hm_demo_logins[i].email,
			       hm_demo_logins[i].password);
	}
	hm_db_share_writer(db); /* from now on the write transactions' connection */
	/* libcurl (and the TLS library under it) only when there is a relay to talk
	 * to: initialising it costs several MiB of resident memory (performance.md). */
	if (cfg.smtp_url) {
		if (!hm_curl_load(&why)) {
			fprintf(stderr, "harreman: --smtp-url: %s\n", why);
			goto out;
		}
	}
	if (!(sender = hm_sender_start(&app, &why))) {
		fprintf(stderr, "harreman: %s\n", why);
		goto out;
	}
	app.sender = sender;
	/* The writer before the signer, which stores its signatures through it (and
	 * stops before it, below); no batch runs before the server starts. */
	if (!(writer = hm_writer_start(db, wake_sender, &app, &why))) {
		fprintf(stderr, "harreman: %s\n", why);
		goto out;
	}
	app.writer = writer;
	if (!start_tbai(&app))
		goto out;
	if (!(server = hm_server_start(&app, &why))) {
		fprintf(stderr, "harreman: %s:%u: %s\n", cfg.listen_host, cfg.listen_port, why);
		goto out;
	}
	/* --listen ...:0: the links of e-mails name the port bound (before any request
	 * can have been told the address). */
	if (cfg.listen_port == 0)
		hm_config_default_public_url(&app.cfg, hm_server_port(server));
	const char *open_bracket = strchr(cfg.listen_host, ':') ? "[" : "";
	const char *close_bracket = *open_bracket ? "]" : "";
	printf("Harreman %s listening on http://%s%s%s:%u/ (database %s, time zone %s)\n",
	       HM_VERSION, open_bracket, cfg.listen_host, close_bracket, hm_server_port(server),
	       cfg.db_path, cfg.timezone);
	fflush(stdout);

	int sig = 0;
	while (sigwait(&stop_signals, &sig) != 0)
		;
	hm_log_info("signal %d: finishing requests in flight, then stopping", sig);
	hm_server_stop(server);
	server = NULL;
	status = EXIT_SUCCESS;
out:
	hm_server_stop(server);
	/* After the server (no request is parked with the writer any more), the
	 * TicketBAI threads (the signer's last store goes through the writer), then
	 * the writer: nothing can wake the sender after it. */
	if (app_ready) {
		hm_tbai_send_stop(app.tbai_send);
		app.tbai_send = NULL;
		hm_tbai_worker_stop(app.tbai);
		app.tbai = NULL;
		app.writer = NULL;
	}
	hm_writer_stop(writer);
	if (app_ready)
		app.sender = NULL;
	hm_sender_stop(sender);
	hm_curl_unload(); /* loaded for --smtp-url or --tbai-url, or nothing to do */
	hm_db_share_writer(NULL);
	hm_cache_clear(); /* nothing is left allocated at exit (valgrind counts it) */
	if (app_ready)
		hm_app_release(&app);
	hm_db_close(db);
	if (status == EXIT_SUCCESS)
		hm_log_info("stopped; database closed");
	return status;
}

/* Parses `--db PATH` and nothing else (migrate, backup, restore). */
static bool parse_db_only(int argc, char **argv, const char **db_path)
{
	static const struct option options[] = {
		{"db", required_argument, NULL, 'd'},
		{NULL, 0, NULL, 0},
	};
	int opt;
	*db_path = NULL;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		if (opt != 'd')
			return false;
		*db_path = optarg;
	}
	return *db_path != NULL;
}

static int cmd_migrate(int argc, char **argv)
{
	const char *path;
	if (!parse_db_only(argc, argv, &path) || optind != argc)
		return usage_error("migrate needs --db PATH");
	struct hm_db *db = open_migrated(path);
	if (!db)
		return EXIT_FAILURE;
	printf("%s: schema version %d\n", path, hm_db_schema_version(db));
	hm_db_close(db);
	return EXIT_SUCCESS;
}

static int cmd_backup(int argc, char **argv)
{
	const char *path, *why = NULL;
	if (!parse_db_only(argc, argv, &path) || optind != argc - 1)
		return usage_error("backup needs OUT and --db PATH");
	const char *out = argv[optind];
	if (hm_db_backup(path, out, &why) != HM_OK) {
		fprintf(stderr, "harreman: backup of %s to %s failed: %s\n", path, out, why);
		return EXIT_FAILURE;
	}
	printf("backed up %s to %s\n", path, out);
	return EXIT_SUCCESS;
}

static int cmd_restore(int argc, char **argv)
{
	const char *path, *why = NULL;
	if (!parse_db_only(argc, argv, &path) || optind != argc - 1)
		return usage_error("restore needs BACKUP and --db PATH");
	const char *backup = argv[optind];
	if (hm_db_restore(backup, path, &why) != HM_OK) {
		fprintf(stderr, "harreman: restore of %s to %s failed: %s\n", backup, path, why);
		return EXIT_FAILURE;
	}
	printf("restored %s to %s\n", backup, path);
	return EXIT_SUCCESS;
}

/* The password from HARREMAN_PASSWORD, or one line of standard input (not echoed
 * when it is a terminal). */
static bool read_password(char *out, size_t size)
{
	const char *env = getenv("HARREMAN_PASSWORD");
	if (env) {
		size_t len = strlen(env);
		if (len >= size)
			return false;
		memcpy(out, env, len + 1);
		return true;
	}
	struct termios saved, quiet;
	bool tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved) == 0;
	if (tty) {
		fputs("Password: ", stderr);
		quiet = saved;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	bool ok = fgets(out, (int)size, stdin) != NULL;
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
		fputs("\n", stderr);
	}
	if (ok)
		out[strcspn(out, "\r\n")] = '\0';
	return ok;
}

static int cmd_user_add(int argc, char **argv)
{
	static const struct option options[] = {
		{"role", required_argument, NULL, 'r'},
		{"email", required_argument, NULL, 'e'},
		{"name", required_argument, NULL, 'n'},
		{"db", required_argument, NULL, 'd'},
		{NULL, 0, NULL, 0},
	};
	const char *role_name = NULL, *email_in = NULL, *name = NULL, *path = NULL;
	char email[HM_MAX_EMAIL + 1], password[HM_PASSWORD_MAX + 2];
	char hash[HM_PASSWORD_HASH_LEN];
	struct hm_db *db = NULL;
	int status = EXIT_FAILURE, opt;
	int64_t user_id = 0;

	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 'r': role_name = optarg; break;
		case 'e': email_in = optarg; break;
		case 'n': name = optarg; break;
		case 'd': path = optarg; break;
		default: return usage_error(NULL);
		}
	}
	if (!role_name || !email_in || !name || !path || optind != argc)
		return usage_error("user add needs --role, --email, --name and --db");
	enum hm_role role = hm_role_from_name(role_name);
	if (role == HM_ROLE_NONE)
		return usage_error("--role must be admin, staff or student");
	if (!hm_email_normalize(email_in, email))
		return usage_error("--email is not a valid e-mail address");
	if (!hm_text_is_valid(name, HM_MAX_NAME))
		return usage_error("--name must be 1 to 200 characters");
	if (!read_password(password, sizeof password) ||
	    hm_utf8_chars(password) < HM_PASSWORD_MIN || strlen(password) > HM_PASSWORD_MAX) {
		fprintf(stderr, "harreman: the password must be 10 to 1024 characters\n");
		goto out;
	}
	if (!(db = open_migrated(path)))
		goto out;
	if (!hm_password_hash(password, hash)) {
		fprintf(stderr, "harreman: cannot hash the password (out of memory?)\n");
		goto out;
	}
	const struct hm_new_user user = {
		.email = email,
		.password_hash = hash,
		.full_name = name,
		.role = role,
	};
	const struct hm_actor cli = {.user_id = 0, .request_id = NULL, .now = hm_time_now()};
	enum hm_err err = hm_accounts_create_audited(db, &user, &cli, "command line", &user_id,
						     NULL);
	if (err != HM_OK) {
		fprintf(stderr, "harreman: %s\n",
			err == HM_ERR_EMAIL_TAKEN ? "that e-mail address is already registered"
						  : "cannot create the user");
		goto out;
	}
	printf("created %s user %lld <%s>\n", role_name, (long long)user_id, email);
	status = EXIT_SUCCESS;
out:
	sodium_memzero(password, sizeof password);
	sodium_memzero(hash, sizeof hash);
	hm_db_close(db);
	return status;
}

/* The command named by argv[1]. */
static int run_command(int argc, char **argv)
{
	if (sodium_init() < 0) {
		fputs("harreman: libsodium failed to start\n", stderr);
		return EXIT_FAILURE;
	}
	if (argc < 2)
		return usage_error("a command is needed");
	const char *cmd = argv[1];
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
		fputs(usage_text, stdout);
		return EXIT_SUCCESS;
	}
	if (strcmp(cmd, "--version") == 0) {
		printf("harreman %s\n", HM_VERSION);
		return EXIT_SUCCESS;
	}
	if (strcmp(cmd, "serve") == 0)
		return cmd_serve(argc - 1, argv + 1);
	if (strcmp(cmd, "migrate") == 0)
		return cmd_migrate(argc - 1, argv + 1);
	if (strcmp(cmd, "backup") == 0)
		return cmd_backup(argc - 1, argv + 1);
	if (strcmp(cmd, "restore") == 0)
		return cmd_restore(argc - 1, argv + 1);
	if (strcmp(cmd, "user") == 0 && argc >= 3 && strcmp(argv[2], "add") == 0)
		return cmd_user_add(argc - 2, argv + 2);
	return usage_error("unknown command");
}

int main(int argc, char **argv)
{
	int status = run_command(argc, argv);
	hm_stemmer_unload(); /* every connection is closed: nothing left allocated */
	hm_tbai_shutdown();  /* every TicketBAI thread has stopped */
	return status;
}
