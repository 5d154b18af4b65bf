// SPDX-License-Identifier: MIT
// argon2id password hashing (include/harreman/password.h). A semaphore bounds the
// hashes running at once: each one takes crypto_pwhash_MEMLIMIT_INTERACTIVE (64 MiB).
#include <pthread.h>
#include <semaphore.h>
#include <string.h>

#include "harreman/password.h"
#include "harreman/banned.h"

#define MAX_CONCURRENT_HASHES 2

static sem_t slots;
static char dummy_hash[HM_PASSWORD_HASH_LEN];
static pthread_once_t once = PTHREAD_ONCE_INIT;
static bool ready; /* set once by password_init: the semaphore exists */

static void password_init(void)
{
	if (sem_init(&slots, 0, MAX_CONCURRENT_HASHES) != 0)
		return; /* not ready: every hash and verification fails */
	ready = true;
	/* A hash of a random password: verifying against it costs what a real one does. */
	unsigned char random_pw[24];
	randombytes_buf(random_pw, sizeof random_pw);
	if (crypto_pwhash_str(dummy_hash, (const char *)random_pw, sizeof random_pw,
			      crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		dummy_hash[0] = '\0';
	sodium_memzero(random_pw, sizeof random_pw);
}

/* Waits for one of the hashing slots; false when they could not be made. */
static bool slot_take(void)
{
	if (pthread_once(&once, password_init) != 0 || !ready)
		return false;
	while (sem_wait(&slots) != 0)
		; /* EINTR: wait again */
	return true;
}

bool hm_password_hash(const char *password, char out[HM_PASSWORD_HASH_LEN])
{
	if (!slot_take())
		return false;
	int rc = crypto_pwhash_str(out, password, strlen(password),
				   crypto_pwhash_OPSLIMIT_INTERACTIVE,
				   crypto_pwhash_MEMLIMIT_INTERACTIVE);
	sem_post(&slots);
	return rc == 0;
}

bool hm_password_verify(const char *password, const char *hash)
{
	if (!slot_take())
		return false;
	bool real = hash && hash[0];
	const char *against = real ? hash : dummy_hash;
	bool ok = against[0] && crypto_pwhash_str_verify(against, password, strlen(password)) == 0;
	sem_post(&slots);
	return real && ok;
}

bool hm_password_needs_rehash(const char *hash)
{
	return crypto_pwhash_str_needs_rehash(hash, crypto_pwhash_OPSLIMIT_INTERACTIVE,
					      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0;
}
