// SPDX-License-Identifier: MIT
// The PKCS#12 certificate as PEM text for a TLS client (include/harreman/tbai.h,
// hm_tbai_p12_pem): the TicketBAI sender presents the signing certificate to the
// treasury, and libcurl takes PEM blobs. OpenSSL only here and in sign.c/testcert.c.
#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harreman/tbai.h"
#include "harreman/banned.h"

/* The text bio holds, malloc'd and NUL-terminated; NULL when empty or out of memory. */
static char *bio_text(BIO *bio)
{
	char *data = NULL;
	long len = BIO_get_mem_data(bio, &data);
	char *out = len > 0 ? malloc((size_t)len + 1) : NULL;
	if (out) {
		memcpy(out, data, (size_t)len);
		out[len] = '\0';
	}
	return out;
}

bool hm_tbai_p12_pem(const char *path, const char *password, char **cert_pem, char **key_pem,
		     const char **why)
{
	*cert_pem = *key_pem = NULL;
	FILE *f = fopen(path, "rb");
	PKCS12 *p12 = f ? d2i_PKCS12_fp(f, NULL) : NULL;
	if (f)
		fclose(f);
	EVP_PKEY *key = NULL;
	X509 *cert = NULL;
	*why = "the certificate file cannot be read";
	if (!p12)
		return false;
	*why = "wrong password, or no certificate and key in the file";
	if (PKCS12_parse(p12, password, &key, &cert, NULL) == 1 && key && cert) {
		BIO *c = BIO_new(BIO_s_mem()), *k = BIO_new(BIO_s_mem());
		if (c && k && PEM_write_bio_X509(c, cert) == 1 &&
		    PEM_write_bio_PrivateKey(k, key, NULL, NULL, 0, NULL, NULL) == 1) {
			*cert_pem = bio_text(c);
			*key_pem = bio_text(k);
		}
		/* The key's text in the bio is wiped before it is freed. */
		char *data = NULL;
		long len = k ? BIO_get_mem_data(k, &data) : 0;
		if (len > 0)
			OPENSSL_cleanse(data, (size_t)len);
		BIO_free(c);
		BIO_free(k);
	}
	EVP_PKEY_free(key);
	X509_free(cert);
	PKCS12_free(p12);
	if (*cert_pem && *key_pem) {
		*why = NULL;
		return true;
	}
	hm_tbai_pem_free(*key_pem);
	free(*cert_pem);
	*cert_pem = *key_pem = NULL;
	return false;
}

void hm_tbai_pem_free(char *pem)
{
	if (pem) {
		OPENSSL_cleanse(pem, strlen(pem));
		free(pem);
	}
}
