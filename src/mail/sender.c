// SPDX-License-Identifier: MIT
// The sender thread (include/harreman/sender.h). Each pass: queue the reminders
// that are due (at most one scan a second), then claim and deliver due messages
// one by one until none is left, then sleep until the earliest of: a wake-up from
// a handler, the next retry, the next reminder, the next waitlist sweep (expired
// offers passed on, once a minute), HM_SENDER_TICK. A message is
// claimed (`sending`) in a committed transaction before SMTP starts, and the first
// call of libcurl's read callback -- the moment the relay has said 354 to DATA --
// is committed too, so a crash leaves enough behind to tell "never went out" (send
// again) from "may have arrived" (leave to an admin). See docs/decisions.md,
// "Outbox".
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>

#include "harreman/delivery.h"
#include "harreman/log.h"
#include "harreman/mailfmt.h"
#include "harreman/outbox.h"
#include "harreman/sender.h"
#include "harreman/timefmt.h"
#include "harreman/curl_lib.h"
#include "harreman/db_waitlists.h"
#include "harreman/limits.h"
#include "harreman/waker.h"
#include "harreman/banned.h"

#define CONNECT_TIMEOUT 10L
#define TRANSFER_TIMEOUT 60L
#define ERROR_PAUSE 5 /* seconds after a database error before the next pass */
#define MESSAGE_CAP ((size_t)512 * 1024)
/* The least time between two scans for due reminders. A booking wakes the thread
 * for its confirmation but can never make a reminder due at once (a reminder is
 * only for a lesson booked at least a day ahead), so a burst of bookings costs one
 * scan per second instead of one per booking (docs/performance.md). */
#define REMINDER_SCAN_GAP_MS 1000

struct hm_sender {
	struct hm_waker waker; /* woken when something was queued */
	struct hm_app *app;
	struct hm_outbox_env env;
	const char *url, *from; /* borrowed from app->cfg; url NULL: queue only */
	int64_t backoff;
	int64_t reminders_scanned_ms; /* monotonic, the last scan for due reminders */
	int64_t waitlist_swept;       /* Unix seconds, the last sweep of expired offers */
};

static int64_t mono_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

bool hm_sender_url_ok(const char *url)
{
	const char *host = NULL;
	if (url && strncmp(url, "smtp://", 7) == 0)
		host = url + 7;
	else if (url && strncmp(url, "smtps://", 8) == 0)
		host = url + 8;
	if (!host || !*host || *host == '/' || *host == ':')
		return false;
	for (const char *p = url; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f)
			return false;
	return true;
}

/* The URL for the log: without any user:password@. */
static void url_for_log(const char *url, char *out, size_t size)
{
	const char *scheme_end = strstr(url, "://");
	const char *host = scheme_end ? scheme_end + 3 : url;
	const char *at = strchr(host, '@');
	const char *slash = strchr(host, '/');
	if (at && (!slash || at < slash))
		snprintf(out, size, "%.*s%s", (int)(host - url), url, at + 1);
	else
		snprintf(out, size, "%s", url);
}

/* ---- one delivery ------------------------------------------------------------ */

struct upload {
	struct hm_sender *sender;
	struct hm_db *db;
	const struct hm_outbox_msg *msg;
	const char *data;
	size_t len, off;
	bool reading; /* the read callback was called: the relay said 354 to DATA */
	bool marked;  /* ... and that is committed (data_started = 1) */
};

static size_t on_read(char *buf, size_t size, size_t nitems, void *arg)
{
	struct upload *up = arg;
	if (!up->reading) {
		up->reading = true;
		if (hm_outbox_data_started(up->db, up->msg) != HM_OK)
			return CURL_READFUNC_ABORT; /* nothing of the message went out */
		up->marked = true;
	}
	size_t room = size * nitems, left = up->len - up->off;
	size_t n = left < room ? left : room;
	memcpy(buf, up->data + up->off, n);
	up->off += n;
	return n;
}

/* Called by libcurl about once a second, more often while data moves: a stop
 * abandons an attempt whose data has not begun to go out at once, and one whose
 * data is going out after the grace period. */
static int on_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
		       curl_off_t ulnow)
{
	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	struct upload *up = arg;
	if (!hm_waker_stopping(&up->sender->waker))
		return 0;
	if (!up->marked)
		return 1;
	return hm_waker_stopping_for_ms(&up->sender->waker) > (int64_t)HM_SENDER_STOP_GRACE * 1000;
}

