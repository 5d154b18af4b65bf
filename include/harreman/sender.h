/* SPDX-License-Identifier: MIT */
/* The sender thread that `serve` starts: it queues "lesson in 24 hours" reminders,
 * passes expired waitlist offers on (once a minute) and, when a relay is
 * configured (--smtp-url), delivers the outbox to it with libcurl's SMTP, one
 * message at a time, with retries and exponential backoff. It
 * sleeps on a condition variable: handlers wake it after they commit a message;
 * otherwise it wakes when the next retry or reminder is due, and at least once a
 * minute (the waitlist sweep). The only module that knows libcurl. */
#ifndef HARREMAN_SENDER_H
#define HARREMAN_SENDER_H

#include <stdbool.h>

#include "harreman/app.h"

#define HM_SENDER_TICK 300     /* the longest sleep, seconds */
#define HM_SENDER_STOP_GRACE 5 /* seconds a message already going out may finish */

struct hm_sender;

/* True when url can be a relay: "smtp://HOST[:PORT][/...]" or "smtps://...". */
bool hm_sender_url_ok(const char *url);

/* Starts the thread for app (its configuration and database path are read, the
 * app must outlive the sender). NULL with *why when the thread cannot start. */
struct hm_sender *hm_sender_start(struct hm_app *app, const char **why);

/* Wakes the thread because something was queued: call after the commit. NULL is
 * fine (no sender: tests, the command line). */
void hm_sender_wake(struct hm_sender *sender);

/* Stops the thread: a message whose data is going out gets HM_SENDER_STOP_GRACE
 * seconds to finish, any other attempt is abandoned and queued again. Joins the
 * thread and frees the sender. NULL is fine. */
void hm_sender_stop(struct hm_sender *sender);

#endif
