#!/usr/bin/env python3
"""botocore_sign — make request descriptions of every kind trailguide sends and sign them
with botocore's own signers at a fixed clock (for tests/sigv4_botocore.sh).

    botocore_sign.py DIR [--seed N] [--count N]

Writes DIR/NNN.req (the request as on the wire, .req format: request line, headers, blank
line, body) and prints one tab-separated line per request:
    kind  file  s3(0/1)  akid  secret  token(- for none)  region  service  date  authorization
where authorization is what botocore (SigV4Auth, or S3SigV4Auth for S3) puts in the
Authorization header. Test keys only.
"""
import argparse
import datetime
import json
import os
import random
from urllib.parse import quote

import botocore.auth
from botocore.auth import S3SigV4Auth, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

KEYS = [("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", None),
        ("ASIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "FQoGZXIvYXdzEXAMPLETOKEN//+=="),
        ("AKIAIOSFODNN7EXAMPLE", "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY", None)]
DATES = ["20150830T123600Z", "20261122T061500Z"]
JSON11 = "application/x-amz-json-1.1"
FORM = "application/x-www-form-urlencoded; charset=utf-8"


def enc(s, keep_slash=False):
    return quote(s, safe="/~" if keep_slash else "~")


def qs(pairs):
    return "&".join("%s=%s" % (enc(k), enc(v)) for k, v in pairs)


def json_call(service, prefix, op, body, region):
    host = "%s.%s.amazonaws.com" % (service, region)
    return dict(method="POST", url="https://%s/" % host, service=service, s3=False,
                headers=[("Host", host), ("Content-Type", JSON11), ("X-Amz-Target", prefix + op)],
                body=json.dumps(body, separators=(",", ":")))


def s3_list(bucket, region, pairs, path_style):
    if path_style:
        host, path = "127.0.0.1:4569", "/" + bucket
        scheme = "http"
    else:
        host, path, scheme = "%s.s3.%s.amazonaws.com" % (bucket, region), "/", "https"
    return dict(method="GET", url="%s://%s%s?%s" % (scheme, host, path, qs(pairs)), service="s3",
                s3=True, headers=[("Host", host)], body="")


def s3_get(bucket, region, key, path_style):
    if path_style:
        host, path, scheme = "127.0.0.1:4569", "/%s/%s" % (bucket, enc(key, True)), "http"
    else:
        host, path, scheme = "%s.s3.%s.amazonaws.com" % (bucket, region), "/" + enc(key, True), "https"
    return dict(method="GET", url="%s://%s%s" % (scheme, host, path), service="s3", s3=True,
                headers=[("Host", host)], body="")


def sts_call(action, extra, region):
    host = "sts.%s.amazonaws.com" % region
    body = qs([("Action", action), ("Version", "2011-06-15")] + extra)
    return dict(method="POST", url="https://%s/" % host, service="sts", s3=False,
                headers=[("Host", host), ("Content-Type", FORM)], body=body)


CT = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101."
KEYS_ODD = ["AWSLogs/123456789012/CloudTrail/us-east-1/2015/08/30/file name.json.gz",
            "AWSLogs/ünïcode/ሴ/x.json.gz", "a+b=c/d e+f==.json", "we ird/%2F/~tilde/(paren)*!'.gz"]


def fixed_kinds():
    r = "us-east-1"
    lk = {"LookupAttributes": [{"AttributeKey": "EventName", "AttributeValue": "ConsoleLogin"}],
          "MaxResults": 50, "StartTime": 1440938160, "NextToken": "tok+/="}
    yield "cloudtrail LookupEvents", json_call("cloudtrail", CT, "LookupEvents", lk, r)
    yield "cloudtrail StartQuery", json_call("cloudtrail", CT, "StartQuery", {
        "QueryStatement": "SELECT eventName FROM eds WHERE eventTime > '2015-08-30 00:00:00'"}, r)
    yield "cloudtrail DescribeQuery", json_call("cloudtrail", CT, "DescribeQuery",
                                                 {"EventDataStore": "eds", "QueryId": "q-1"}, r)
    yield "cloudtrail GetQueryResults", json_call("cloudtrail", CT, "GetQueryResults",
                                                   {"QueryId": "q-1", "NextToken": "n"}, "eu-west-1")
    for op, body in (("StartQueryExecution", {"QueryString": "SELECT 1", "WorkGroup": "primary",
                                               "ResultConfiguration": {"OutputLocation": "s3://r/"}}),
                     ("GetQueryExecution", {"QueryExecutionId": "abc"}),
                     ("GetQueryResults", {"QueryExecutionId": "abc", "MaxResults": 1000})):
        yield "athena " + op, json_call("athena", "AmazonAthena.", op, body, r)
    pairs = [("list-type", "2"), ("prefix", "AWSLogs/123 456/a+b=c/"), ("max-keys", "1000"),
             ("continuation-token", "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM="),
             ("encoding-type", "url"), ("start-after", "AWSLogs/x y")]
    for ps in (True, False):
        style = "path-style" if ps else "virtual-hosted"
        yield "s3 ListObjectsV2 " + style, s3_list("trail-bucket", r, pairs, ps)
        yield "s3 ListObjectsV2 " + style, s3_list("trail.bucket", "eu-west-1", pairs[:3], ps)
        for k in KEYS_ODD:
            yield "s3 GetObject " + style, s3_get("trail-bucket", r, k, ps)
    yield "sts AssumeRole", sts_call("AssumeRole", [
        ("RoleArn", "arn:aws:iam::123456789012:role/demo"), ("RoleSessionName", "demo session"),
        ("DurationSeconds", "3600"), ("ExternalId", "a+b/c=d")], r)
    yield "sts GetCallerIdentity", sts_call("GetCallerIdentity", [], r)


def rand_str(rng, n):
    alpha = "abcXYZ019-._~ /+=%&?#:@!$'()*,;ü€ሴ\"<>[]{}|\\^`"
    return "".join(rng.choice(alpha) for _ in range(rng.randint(0, n)))


def random_req(rng):
    k = rng.randrange(5)
    region = rng.choice(["us-east-1", "eu-west-1", "ap-southeast-2"])
    if k == 0:
        pairs = [("list-type", "2"), ("prefix", rand_str(rng, 30)), ("max-keys", str(rng.randint(1, 1000)))]
        if rng.random() < 0.5:
            pairs.append(("continuation-token", rand_str(rng, 40)))
        if rng.random() < 0.5:
            pairs.append((rand_str(rng, 5) or "k", rand_str(rng, 10)))
        rng.shuffle(pairs)
        return s3_list("bucket-%d" % rng.randint(0, 9), region, pairs, rng.random() < 0.5)
    if k == 1:
        key = rand_str(rng, 40).lstrip("/") or "k"
        return s3_get("bucket", region, key, rng.random() < 0.5)
    if k == 2:
        return json_call("cloudtrail", CT, rng.choice(["LookupEvents", "StartQuery", "GetQueryResults"]),
                         {"NextToken": rand_str(rng, 30), "MaxResults": rng.randint(1, 50)}, region)
    if k == 3:
        return json_call("athena", "AmazonAthena.", "GetQueryResults",
                         {"QueryExecutionId": rand_str(rng, 20)}, region)
    return sts_call("AssumeRole", [("RoleArn", "arn:aws:iam::1:role/" + rand_str(rng, 10)),
                                   ("RoleSessionName", rand_str(rng, 12))], region)


def botocore_authz(req, akid, secret, token, date):
    fixed = datetime.datetime.strptime(date, "%Y%m%dT%H%M%SZ")
    botocore.auth.get_current_datetime = lambda *a, **k: fixed
    ar = AWSRequest(method=req["method"], url=req["url"], data=req["body"].encode())
    for n, v in req["headers"]:
        ar.headers[n] = v
    region = req.get("region") or "us-east-1"
    signer = (S3SigV4Auth if req["s3"] else SigV4Auth)(Credentials(akid, secret, token),
                                                        req["service"], region)
    signer.add_auth(ar)
    return ar.headers["Authorization"]


def region_of(req):
    host = req["headers"][0][1]
    for r in ("us-east-1", "eu-west-1", "ap-southeast-2"):
        if "." + r + "." in host:
            return r
    return "us-east-1"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--seed", type=int, default=6)
    ap.add_argument("--count", type=int, default=200)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    items = []
    for kind, req in fixed_kinds():
        for akid, secret, token in KEYS:
            for date in DATES:
                items.append((kind, req, akid, secret, token, date))
    for i in range(a.count):
        akid, secret, token = rng.choice(KEYS)
        items.append(("random batch", random_req(rng), akid, secret, token, rng.choice(DATES)))
    for i, (kind, req, akid, secret, token, date) in enumerate(items):
        req["region"] = region_of(req)
        target = req["url"].split("://", 1)[1]
        target = target[target.index("/"):]
        path = os.path.join(a.dir, "%04d.req" % i)
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write("%s %s HTTP/1.1\n" % (req["method"], target))
            for n, v in req["headers"]:
                f.write("%s:%s\n" % (n, v))
            f.write("\n" + req["body"])
        authz = botocore_authz(req, akid, secret, token, date)
        print("\t".join([kind, path, "1" if req["s3"] else "0", akid, secret, token or "-",
                         req["region"], req["service"], date, authz]))


if __name__ == "__main__":
    main()
