// SPDX-License-Identifier: MIT
// The XAdES-EPES enveloped signature of a TicketBAI document (include/harreman/tbai.h),
// with xmlsec1 over OpenSSL. xmlsec1 has no XAdES builder: the signature template
// (rsa-sha256, inclusive C14N 1.0, SHA-512 references to the whole document and to
// the SignedProperties) is made with its template API, and the
// xades:QualifyingProperties (SigningTime, SigningCertificate, SignaturePolicyIdentifier,
// DataObjectFormat) is written here by hand, its Id registered so "#...SignedProperties"
// resolves. The signer object owns the loaded key (never the password).
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <pthread.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/valid.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <xmlsec/xmlsec.h>
#include <xmlsec/errors.h>
#include <xmlsec/xmltree.h>
#include <xmlsec/xmldsig.h>
#include <xmlsec/templates.h>
#include <xmlsec/crypto.h>
#include <xmlsec/openssl/x509.h>

#include "harreman/tbai.h"
#include "tbai_internal.h"
#include "harreman/banned.h"

#define NS_DSIG "http://www.w3.org/2000/09/xmldsig#"
#define NS_XADES "http://uri.etsi.org/01903/v1.3.2#"
#define ALG_SHA256 "http://www.w3.org/2001/04/xmlenc#sha256"
#define ALG_SHA512 "http://www.w3.org/2001/04/xmlenc#sha512"
#define TYPE_SIGNED_PROPERTIES "http://uri.etsi.org/01903#SignedProperties"
/* A PKCS#12 file larger than this is not a certificate and key. */
#define P12_MAX ((size_t)1024 * 1024)

struct hm_tbai_signer {
	xmlSecKeyPtr key;     /* private key + certificate; duplicated for each signature */
	char *subject;        /* RFC 2253 */
	char *issuer;         /* RFC 2253, for xades:IssuerSerial */
	char *serial;         /* decimal */
	char cert_digest[96]; /* SHA-512 of the DER certificate, base64 */
};

static pthread_once_t xmlsec_once = PTHREAD_ONCE_INIT;
static bool xmlsec_ready;

static void xmlsec_init(void)
{
	hm_tbai_xml_init();
	/* Errors are answered with *why; xmlsec1's own lines would only add noise. */
	xmlSecErrorsDefaultCallbackEnableOutput(0);
	xmlsec_ready = xmlSecInit() >= 0 && xmlSecCheckVersion() == 1 &&
		       xmlSecCryptoAppInit(NULL) >= 0 && xmlSecCryptoInit() >= 0;
}

static bool xmlsec_start(void)
{
	pthread_once(&xmlsec_once, xmlsec_init);
	return xmlsec_ready;
}

void hm_tbai_shutdown(void)
{
	if (xmlsec_ready) {
		xmlSecCryptoShutdown();
		xmlSecCryptoAppShutdown();
		xmlSecShutdown();
		xmlsec_ready = false;
		/* xmlsec1's XSLT transform initialised libxslt (loaded with it, not
		 * linked by us): its globals go too, when the library is there. */
		void *cleanup = dlsym(RTLD_DEFAULT, "xsltCleanupGlobals");
		if (cleanup) {
			void (*fn)(void) = NULL;
			memcpy(&fn, &cleanup, sizeof fn);
			fn();
		}
	}
	xmlCleanupParser();
}

/* name as RFC 2253 text, malloc'd; NULL on failure. */
static char *name_text(const X509_NAME *name)
{
	BIO *bio = BIO_new(BIO_s_mem());
	char *text = NULL;
	if (bio && X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253) >= 0) {
		char *data = NULL;
		long len = BIO_get_mem_data(bio, &data);
		text = malloc((size_t)len + 1);
		if (text) {
			memcpy(text, data, (size_t)len);
			text[len] = '\0';
		}
	}
	BIO_free(bio);
	return text;
}

static char *serial_text(const X509 *cert)
{
	BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), NULL);
	char *dec = bn ? BN_bn2dec(bn) : NULL;
	char *text = dec ? strdup(dec) : NULL;
	OPENSSL_free(dec);
	BN_free(bn);
	return text;
}

static bool cert_digest(const X509 *cert, char out[96])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	if (!X509_digest(cert, EVP_sha512(), md, &len) || len != 64)
		return false;
	EVP_EncodeBlock((unsigned char *)out, md, (int)len); /* 88 characters + NUL */
	return true;
}

