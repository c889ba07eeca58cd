#!/usr/bin/env python3
# bigfile_gen.py FMT N SEED [FLAG]... — one CloudTrail file of N events for the chunked
# load tests (tests/bigfile_cli.sh) and bench/bigfile.sh. FMT: ndjson, records or array.
# Flags: damage (about 3% of records broken in seven ways), crlf (NDJSON lines), trunc
# (the file ends inside a record), utf8 (invalid UTF-8 in strings), pretty (some records
# printed over many lines, nested objects starting lines). Records hold strings with
# {"eventVersion" and braces, a "},{" key, nested objects with eventVersion keys,
# duplicates, records without eventTime and with @timestamp only.
import json, random, sys
fmt, n, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
flags = set(sys.argv[4:])
R = random.Random(seed)
def rec(i):
    r = {"eventVersion": "1.08",
         "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::111122223333:user/u%d" % (i % 7), "accountId": "111122223333"},
         "eventTime": "2026-11-20T%02d:%02d:%02dZ" % ((i // 3600) % 24, (i // 60) % 60, i % 60),
         "eventSource": "iam.amazonaws.com", "eventName": R.choice(["ListUsers", "GetUser", "PutObject"]),
         "awsRegion": "us-east-1", "sourceIPAddress": "192.0.2.%d" % (i % 250),
         "eventID": "id-%d" % (i if R.random() > 0.02 else max(0, i - 1))}
    k = R.random()
    if k < 0.1:
        r["requestParameters"] = {"policy": '{"eventVersion":"1.08"},{"x":"}"} ' + "{" * R.randint(0, 5)}
    elif k < 0.2:
        r["requestParameters"] = {"},{": {"eventVersion": "nested"}, "resources": [{"ARN": "a"}, {"ARN": "b"}]}
    elif k < 0.3:
        r["resources"] = [{"eventVersion": "x", "ARN": "arn:%d" % i}, {"ARN": "y"}]
    if R.random() < 0.3:
        r["pad"] = "x" * R.randint(0, 3000)
    if R.random() < 0.02:
        del r["eventTime"]
        if R.random() < 0.5:
            r["@timestamp"] = "2026-11-20T05:00:%02d.000Z" % (i % 60)
    return r
def enc(r):
    s = json.dumps(r, separators=(",", ":"), ensure_ascii=False)
    return s
out = []
for i in range(n):
    r = rec(i)
    s = json.dumps(r, indent=0, ensure_ascii=False) if "pretty" in flags and R.random() < 0.05 else enc(r)
    if "damage" in flags and R.random() < 0.03:
        d = R.randint(0, 6)
        if d == 0: s = s[: len(s) // 2]
        elif d == 1: s = s.replace('","', '" "', 1)
        elif d == 2: s = s.replace('"eventName"', '"event\\qName"', 1)
        elif d == 3: s = "12345"
        elif d == 4: s = s[:-1]
        elif d == 5: s = s.replace('"awsRegion":"us-east-1"', '"awsRegion":"us-\xff\xfeeast"', 1)
        elif d == 6: s = s + "}"
    elif "utf8" in flags and R.random() < 0.05:
        s = s.replace('"awsRegion":"us-east-1"', '"awsRegion":"us-\udcff-east"', 1)
    out.append(s)
sep = {"ndjson": "\r\n" if "crlf" in flags else "\n", "records": ",", "array": ",\n  "}[fmt]
body = sep.join(out)
if fmt == "ndjson": text = body + sep
elif fmt == "records": text = '{"Records":[' + body + ']}'
else: text = "[\n  " + body + "\n]\n"
data = text.encode("utf-8", "surrogateescape")
if "trunc" in flags:
    data = data[: len(data) - R.randint(10, 500)]
sys.stdout.buffer.write(data)
