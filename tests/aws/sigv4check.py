"""sigv4check — recompute the SigV4 signature of a received request with botocore.

    ok, detail = verify(method, url, headers, body, {"AKIDEXAMPLE": "secret"})

url is the request as received ("http://host:port/path?query"; the path and query exactly
as on the wire), headers a list of (name, value) pairs, body bytes. The query is
percent-decoded and handed to botocore as parameters, so botocore re-encodes it the way an
AWS service does; the path is used as sent (S3SigV4Auth when the credential scope's
service is s3, else SigV4Auth, which normalizes and encodes it once more). Only the headers
named in SignedHeaders are signed, at the request's own X-Amz-Date. detail never holds a
secret key or a session token.
"""
import hashlib
import re
from urllib.parse import unquote_to_bytes, urlsplit

from botocore.auth import S3SigV4Auth, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.compat import HTTPHeaders
from botocore.credentials import Credentials

AUTH_RE = re.compile(
    r"^AWS4-HMAC-SHA256 Credential=([^/,\s]+)/(\d{8})/([^/,\s]+)/([^/,\s]+)/aws4_request,"
    r"\s*SignedHeaders=([a-z0-9\-_.;]+),\s*Signature=([0-9a-f]{64})$"
)
SECRET_HEADERS = ("x-amz-security-token", "authorization")


def _decode(s):
    return unquote_to_bytes(s).decode("utf-8", "surrogateescape")


def _redact(text, headers):
    for name, value in headers:
        if name.lower() in SECRET_HEADERS and value:
            text = text.replace(value.strip(), "<redacted>")
    return text


def verify(method, url, headers, body, secrets):
    """Return (ok, detail)."""
    body = body or b""
    auth = [v for n, v in headers if n.lower() == "authorization"]
    if len(auth) != 1:
        return False, "no Authorization header" if not auth else "several Authorization headers"
    m = AUTH_RE.match(auth[0].strip())
    if not m:
        return False, "Authorization header is not AWS4-HMAC-SHA256 Credential=.., SignedHeaders=.., Signature=.."
    akid, day, region, service, signed, signature = m.groups()
    if akid not in secrets:
        return False, "unknown access key id %s" % akid
    lower = {}
    for n, v in headers:
        lower.setdefault(n.lower(), []).append(v)
    names = signed.split(";")
    if names != sorted(set(names)):
        return False, "SignedHeaders not sorted or repeated: %s" % signed
    for need in ("host", "x-amz-date"):
        if need not in names:
            return False, "%s is not signed (SignedHeaders=%s)" % (need, signed)
    for n in names:
        if n not in lower:
            return False, "signed header %s is missing from the request" % n
    amz_date = lower["x-amz-date"][0].strip()
    if not re.match(r"^\d{8}T\d{6}Z$", amz_date):
        return False, "X-Amz-Date %r is not YYYYMMDDTHHMMSSZ" % amz_date
    if amz_date[:8] != day:
        return False, "credential scope date %s differs from X-Amz-Date %s" % (day, amz_date)
    if "x-amz-security-token" in lower and "x-amz-security-token" not in names:
        return False, "X-Amz-Security-Token sent but not signed"
    sha = lower.get("x-amz-content-sha256", [None])[0]
    if service == "s3" and sha is None:
        return False, "S3 request without X-Amz-Content-SHA256"
    if sha is not None and sha.strip() != "UNSIGNED-PAYLOAD":
        if sha.strip() != hashlib.sha256(body).hexdigest():
            return False, "X-Amz-Content-SHA256 does not match the body"

    parts = urlsplit(url)
    params = []
    if parts.query:
        if "+" in parts.query or " " in parts.query:
            return False, "query holds a raw '+' or space (send %2B / %20): " + parts.query
        for p in parts.query.split("&"):
            if p:
                k, _, v = p.partition("=")
                params.append((_decode(k), _decode(v)))
    req = AWSRequest(method=method.upper(), url="%s://%s%s" % (parts.scheme or "http",
                     parts.netloc, parts.path or "/"), data=body, params=params)
    req.headers = HTTPHeaders()
    for n, v in headers:
        if n.lower() in names:
            req.headers[n] = v
    req.context["timestamp"] = amz_date
    creds = Credentials(akid, secrets[akid])
    signer = (S3SigV4Auth if service == "s3" else SigV4Auth)(creds, service, region)
    creq = signer.canonical_request(req)
    sts = signer.string_to_sign(req, creq)
    want = signer.signature(sts, req)
    if want == signature:
        return True, "ok"
    return False, _redact(
        "signature mismatch: got %s, botocore computes %s\n--- canonical request ---\n%s\n"
        "--- string to sign ---\n%s" % (signature, want, creq, sts), headers)