/* The whole file at path, malloc'd, with its size; NULL when unreadable or too big. */
static unsigned char *read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	unsigned char *data = malloc(P12_MAX);
	size_t n = data ? fread(data, 1, P12_MAX, f) : 0;
	bool whole = data && n > 0 && n < P12_MAX && !ferror(f);
	fclose(f);
	if (!whole) {
		free(data);
		return NULL;
	}
	*size = n;
	return data;
}

struct hm_tbai_signer *hm_tbai_signer_open(const char *path, const char *password, const char **why)
{
	if (!xmlsec_start()) {
		*why = "xmlsec1 could not be initialised";
		return NULL;
	}
	size_t size = 0;
	unsigned char *data = path ? read_file(path, &size) : NULL;
	if (!data) {
		*why = "the certificate file cannot be read";
		return NULL;
	}
	xmlSecKeyPtr key = xmlSecCryptoAppKeyLoadMemory(data, (xmlSecSize)size,
							xmlSecKeyDataFormatPkcs12,
							password ? password : "", NULL, NULL);
	OPENSSL_cleanse(data, size);
	free(data);
	if (!key) {
		*why = "the certificate file is not PKCS#12 or the password is wrong";
		return NULL;
	}
	xmlSecKeyDataPtr x509 = xmlSecKeyGetData(key, xmlSecOpenSSLKeyDataX509Id);
	X509 *cert = x509 ? xmlSecOpenSSLKeyDataX509GetKeyCert(x509) : NULL;
	struct hm_tbai_signer *s = calloc(1, sizeof *s);
	if (!cert || !s || (xmlSecKeyGetType(key) & xmlSecKeyDataTypePrivate) == 0) {
		*why = "the PKCS#12 file holds no private key with its certificate";
		xmlSecKeyDestroy(key);
		free(s);
		return NULL;
	}
	s->key = key;
	s->subject = name_text(X509_get_subject_name(cert));
	s->issuer = name_text(X509_get_issuer_name(cert));
	s->serial = serial_text(cert);
	if (!s->subject || !s->issuer || !s->serial || !cert_digest(cert, s->cert_digest)) {
		*why = "the certificate's names or serial number cannot be read";
		hm_tbai_signer_close(s);
		return NULL;
	}
	return s;
}

void hm_tbai_signer_close(struct hm_tbai_signer *signer)
{
	if (!signer)
		return;
	if (signer->key)
		xmlSecKeyDestroy(signer->key);
	free(signer->subject);
	free(signer->issuer);
	free(signer->serial);
	free(signer);
}

const char *hm_tbai_signer_subject(const struct hm_tbai_signer *signer)
{
	return signer->subject;
}

/* The builder of the QualifyingProperties: any failed allocation sets failed. */
struct xades {
	bool failed;
	xmlNsPtr ds, xa;
};

static xmlNodePtr child(struct xades *x, xmlNodePtr parent, xmlNsPtr ns, const char *name,
			const char *text)
{
	xmlNodePtr n = parent ? xmlNewTextChild(parent, ns, (const xmlChar *)name,
						(const xmlChar *)text)
			      : NULL;
	if (!n)
		x->failed = true;
	return n;
}

static void attr(struct xades *x, xmlNodePtr node, const char *name, const char *value)
{
	if (!node || !xmlSetProp(node, (const xmlChar *)name, (const xmlChar *)value))
		x->failed = true;
}

static void digest(struct xades *x, xmlNodePtr parent, const char *alg, const char *value)
{
	attr(x, child(x, parent, x->ds, "DigestMethod", NULL), "Algorithm", alg);
	child(x, parent, x->ds, "DigestValue", value);
}

