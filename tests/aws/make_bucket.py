#!/usr/bin/env python3
"""make_bucket.py — load CloudTrail files into an S3 bucket on a loopback server (moto).

  make_bucket.py --endpoint URL --bucket NAME --from DIR [--prefix P] [--org o-xxx|none]
                 [--include REGEX] [--region R]

Every file under DIR is uploaded under PREFIX/ with its path relative to DIR as the key
(the sample incident is already laid out as AWSLogs/[ORG/]ACCOUNT/CloudTrail/REGION/Y/M/D).
--org replaces the organization id level (AWSLogs/o-.../) with another id, or removes it
with "none"; --include uploads only the relative paths matching REGEX. Prints the number of
objects uploaded. Credentials come from the environment (tests/aws/lib.sh aws_env)."""
import argparse
import os
import re
import sys
from concurrent.futures import ThreadPoolExecutor

import boto3
from botocore.config import Config


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--endpoint", required=True)
    ap.add_argument("--bucket", required=True)
    ap.add_argument("--from", dest="src", required=True)
    ap.add_argument("--prefix", default="")
    ap.add_argument("--org", default=None)
    ap.add_argument("--include", default=None)
    ap.add_argument("--region", default="us-east-1")
    a = ap.parse_args()

    s3 = boto3.client("s3", endpoint_url=a.endpoint, region_name=a.region,
                      config=Config(max_pool_connections=16,
                                    retries={"max_attempts": 5, "mode": "standard"}))
    try:
        if a.region == "us-east-1":
            s3.create_bucket(Bucket=a.bucket)
        else:
            s3.create_bucket(Bucket=a.bucket,
                             CreateBucketConfiguration={"LocationConstraint": a.region})
    except s3.exceptions.BucketAlreadyOwnedByYou:
        pass

    inc = re.compile(a.include) if a.include else None
    jobs = []
    for root, _dirs, files in os.walk(a.src):
        for f in sorted(files):
            path = os.path.join(root, f)
            rel = os.path.relpath(path, a.src).replace(os.sep, "/")
            if inc and not inc.search(rel):
                continue
            if a.org is not None:
                m = re.match(r"AWSLogs/(o-[a-z0-9]+/)?(.*)$", rel)
                if m:
                    rel = "AWSLogs/" + ("" if a.org == "none" else a.org + "/") + m.group(2)
            key = (a.prefix.rstrip("/") + "/" + rel) if a.prefix else rel
            jobs.append((path, key))

    def put(job):
        path, key = job
        with open(path, "rb") as fh:
            s3.put_object(Bucket=a.bucket, Key=key, Body=fh.read())

    with ThreadPoolExecutor(max_workers=16) as ex:
        list(ex.map(put, jobs))
    print(len(jobs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
