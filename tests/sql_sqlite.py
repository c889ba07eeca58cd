#!/usr/bin/env python3
"""sql_sqlite.py TG SAMPLE RUNBOOKS — run the Athena SQL trailguide compiles on SQLite and
compare with trailguide's own evaluator (TAP output).

The sample's events are loaded into an SQLite table shaped like the Athena CloudTrail table
(lower-case columns, struct fields as useridentity__arn, JSON-string columns as compact
JSON, readonly 'true'/'false', the "timestamp" partition). The few Trino functions the
compiler uses are provided as Python functions (json_extract_scalar, json_extract,
json_format, regexp_like, contains, TRY_CAST). For every filter — a list of hand-written
ones and the filter part of every runbook step — the SQL must select a superset of the
events trailguide matches locally, and exactly them when nothing was left to the local run.
"""
import ipaddress
import json
import re
import sqlite3
import subprocess
import sys

TG, SAMPLE, RUNBOOKS = sys.argv[1:4]
W = ["--since", "2026-11-05", "--until", "2026-11-20"]

QUERIES = [
    "event = CreateUser", "event != AssumeRole", "service = iam", "service != s3",
    "event in (GetObject, PutObject)", "event not in (GetObject, PutObject, AssumeRole)",
    "error exists", "error not exists", "not error exists", "errorMessage exists",
    "ua ~ \"*boto*\"", "ua !~ \"*aws-cli*\"", "ua ~ \"*\"", "ua ~ \"aws-sdk-?o*\"",
    "event =~ /^(Get|List|Describe)/", "event !=~ /^(Get|List|Describe)/", "event =~ /object$/i",
    "ip in (10.0.0.0/8, 192.0.2.0/24, 198.51.100.7)", "ip not in (10.0.0.0/8)",
    "ip in (203.0.113.0/24) or ip = \"AWS Internal\"", "principal ~ \"*:assumed-role/*\"",
    "principal exists", "principal not exists", "account = 111122223333", "account != 111122223333",
    "type = AssumedRole and key ~ \"ASIA*\"", "key exists", "key not exists",
    "role ~ \"*admin*\"", "mfa = true", "mfa != true", "readonly = true", "readonly != true",
    "session exists", "requestParameters.bucketName exists", "requestParameters.bucketName ~ \"*prod*\"",
    "requestParameters.userName = alice", "responseElements.ConsoleLogin = Failure",
    "additionalEventData.MFAUsed != Yes", "requestParameters.roleArn ~ \"*:role/*\"",
    "time >= 2026-11-10 and time < 2026-11-12T06:00Z", "time != 2026-11-10T00:00:00Z",
    "time > 2026-11-10T00:00:00.500Z", "eventID < 5", "eventID >= M", "awsRegion > us-east-1",
    "not (event = AssumeRole or service = s3)", "not (event = AssumeRole and ua in @x)",
    "event = AssumeRole or ua in @x", "(event = GetObject or event = PutObject) and not error exists",
    "userIdentity.sessionContext.sessionIssuer.userName exists", "userIdentity.invokedBy exists",
    "tlsDetails.tlsVersion = TLSv1.2", "vpcEndpointId exists", "eventType = AwsServiceEvent",
    "recipientAccountId != 111122223333", "event = \"\"", "error != \"\"", "nosuchfield = 1",
    "nosuchfield != 1", "requestParameters.items.0.x exists",
]


def run(args):
    return subprocess.run([TG] + args, capture_output=True, text=True)


def jget(ev, path):
    cur = ev
    for seg in path.split("."):
        if not isinstance(cur, dict) or seg not in cur:
            return None
        cur = cur[seg]
    return cur


STRUCT = ["userIdentity." + p for p in (
    "type", "principalId", "arn", "accountId", "invokedBy", "accessKeyId", "userName",
    "onBehalfOf.userId", "onBehalfOf.identityStoreArn", "sessionContext.attributes.mfaAuthenticated",
    "sessionContext.attributes.creationDate", "sessionContext.sessionIssuer.type",
    "sessionContext.sessionIssuer.principalId", "sessionContext.sessionIssuer.arn",
    "sessionContext.sessionIssuer.accountId", "sessionContext.sessionIssuer.userName",
    "sessionContext.ec2RoleDelivery", "sessionContext.webIdFederationData.federatedProvider")] + [
    "tlsDetails.tlsVersion", "tlsDetails.cipherSuite", "tlsDetails.clientProvidedHostHeader"]
TOP = ["eventVersion", "eventTime", "eventSource", "eventName", "awsRegion", "sourceIPAddress",
       "userAgent", "errorCode", "errorMessage", "requestID", "eventID", "eventType", "apiVersion",
       "readOnly", "recipientAccountId", "sharedEventID", "vpcEndpointId", "vpcEndpointAccountId",
       "eventCategory", "sessionCredentialFromConsole", "requestParameters", "responseElements",
       "additionalEventData", "serviceEventDetails"]
COLS = TOP + STRUCT


def colname(p):
    return p.lower().replace(".", "__")


def cell(v):
    if v is None:
        return None
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (dict, list)):
        return json.dumps(v, separators=(",", ":"))
    return str(v)


