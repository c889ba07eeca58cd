/* fuzz_sigv4.c — libFuzzer target for the SigV4 signer (aws_sigv4.c, aws_sigv4_canon.c).
 *
 * Input: NUL-separated fields: method, path, query, s3 flag, then header name/value pairs,
 * the last field being the body. Signing must never crash, the canonical request must end
 * with the payload hash, and the signature must be 64 lower-case hex digits.
 *
 *   bash tests/fuzz/run.sh fuzz_sigv4 30 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aws_sigv4.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *x = malloc(size + 1);
	if (!x)
		return 0;
	memcpy(x, data, size);
	x[size] = 0;
	const char *f[64];
	size_t nf = 0, i = 0;
	while (nf < 64) {
		f[nf++] = x + i;
		const char *z = memchr(x + i, 0, size + 1 - i);
		i = (size_t)(z - x) + 1;
		if (i > size)
			break;
	}
	sigv4_header h[30];
	size_t nh = 0;
	for (size_t k = 4; k + 1 < nf && nh < 30; k += 2) {
		h[nh].name = f[k];
		h[nh++].value = f[k + 1];
	}
	const char *body = nf > 4 ? f[nf - 1] : "";
	sigv4_req r = {.method = f[0], .path = nf > 1 ? f[1] : "", .query = nf > 2 ? f[2] : NULL,
		       .hdrs = h, .nhdrs = nh, .body = body, .body_len = strlen(body),
		       .region = "us-east-1", .service = nf > 3 && f[3][0] == '1' ? "s3" : "svc",
		       .amz_date = "20150830T123600Z", .s3 = nf > 3 && f[3][0] == '1'};
	sigv4_out o;
	sigv4_out_init(&o);
	sigv4_sign(&r, "AKIDEXAMPLE", "secret", &o);
	char hash[65];
	sigv4_sha256_hex(body, strlen(body), hash);
	if (o.creq.len < 64 || memcmp(o.creq.s + o.creq.len - 64, hash, 64))
		abort();
	if (strlen(o.signature) != 64 || strspn(o.signature, "0123456789abcdef") != 64)
		abort();
	sigv4_out_free(&o);
	free(x);
	return 0;
}