/* Keeps the first failure of a series of curl_easy_setopt calls. */
static void keep_first(CURLcode *rc, CURLcode next)
{
	if (*rc == CURLE_OK)
		*rc = next;
}

/* Every option of one message's transfer: CURLE_OK, or the first that failed. */
static CURLcode setup_transfer(struct hm_sender *s, CURL *curl, const char *from,
			       struct curl_slist *rcpt, struct upload *up, char *errbuf)
{
	CURLcode rc = CURLE_OK;
	keep_first(&rc, hm_curl.easy_setopt(curl, CURLOPT_URL, s->url));
	keep_first(&rc, hm_curl.easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps"));
	keep_first(&rc, hm_curl.easy_setopt(curl, CURLOPT_MAIL_FROM, from));
	keep_first(&rc, hm_curl.easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt));
	keep_first(&rc, hm_curl.easy_setopt(curl, CURLOPT_UPLOAD, 1L));
	keep_first(&rc, hm_curl.easy_setopt(curl, CURLOPT_READFUNCTION, on_read));
	keep_first(&rc, hm_curl.easy_setopt(curl, CURLOPT_READDATA, up));
	keep_first(&rc, hm_curl.easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t)up->len));
	keep_first(&rc, hm_curl.easy_setopt(curl, CURLOPT_NOPROGRESS, 0L));
	keep_first(&rc, hm_curl.easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, on_progress));
	keep_first(&rc, hm_curl.easy_setopt(curl, CURLOPT_XFERINFODATA, up));
	keep_first(&rc, hm_curl.easy_setopt(curl, CURLOPT_NOSIGNAL, 1L));
	keep_first(&rc, hm_curl.easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, CONNECT_TIMEOUT));
	keep_first(&rc, hm_curl.easy_setopt(curl, CURLOPT_TIMEOUT, TRANSFER_TIMEOUT));
	keep_first(&rc,
		   hm_curl.easy_setopt(curl, CURLOPT_SERVER_RESPONSE_TIMEOUT, TRANSFER_TIMEOUT));
	/* One connection per message, closed (QUIT) inside curl_easy_perform, where the
	 * progress callback can still cut a silent relay short; a cached connection
	 * would be closed in curl_easy_cleanup, which waits for the QUIT reply with no
	 * callback at all. */
	keep_first(&rc, hm_curl.easy_setopt(curl, CURLOPT_FORBID_REUSE, 1L));
	keep_first(&rc, hm_curl.easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf));
	return rc;
}