/* xades:QualifyingProperties under obj; its SignedProperties gets Id sp_id. */
static xmlNodePtr add_qualifying(struct xades *x, xmlNodePtr obj, const char *sig_id,
				 const char *sp_id, const char *ref_id,
				 const struct hm_tbai_signer *s, const struct hm_tbai_territory *t,
				 time_t when)
{
	xmlNodePtr qp = child(x, obj, NULL, "QualifyingProperties", NULL);
	x->xa = qp ? xmlNewNs(qp, (const xmlChar *)NS_XADES, (const xmlChar *)"xades") : NULL;
	if (!x->xa) {
		x->failed = true;
		return NULL;
	}
	xmlSetNs(qp, x->xa);
	char target[80];
	snprintf(target, sizeof target, "#%s", sig_id);
	attr(x, qp, "Target", target);
	xmlNodePtr sp = child(x, qp, x->xa, "SignedProperties", NULL);
	attr(x, sp, "Id", sp_id);
	xmlNodePtr ssp = child(x, sp, x->xa, "SignedSignatureProperties", NULL);

	char stamp[32];
	struct tm tm;
	if (!gmtime_r(&when, &tm) || strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		x->failed = true;
	else
		child(x, ssp, x->xa, "SigningTime", stamp);

	xmlNodePtr cert = child(x, child(x, ssp, x->xa, "SigningCertificate", NULL), x->xa, "Cert",
				NULL);
	digest(x, child(x, cert, x->xa, "CertDigest", NULL), ALG_SHA512, s->cert_digest);
	xmlNodePtr is = child(x, cert, x->xa, "IssuerSerial", NULL);
	child(x, is, x->ds, "X509IssuerName", s->issuer);
	child(x, is, x->ds, "X509SerialNumber", s->serial);

	xmlNodePtr pid = child(x, child(x, ssp, x->xa, "SignaturePolicyIdentifier", NULL), x->xa,
			       "SignaturePolicyId", NULL);
	child(x, child(x, pid, x->xa, "SigPolicyId", NULL), x->xa, "Identifier", t->policy_id);
	digest(x, child(x, pid, x->xa, "SigPolicyHash", NULL), ALG_SHA256, t->policy_digest);

	char object_ref[80];
	snprintf(object_ref, sizeof object_ref, "#%s", ref_id);
	xmlNodePtr dof = child(x, child(x, sp, x->xa, "SignedDataObjectProperties", NULL), x->xa,
			       "DataObjectFormat", NULL);
	attr(x, dof, "ObjectReference", object_ref);
	child(x, dof, x->xa, "MimeType", "text/xml");
	return sp;
}

/* Registers node's Id attribute as an XML ID of doc (the references' "#..."). */
static bool register_id(xmlDocPtr doc, xmlNodePtr node)
{
	xmlAttrPtr id = node ? xmlHasProp(node, (const xmlChar *)"Id") : NULL;
	if (!id || !id->children)
		return false;
	xmlChar *value = xmlNodeListGetString(doc, id->children, 1);
	bool ok = value && xmlAddID(NULL, doc, value, id) != NULL;
	xmlFree(value);
	return ok;
}

/* The SignatureValue text with whitespace removed, malloc'd. */
static char *signature_value_of(xmlNodePtr sig)
{
	xmlNodePtr node = xmlSecFindNode(sig, xmlSecNodeSignatureValue, xmlSecDSigNs);
	xmlChar *content = node ? xmlNodeGetContent(node) : NULL;
	if (!content)
		return NULL;
	size_t n = strlen((const char *)content), at = 0;
	char *out = malloc(n + 1);
	for (size_t i = 0; out && i < n; i++)
		if (content[i] != ' ' && content[i] != '\n' && content[i] != '\r' &&
		    content[i] != '\t')
			out[at++] = (char)content[i];
	if (out)
		out[at] = '\0';
	xmlFree(content);
	if (out && at == 0) {
		free(out);
		out = NULL;
	}
	return out;
}

/* The signature's Ids: "Signature-<16 hex>", "...-SignedProperties", "...-Reference". */
static bool make_ids(char sig_id[40], char sp_id[64], char ref_id[64])
{
	unsigned char r[8];
	if (RAND_bytes(r, sizeof r) != 1)
		return false;
	snprintf(sig_id, 40, "Signature-%02x%02x%02x%02x%02x%02x%02x%02x", r[0], r[1], r[2], r[3],
		 r[4], r[5], r[6], r[7]);
	snprintf(sp_id, 64, "%s-SignedProperties", sig_id);
	snprintf(ref_id, 64, "%s-Reference", sig_id);
	return true;
}

/* Builds the template under root and signs it; the Signature node or NULL. */
static const char *sign_doc(struct hm_tbai_signer *signer, const struct hm_tbai_territory *t,
			    xmlDocPtr doc, time_t when, xmlNodePtr *sig_out)
{
	xmlNodePtr root = xmlDocGetRootElement(doc);
	if (!root || xmlSecFindNode(root, xmlSecNodeSignature, xmlSecDSigNs))
		return "the document is empty or already signed";
	char sig_id[40], sp_id[64], ref_id[64];
	if (!make_ids(sig_id, sp_id, ref_id))
		return "no random bytes for the signature's Id";
	char sp_uri[80];
	snprintf(sp_uri, sizeof sp_uri, "#%s", sp_id);

	xmlNodePtr sig = xmlSecTmplSignatureCreateNsPref(
		doc, xmlSecTransformInclC14NId, xmlSecTransformRsaSha256Id, (const xmlChar *)sig_id,
		(const xmlChar *)"ds");
	if (!sig)
		return "out of memory";
	xmlAddChild(root, sig);
	xmlNodePtr ref = xmlSecTmplSignatureAddReference(
		sig, xmlSecTransformSha512Id, (const xmlChar *)ref_id, (const xmlChar *)"", NULL);
	xmlNodePtr ref_sp = xmlSecTmplSignatureAddReference(
		sig, xmlSecTransformSha512Id, NULL, (const xmlChar *)sp_uri,
		(const xmlChar *)TYPE_SIGNED_PROPERTIES);
	xmlNodePtr ki = xmlSecTmplSignatureEnsureKeyInfo(sig, NULL);
	xmlNodePtr x509 = ki ? xmlSecTmplKeyInfoAddX509Data(ki) : NULL;
	xmlNodePtr obj = xmlSecTmplSignatureAddObject(sig, NULL, NULL, NULL);
	if (!ref || !ref_sp || !x509 || !obj ||
	    !xmlSecTmplReferenceAddTransform(ref, xmlSecTransformEnvelopedId) ||
	    !xmlSecTmplReferenceAddTransform(ref_sp, xmlSecTransformInclC14NId) ||
	    !xmlSecTmplX509DataAddCertificate(x509))
		return "out of memory";

	struct xades x = {false, NULL, NULL};
	x.ds = xmlSearchNsByHref(doc, sig, (const xmlChar *)NS_DSIG);
	xmlNodePtr sp = add_qualifying(&x, obj, sig_id, sp_id, ref_id, signer, t, when);
	if (x.failed || !x.ds || !register_id(doc, sp))
		return "out of memory";

	xmlSecDSigCtxPtr ctx = xmlSecDSigCtxCreate(NULL);
	if (!ctx)
		return "out of memory";
	ctx->signKey = xmlSecKeyDuplicate(signer->key);
	int rc = ctx->signKey ? xmlSecDSigCtxSign(ctx, sig) : -1;
	xmlSecDSigCtxDestroy(ctx);
	if (rc < 0)
		return "xmlsec1 could not sign the document";
	*sig_out = sig;
	return NULL;
}

bool hm_tbai_sign(struct hm_tbai_signer *signer, const struct hm_tbai_territory *territory,
		  const char *xml, time_t signing_time, char **signed_xml, char **signature_value,
		  const char **why)
{
	*signed_xml = NULL;
	*signature_value = NULL;
	if (!signer || !territory || !territory->policy_id || !territory->policy_digest || !xml) {
		*why = "no signer, territory settings or document";
		return false;
	}
	if (!xmlsec_start()) {
		*why = "xmlsec1 could not be initialised";
		return false;
	}
	size_t len = strlen(xml);
	xmlDocPtr doc = len < INT_MAX ? xmlReadMemory(xml, (int)len, NULL, "UTF-8",
						      XML_PARSE_NONET | XML_PARSE_NOERROR |
							      XML_PARSE_NOWARNING)
				      : NULL;
	if (!doc) {
		*why = "the document is not well-formed XML";
		return false;
	}
	xmlNodePtr sig = NULL;
	*why = sign_doc(signer, territory, doc, signing_time, &sig);
	if (!*why) {
		*signature_value = signature_value_of(sig);
		/* Unformatted: indentation added now would break the digests. */
		*signed_xml = *signature_value ? hm_tbai_doc_text(doc, false) : NULL;
		if (!*signed_xml) {
			free(*signature_value);
			*signature_value = NULL;
			*why = "out of memory";
		}
	}
	xmlFreeDoc(doc);
	return *why == NULL;
}