def jpath(doc, path):
    if doc is None:
        return None
    try:
        cur = json.loads(doc)
    except ValueError:
        return None
    for m in re.finditer(r'\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|\["([^"]*)"\]', path[1:]):
        if m.group(1) is not None or m.group(3) is not None:
            k = m.group(1) if m.group(1) is not None else m.group(3)
            if not isinstance(cur, dict) or k not in cur:
                return None
            cur = cur[k]
        else:
            i = int(m.group(2))
            if not isinstance(cur, list) or i >= len(cur):
                return None
            cur = cur[i]
    return ("found", cur)


def json_extract_scalar(doc, path):
    r = jpath(doc, path)
    if not r or isinstance(r[1], (dict, list)) or r[1] is None:
        return None
    v = r[1]
    return ("true" if v else "false") if isinstance(v, bool) else str(v)


def json_extract(doc, path):
    r = jpath(doc, path)
    return None if not r else json.dumps(r[1], separators=(",", ":"))


def try_cast(x, kind):
    if x is None:
        return None
    if kind == "double":
        try:
            return float(x)
        except ValueError:
            return None
    try:
        return str(ipaddress.ip_address(x))
    except ValueError:
        return None


def contains(net, ip):
    if ip is None:
        return None
    a = ipaddress.ip_address(ip)
    n = ipaddress.ip_network(net)
    return 1 if a.version == n.version and a in n else 0


def regexp_like(x, p):
    if x is None:
        return None
    return 1 if re.search(p, x) else 0


def to_sqlite(where):
    out, i = [], 0
    parts = re.split(r"('(?:[^']|'')*'|\"(?:[^\"]|\"\")*\")", where)
    for k, part in enumerate(parts):
        if k % 2:
            out.append(part)
            continue
        part = re.sub(r"\b(useridentity|tlsdetails)((?:\.[a-z0-9_]+)+)",
                      lambda m: m.group(0).replace(".", "__"), part)
        part = part.replace("TRY_CAST(", "try_cast(").replace(" AS double)", ", 'double')")
        part = part.replace(" AS IPADDRESS)", ", 'ip')")
        out.append(part)
    return "".join(out)


def filter_part(text):
    """The query up to its first '|' outside quotes and /regexes/."""
    q, i, prev = None, 0, ""
    while i < len(text):
        c = text[i]
        if q:
            if c == "\\":
                i += 1
            elif c == q:
                q = None
        elif c in "\"'":
            q = c
        elif c == "/" and prev.endswith("~"):
            q = "/"
        elif c == "|":
            return text[:i].strip()
        if not c.isspace():
            prev = (prev + c)[-3:]
        i += 1
    return text.strip()


def main():
    evs = [json.loads(l) for l in run(["query", "*", "--format", "ndjson", SAMPLE] + W).stdout.splitlines()]
    db = sqlite3.connect(":memory:")
    db.execute("PRAGMA case_sensitive_like = ON")
    for name, fn, n in (("json_extract_scalar", json_extract_scalar, 2), ("json_extract", json_extract, 2),
                        ("json_format", lambda x: x, 1), ("try_cast", try_cast, 2),
                        ("contains", contains, 2), ("regexp_like", regexp_like, 2)):
        db.create_function(name, n, fn, deterministic=True)
    cols = [colname(p) for p in COLS]
    db.execute("CREATE TABLE t (%s, \"timestamp\")" % ", ".join(cols))
    rows = []
    for e in evs:
        t = e.get("eventTime", "")
        rows.append([cell(jget(e, p)) for p in COLS] + [t[:10].replace("-", "/")])
    db.executemany("INSERT INTO t VALUES (%s)" % ", ".join("?" * (len(cols) + 1)), rows)

    queries = list(QUERIES)
    for path in subprocess.run(["find", RUNBOOKS, "-name", "*.md"], capture_output=True,
                               text=True).stdout.split():
        for block in re.findall(r"```query[^\n]*\n(.*?)```", open(path).read(), re.S):
            text = " ".join(block.split())
            cut = filter_part(text)
            if cut:
                queries.append(cut)
            if "@" not in text and not re.search(r"\|\s*(stats|spike)\b", text):
                queries.append(text)  # whole event queries: stages narrow (sequence) or finish locally
    n = 0
    fails = 0
    for q in dict.fromkeys(queries):
        r = run(["sql", q, "--dialect", "athena", "--events"] + W)
        if r.returncode:
            print("not ok %d - compile %s: %s" % (n + 1, q, r.stderr.strip()))
            n += 1
            fails += 1
            continue
        exact = "finished locally" not in r.stdout
        stmt = r.stdout[r.stdout.index("SELECT"):].rstrip().rstrip(";")
        m = re.search(r"\nWHERE (.*)", stmt, re.S)
        where = to_sqlite(m.group(1)) if m else "1"
        try:
            got = {x[0] for x in db.execute("SELECT eventid FROM t WHERE " + where)}
        except sqlite3.Error as e:
            n += 1
            fails += 1
            print("not ok %d - %s: SQLite: %s\n# %s" % (n, q, e, where))
            continue
        lr = run(["query", q + " | fields eventID", "--format", "csv", SAMPLE] + W)
        want = set(lr.stdout.split()[1:])
        n += 1
        if exact:
            good = got == want
            what = "exact: %d events" % len(want)
        else:
            good = got >= want
            what = "superset: %d >= %d" % (len(got), len(want))
        if not good:
            fails += 1
            print("not ok %d - %s (%s; missing %d, extra %d)\n# %s" % (
                n, q, what, len(want - got), len(got - want), where[:300]))
        else:
            print("ok %d - %s (%s)" % (n, q, what))
    print("1..%d" % n)
    sys.exit(1 if fails else 0)


main()