static void deliver(struct hm_sender *s, struct hm_db *db, struct hm_outbox_msg *msg)
{
	char errbuf[CURL_ERROR_SIZE] = "", from[300], to[300], error[CURL_ERROR_SIZE + 64];
	struct hm_buf text;
	struct curl_slist *rcpt = NULL;
	CURL *curl = NULL;
	long code = 0;
	enum hm_err err;
	int64_t now;

	hm_buf_init(&text, MESSAGE_CAP);
	struct hm_mail mail = {
		.from = s->from,
		.to = msg->to,
		.subject = msg->subject,
		.body = msg->body,
		.message_id = msg->message_id,
		.date = msg->created_at,
	};
	if (!hm_mail_format(&text, &mail) || !text.data) {
		err = hm_outbox_finish(db, msg, HM_DELIVERY_FAILED, 0,
				       "the message cannot be written (an address or its size)", 0,
				       hm_time_now());
		goto out;
	}
	snprintf(from, sizeof from, "<%s>", s->from);
	snprintf(to, sizeof to, "<%s>", msg->to);
	struct upload up = {.sender = s, .db = db, .msg = msg, .data = text.data, .len = text.len};
	curl = hm_curl.easy_init();
	rcpt = hm_curl.slist_append(NULL, to);
	if (!curl || !rcpt) {
		err = hm_outbox_finish(db, msg, HM_DELIVERY_RETRY, 0, "out of memory",
				       hm_time_now() +
					       hm_delivery_backoff(s->backoff, msg->attempts),
				       hm_time_now());
		goto out;
	}
	/* A transfer that cannot be set up as asked is a failed attempt, not one sent
	 * with curl's defaults. */
	CURLcode res = setup_transfer(s, curl, from, rcpt, &up, errbuf);
	if (res != CURLE_OK)
		snprintf(errbuf, sizeof errbuf, "cannot set up the transfer: %s",
			 hm_curl.easy_strerror(res));
	else
		res = hm_curl.easy_perform(curl);
	hm_curl.easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
	now = hm_time_now();

	if (res != CURLE_OK && !up.marked) {
		/* Stopped, or the mark could not be written: nothing of it went out. */
		if (hm_waker_stopping(&s->waker)) {
			err = hm_outbox_interrupted(db, msg, now);
			goto out;
		}
	} else if (res != CURLE_OK && code < 400) {
		/* The data began to go out and the relay never answered it (a timeout, a
		 * dropped connection, our own stop): it may have been accepted. */
		err = hm_outbox_unknown(db, msg, now);
		hm_log_warn("outbox: message %lld cut off while the relay had its data (%s):"
			    " left as unknown",
			    (long long)msg->id, errbuf[0] ? errbuf : hm_curl.easy_strerror(res));
		goto out;
	}
	enum hm_delivery_verdict verdict = hm_delivery_judge(
		res == CURLE_OK, (int)code, msg->attempts, HM_DELIVERY_MAX_ATTEMPTS);
	int64_t retry_at = verdict == HM_DELIVERY_RETRY
				   ? now + hm_delivery_backoff(s->backoff, msg->attempts)
				   : 0;
	if (res == CURLE_OK)
		error[0] = '\0';
	else if (code > 0)
		snprintf(error, sizeof error, "%s (SMTP %ld)",
			 errbuf[0] ? errbuf : hm_curl.easy_strerror(res), code);
	else
		snprintf(error, sizeof error, "%s",
			 errbuf[0] ? errbuf : hm_curl.easy_strerror(res));
	err = hm_outbox_finish(db, msg, verdict, (int)code, res == CURLE_OK ? NULL : error,
			       retry_at, now);
	if (verdict == HM_DELIVERY_SENT)
		hm_log_info("outbox: message %lld sent (%s)", (long long)msg->id, msg->message_id);
	else
		hm_log_warn("outbox: message %lld, attempt %d: %s%s", (long long)msg->id,
			    msg->attempts, error,
			    verdict == HM_DELIVERY_FAILED ? "; giving up" : "");
out:
	if (err != HM_OK)
		hm_log_error("outbox: cannot record the attempt on message %lld",
			     (long long)msg->id);
	hm_curl.slist_free_all(rcpt);
	hm_curl.easy_cleanup(curl);
	hm_buf_release(&text);
}

/* ---- the thread ---------------------------------------------------------------- */

/* Sleeps until deadline (Unix seconds), a wake-up or stop. True when woken. */
static bool sleep_until(struct hm_sender *s, int64_t deadline)
{
	int64_t delta = deadline - hm_time_now();
	return hm_waker_sleep_ms(&s->waker, delta > 0 ? delta * 1000 : 0);
}

static int64_t earliest(int64_t a, int64_t b)
{
	if (!a)
		return b;
	if (!b)
		return a;
	return a < b ? a : b;
}

/* One pass: reminders (at most once per REMINDER_SCAN_GAP_MS), then every due
 * message. Returns when to look again. */
