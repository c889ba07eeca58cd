/* aws_sigv4.c — AWS Signature Version 4: canonical request, string to sign, signature.
 * Facts: ../shared/reference/aws.md §5. Checked by tests/unit/test_sigv4.c against both
 * official test suites and by tests/sigv4_botocore.sh against botocore. */
#include "aws_sigv4.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

void sigv4_out_init(sigv4_out *o)
{
	memset(o, 0, sizeof *o);
	sbuf_init(&o->creq);
	sbuf_init(&o->sts);
	sbuf_init(&o->signed_headers);
	sbuf_init(&o->authz);
}

void sigv4_out_free(sigv4_out *o)
{
	sbuf_free(&o->creq);
	sbuf_free(&o->sts);
	sbuf_free(&o->signed_headers);
	sbuf_free(&o->authz);
	memset(o->signature, 0, sizeof o->signature);
}

void sigv4_amz_date(int64_t t, char out[17])
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (!gmtime_r(&tt, &tm) || strftime(out, 17, "%Y%m%dT%H%M%SZ", &tm) != 16)
		memcpy(out, "19700101T000000Z", 17);
}

static void to_hex(const unsigned char *d, size_t n, char *out)
{
	static const char hx[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hx[d[i] >> 4];
		out[2 * i + 1] = hx[d[i] & 15];
	}
	out[2 * n] = 0;
}

void sigv4_sha256_hex(const void *p, size_t n, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	if (!EVP_Digest(p ? p : "", n, md, &mdlen, EVP_sha256(), NULL) || mdlen != 32) {
		memset(out, '0', 64);
		out[64] = 0;
		return;
	}
	to_hex(md, 32, out);
}

static void hmac(const void *key, size_t klen, const void *msg, size_t mlen, unsigned char out[32])
{
	unsigned int len = 32;
	if (!HMAC(EVP_sha256(), key, (int)klen, msg, mlen, out, &len))
		memset(out, 0, 32);
}

/* --- signing ------------------------------------------------------------------------ */

int sigv4_sign(const sigv4_req *r, const char *akid, const char *secret, sigv4_out *o)
{
	int rc = 0;
	char hash[65];
	const char *date = r->amz_date ? r->amz_date : "";
	const char *region = r->region ? r->region : "", *service = r->service ? r->service : "";
	if (strlen(date) != 16 || date[8] != 'T')
		rc = -1;
	sbuf_reset(&o->creq);
	sbuf_reset(&o->sts);
	sbuf_reset(&o->signed_headers);
	sbuf_reset(&o->authz);

	sbuf_addf(&o->creq, "%s\n", r->method ? r->method : "GET");
	sigv4_canonical_uri(&o->creq, r->path, r->s3);
	sbuf_addc(&o->creq, '\n');
	sigv4_canonical_query(&o->creq, r->query);
	sbuf_addc(&o->creq, '\n');
	if (sigv4_canonical_headers(&o->creq, &o->signed_headers, r->hdrs, r->nhdrs) < 0)
		rc = -1;
	sbuf_addf(&o->creq, "\n%s\n", o->signed_headers.s ? o->signed_headers.s : "");
	if (r->payload_hash)
		sbuf_adds(&o->creq, r->payload_hash);
	else {
		sigv4_sha256_hex(r->body, r->body ? r->body_len : 0, hash);
		sbuf_adds(&o->creq, hash);
	}

	char day[9];
	size_t dl = strlen(date) < 8 ? strlen(date) : 8;
	memcpy(day, date, dl);
	day[dl] = 0;
	sigv4_sha256_hex(o->creq.s, o->creq.len, hash);
	sbuf_addf(&o->sts, "AWS4-HMAC-SHA256\n%s\n%s/%s/%s/aws4_request\n%s", date, day, region,
		  service, hash);

	sbuf k;
	sbuf_init(&k);
	sbuf_addf(&k, "AWS4%s", secret ? secret : "");
	unsigned char kd[32], kr[32], ks[32], kg[32], sig[32];
	hmac(k.s, k.len, day, strlen(day), kd);
	memset(k.s, 0, k.len);
	sbuf_free(&k);
	hmac(kd, 32, region, strlen(region), kr);
	hmac(kr, 32, service, strlen(service), ks);
	hmac(ks, 32, "aws4_request", 12, kg);
	hmac(kg, 32, o->sts.s, o->sts.len, sig);
	to_hex(sig, 32, o->signature);
	memset(kd, 0, 32);
	memset(kg, 0, 32);

	sbuf_addf(&o->authz,
		  "AWS4-HMAC-SHA256 Credential=%s/%s/%s/%s/aws4_request, SignedHeaders=%s, "
		  "Signature=%s",
		  akid ? akid : "", day, region, service,
		  o->signed_headers.s ? o->signed_headers.s : "", o->signature);
	return rc;
}
