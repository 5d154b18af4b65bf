/* SPDX-License-Identifier: MIT */
/* The TicketBAI sending thread that `serve` starts with --tbai-url: signed invoices
 * are POSTed one at a time in id order (the body the signed XML, Content-Type
 * application/xml;charset=UTF-8) over TLS, presenting the signing certificate as
 * the client certificate; each answer is kept (tbai_submissions) and the invoice
 * becomes accepted, rejected or sent. A network error or a 5xx is retried with
 * exponential backoff (HM_TBAI_SEND_BACKOFF seconds doubling up to
 * HM_TBAI_SEND_BACKOFF_MAX) before anything later is sent. libcurl, as for mail
 * (src/mail/curl_lib.c). */
#ifndef HARREMAN_TBAI_SEND_H
#define HARREMAN_TBAI_SEND_H

#include "harreman/app.h"

#define HM_TBAI_SEND_BACKOFF 2       /* seconds before the first retry */
#define HM_TBAI_SEND_BACKOFF_MAX 600 /* the longest wait between two attempts */
#define HM_TBAI_SEND_POLL_MS 1000    /* the longest sleep when nothing is to send */

struct hm_tbai_send;

/* Starts the thread for app (cfg.tbai_url, cfg.tbai_ca, the database path); it
 * takes cert_pem and key_pem (hm_tbai_p12_pem's; wiped and freed by
 * hm_tbai_send_stop, or here on failure). libcurl must be loaded. NULL with *why. */
struct hm_tbai_send *hm_tbai_send_start(struct hm_app *app, char *cert_pem, char *key_pem,
					const char **why);

/* Wakes the thread (an invoice was signed or put back to be sent). NULL is fine. */
void hm_tbai_send_wake(struct hm_tbai_send *s);

/* Stops the thread after the submission in flight (at most its timeout), joins it
 * and frees s. NULL is fine. */
void hm_tbai_send_stop(struct hm_tbai_send *s);

#endif
