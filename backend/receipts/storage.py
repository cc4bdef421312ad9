"""Where receipt photos and signatures go: S3 through presigned URLs, or a local directory with the same contract.

Both hand the client {method, url, fields, headers}: S3 gives a presigned POST (its policy enforces
the size and content type); the local stand-in gives a signed PUT to this app that checks the same.
"""

import hashlib
import hmac
import os
from urllib.parse import urlencode

from backend.config import setting
from backend.localstore.dynamodb_local import REPO_ROOT


class S3Storage:
    """Receipt files in an S3 bucket (boto3 ships with the Lambda runtime)."""

    def __init__(self, bucket):
        self.bucket = bucket
        self._client = None

    @property
    def client(self):
        if self._client is None:
            import boto3  # lazily: most requests never touch S3

            self._client = boto3.client("s3")
        return self._client

    def presign_upload(self, *, key, content_type, max_bytes, expires_s, now_ms):
        post = self.client.generate_presigned_post(
            self.bucket,
            key,
            Fields={"Content-Type": content_type},
            Conditions=[{"Content-Type": content_type}, ["content-length-range", 1, max_bytes]],
            ExpiresIn=expires_s,
        )
        return {
            "method": "POST",
            "url": post["url"],
            "fields": post["fields"],
            "headers": {},
            "expires_at": now_ms + expires_s * 1000,
        }

    def exists(self, key):
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=key)
        except ClientError:
            return False
        return True

    def read_url(self, *, key, expires_s, now_ms):
        return self.client.generate_presigned_url(
            "get_object", Params={"Bucket": self.bucket, "Key": key}, ExpiresIn=expires_s
        )


class LocalStorage:
    """A directory standing in for S3; uploads are signed PUTs to /api/receipts/files/<key>."""

    def __init__(self, root, secret):
        self.root = root
        self.secret = secret.encode()

    def signature(self, *parts):
        return hmac.new(self.secret, "\n".join(map(str, parts)).encode(), hashlib.sha256).hexdigest()

    def path(self, key):
        full = os.path.realpath(os.path.join(self.root, key))
        if not full.startswith(os.path.realpath(self.root) + os.sep):
            raise ValueError("key escapes the receipts directory")
        return full

    def presign_upload(self, *, key, content_type, max_bytes, expires_s, now_ms):
        expires = now_ms + expires_s * 1000
        query = urlencode(
            {"expires": expires, "max": max_bytes, "sig": self.signature("PUT", key, content_type, max_bytes, expires)}
        )
        return {
            "method": "PUT",
            "url": f"/api/receipts/files/{key}?{query}",
            "fields": {},
            "headers": {"Content-Type": content_type},
            "expires_at": expires,
        }

    def save(self, key, data):
        full = self.path(key)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full + ".part", "wb") as out:
            out.write(data)
        os.replace(full + ".part", full)

    def exists(self, key):
        return os.path.isfile(self.path(key))

    def read_url(self, *, key, expires_s, now_ms):
        expires = now_ms + expires_s * 1000
        return f"/api/receipts/files/{key}?" + urlencode(
            {"expires": expires, "sig": self.signature("GET", key, expires)}
        )


def storage():
    """S3 when RECEIPTS_BUCKET is set, else the local directory RECEIPTS_DIR (default .data/receipts)."""
    bucket = setting("RECEIPTS_BUCKET")
    if bucket:
        return S3Storage(bucket)
    root = setting("RECEIPTS_DIR") or os.path.join(REPO_ROOT, ".data", "receipts")
    return LocalStorage(root, setting("JWT_SECRET_KEY") + ":receipts")
