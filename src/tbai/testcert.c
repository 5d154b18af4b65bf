// SPDX-License-Identifier: MIT
// A self-signed TEST certificate for TicketBAI signatures (include/harreman/tbai.h):
// RSA-2048, SHA-256, subject CN "Harreman TEST certificate - not valid for
// TicketBAI", O "Harreman TEST", C ES; written as PKCS#12 (OpenSSL 3's defaults:
// AES-256-CBC, PBKDF2, SHA-256 MAC) and optionally as a PEM certificate. For --demo
// and the tests only: no treasury accepts it.
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "harreman/tbai.h"
#include "harreman/banned.h"

/* A new file at path, mode 0600 (replacing one there), as a stdio stream. */
static FILE *create_private(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return NULL;
	FILE *f = fdopen(fd, "wb");
	if (!f)
		close(fd);
	return f;
}

static bool add_ext(X509 *cert, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509V3_set_ctx_nodb(&ctx);
	X509V3_set_ctx(&ctx, cert, cert, NULL, NULL, 0);
	X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	bool ok = ext && X509_add_ext(cert, ext, -1);
	X509_EXTENSION_free(ext);
	return ok;
}

/* The certificate of key: random 64-bit serial, valid from an hour ago for days. */
static X509 *make_cert(EVP_PKEY *key, int days)
{
	X509 *cert = X509_new();
	BIGNUM *serial = BN_new();
	ASN1_INTEGER *sn = NULL;
	bool ok = cert && serial && BN_rand(serial, 64, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ANY) &&
		  (sn = BN_to_ASN1_INTEGER(serial, NULL)) != NULL && X509_set_version(cert, 2) &&
		  X509_set_serialNumber(cert, sn) &&
		  X509_gmtime_adj(X509_getm_notBefore(cert), -3600) &&
		  X509_gmtime_adj(X509_getm_notAfter(cert), (long)days * 86400L) &&
		  X509_set_pubkey(cert, key);
	X509_NAME *name = ok ? X509_get_subject_name(cert) : NULL;
	ok = ok && name &&
	     X509_NAME_add_entry_by_txt(name, "C", MBSTRING_ASC, (const unsigned char *)"ES", -1,
					-1, 0) &&
	     X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
					(const unsigned char *)"Harreman TEST", -1, -1, 0) &&
	     X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
					(const unsigned char *)HM_TBAI_TEST_CERT_CN, -1, -1, 0) &&
	     X509_set_issuer_name(cert, name) &&
	     add_ext(cert, NID_basic_constraints, "critical,CA:FALSE") &&
	     add_ext(cert, NID_subject_key_identifier, "hash") &&
	     X509_sign(cert, key, EVP_sha256()) > 0;
	ASN1_INTEGER_free(sn);
	BN_free(serial);
	if (!ok) {
		X509_free(cert);
		return NULL;
	}
	return cert;
}

bool hm_tbai_testcert_write(const char *p12_path, const char *password, const char *pem_path,
			    int days, const char **why)
{
	if (!p12_path || !password || days < 1 || days > 3650) {
		*why = "a test certificate needs a path, a password and 1 to 3650 days";
		return false;
	}
	EVP_PKEY *key = EVP_RSA_gen(2048);
	X509 *cert = key ? make_cert(key, days) : NULL;
	PKCS12 *p12 = cert ? PKCS12_create(password, HM_TBAI_TEST_CERT_CN, key, cert, NULL, 0, 0, 0,
					   0, 0)
			   : NULL;
	*why = p12 ? NULL : "OpenSSL could not make the test certificate";
	if (p12) {
		FILE *f = create_private(p12_path);
		bool ok = f && i2d_PKCS12_fp(f, p12) == 1;
		if (f && fclose(f) != 0)
			ok = false;
		if (!ok)
			*why = "the PKCS#12 file cannot be written";
	}
	if (!*why && pem_path) {
		FILE *f = create_private(pem_path);
		bool ok = f && PEM_write_X509(f, cert) == 1;
		if (f && fclose(f) != 0)
			ok = false;
		if (!ok)
			*why = "the PEM file cannot be written";
	}
	PKCS12_free(p12);
	X509_free(cert);
	EVP_PKEY_free(key);
	return *why == NULL;
}