static int64_t pass(struct hm_sender *s, struct hm_db *db)
{
	int64_t now = hm_time_now();
	int64_t next = now + HM_SENDER_TICK, reminder_due = 0;
	int queued = 0;
	int64_t now_ms = mono_ms();
	if (s->reminders_scanned_ms && now_ms - s->reminders_scanned_ms < REMINDER_SCAN_GAP_MS) {
		next = now + 1; /* the scan skipped now */
	} else {
		s->reminders_scanned_ms = now_ms;
		if (hm_outbox_queue_reminders(db, &s->env, now, &queued, &reminder_due) != HM_OK)
			return now + ERROR_PAUSE;
		if (queued)
			hm_log_info("outbox: queued %d lesson reminder%s", queued,
				    queued == 1 ? "" : "s");
		next = earliest(next, reminder_due > now ? reminder_due : 0);
		if (reminder_due && reminder_due <= now) {
			next = now; /* a full batch: more right away */
			s->reminders_scanned_ms = 0;
		}
	}
	/* Waitlist offers not taken in time pass on, at most once a minute: the
	 * thread never sleeps longer than that. */
	if (now - s->waitlist_swept >= HM_WAITLIST_SWEEP_SECONDS) {
		int passed = 0;
		int64_t next_offer = 0;
		s->waitlist_swept = now;
		if (hm_db_waitlists_sweep(db, &s->env, now, &passed, &next_offer) != HM_OK)
			return now + ERROR_PAUSE;
		if (passed)
			hm_log_info("waitlist: %d offer%s expired and passed on", passed,
				    passed == 1 ? "" : "s");
		/* Overdue invoices get their one reminder on the same sweep. */
		int overdue = 0;
		if (hm_outbox_queue_overdue(db, &s->env, now, &overdue) != HM_OK)
			return now + ERROR_PAUSE;
		if (overdue)
			hm_log_info("outbox: queued %d overdue invoice reminder%s", overdue,
				    overdue == 1 ? "" : "s");
	}
	next = earliest(next, s->waitlist_swept + HM_WAITLIST_SWEEP_SECONDS);
	while (s->url && !hm_waker_stopping(&s->waker)) {
		struct hm_outbox_msg msg;
		int64_t send_due = 0;
		enum hm_err err = hm_outbox_claim(db, hm_time_now(), &msg, &send_due);
		if (err == HM_ERR_NOT_FOUND) {
			next = earliest(next, send_due);
			break;
		}
		if (err != HM_OK)
			return hm_time_now() + ERROR_PAUSE;
		deliver(s, db, &msg);
		hm_outbox_msg_release(&msg);
	}
	return next;
}

static void *run(void *arg)
{
	struct hm_sender *s = arg;
	struct hm_db *db = NULL;
	bool recovered = false;
	prctl(PR_SET_NAME, "hm-sender", 0, 0, 0); /* for top -H and perf */
	while (!hm_waker_stopping(&s->waker)) {
		hm_waker_begin_pass(&s->waker);
		int64_t next = hm_time_now() + ERROR_PAUSE;
		if (!db && !(db = hm_db_open(s->app->cfg.db_path))) {
			hm_log_error("outbox: cannot open the database; trying again");
		} else if (!recovered) {
			int requeued = 0, unknown = 0;
			if (hm_outbox_recover(db, hm_time_now(), &requeued, &unknown) == HM_OK) {
				recovered = true;
				next = hm_time_now();
				if (requeued || unknown)
					hm_log_warn(
						"outbox: %d message%s interrupted before their data"
						" went out, queued again; %d cut off while the relay"
						" had their data, left as unknown",
						requeued, requeued == 1 ? "" : "s", unknown);
			}
		} else {
			next = pass(s, db);
		}
		/* After a second without a wake-up the connection is closed (the box is
		 * small: its schema, statements and cache) and opened again for the next
		 * pass; a busy outbox keeps it. */
		int64_t quiet = hm_time_now() + 1;
		if (next > quiet && db && recovered && !sleep_until(s, quiet)) {
			hm_db_close(db);
			db = NULL;
		}
		if (next > hm_time_now())
			sleep_until(s, next);
	}
	hm_db_close(db);
	return NULL;
}

struct hm_sender *hm_sender_start(struct hm_app *app, const char **why)
{
	struct hm_sender *s = calloc(1, sizeof *s);
	if (!s) {
		*why = "out of memory";
		return NULL;
	}
	s->app = app;
	s->url = app->cfg.smtp_url;
	s->from = app->cfg.smtp_from;
	s->backoff = app->cfg.smtp_backoff ? app->cfg.smtp_backoff : 60;
	hm_outbox_env_of(&app->cfg, &s->env);
	if (!hm_waker_start(&s->waker, run, s)) {
		*why = "cannot start the sender thread";
		free(s);
		return NULL;
	}
	if (s->url) {
		char shown[256];
		url_for_log(s->url, shown, sizeof shown);
		hm_log_info("outbox: delivering through %s as %s", shown, s->from);
	} else {
		hm_log_info("outbox: no --smtp-url: messages are queued, not sent");
	}
	*why = NULL;
	return s;
}

void hm_sender_wake(struct hm_sender *s)
{
	/* Without a relay there is nothing to deliver (reminders keep their own
	 * schedule); and a wake-up already on its way needs no second one: every
	 * booking of a busy second would otherwise cost a lock and a futex call. */
	if (s && s->url)
		hm_waker_wake(&s->waker);
}

void hm_sender_stop(struct hm_sender *s)
{
	if (!s)
		return;
	hm_waker_stop(&s->waker);
	free(s);
}
