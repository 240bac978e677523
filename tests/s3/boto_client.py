# SPDX-License-Identifier: AGPL-3.0-or-later
"""An independent S3 client for the blob integration tests (boto3 from Debian's python3-boto3;
run with /usr/bin/python3). Reads the endpoint and bucket from CM_S3_ENDPOINT and CM_S3_BUCKET and
the credentials from the usual AWS_* variables; path-style addressing, SigV4.

    boto_client.py put KEY FILE      store FILE under KEY
    boto_client.py get KEY FILE      write the object KEY to FILE
    boto_client.py size KEY          print the object's size, or "missing"
"""

import os
import sys

import boto3
from botocore.config import Config


def main(argv):
    s3 = boto3.client(
        "s3",
        endpoint_url=os.environ["CM_S3_ENDPOINT"],
        region_name=os.environ.get("AWS_REGION", "us-east-1"),
        config=Config(s3={"addressing_style": "path"}, signature_version="s3v4",
                      retries={"max_attempts": 2}),
    )
    bucket = os.environ["CM_S3_BUCKET"]
    command, key = argv[1], argv[2]
    if command == "put":
        with open(argv[3], "rb") as f:
            s3.put_object(Bucket=bucket, Key=key, Body=f)
    elif command == "get":
        body = s3.get_object(Bucket=bucket, Key=key)["Body"]
        with open(argv[3], "wb") as f:
            for chunk in iter(lambda: body.read(1 << 20), b""):
                f.write(chunk)
    elif command == "size":
        try:
            print(s3.head_object(Bucket=bucket, Key=key)["ContentLength"])
        except s3.exceptions.ClientError as e:
            if e.response["Error"]["Code"] in ("404", "NoSuchKey"):
                print("missing")
            else:
                raise
    else:
        print("unknown command " + command, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
