"""An S3-compatible object store for the tests: moto's standalone server, run as a process of
its own on a free port and spoken to over HTTP, as the portal speaks to MinIO. Stopped by its
PID, never anything else."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import boto3
from botocore.config import Config

from kla_portal.env import opsi_s3
from tests import conftest

KUNCI = {"access_key": "kla-uji", "secret_key": "kla-uji-rahasia", "region": "us-east-1"}


def port_bebas(dari: int = 5600, sampai: int = 5700) -> int:
    return conftest.port_bebas(dari, sampai)


class ServerS3:
    """``periksa_kunci``: the server checks every request's signature against the keys it
    issued itself (moto's IAM checks, on after the three requests that make those keys)."""

    def __init__(self, port: int | None = None, *, periksa_kunci: bool = False):
        self.port = port or port_bebas()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        self.periksa_kunci = periksa_kunci
        self.kunci = dict(KUNCI)

    def mulai(self) -> ServerS3:
        program = shutil.which("moto_server", path=str(Path(sys.executable).parent))
        self.process = subprocess.Popen(
            [program, "-H", "127.0.0.1", "-p", str(self.port)],
            env={
                **os.environ,
                "INITIAL_NO_AUTH_ACTION_COUNT": "3" if self.periksa_kunci else "inf",
            },
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"moto_server tidak dapat mulai di port {self.port}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError(f"moto_server di port {self.port} tidak menjawab")
        if self.periksa_kunci:
            self._terbitkan_kunci()
        return self

    def _terbitkan_kunci(self) -> None:
        iam = boto3.client(
            "iam", endpoint_url=self.url, region_name=KUNCI["region"],
            aws_access_key_id="awal", aws_secret_access_key="awal",
        )  # fmt: skip
        iam.create_user(UserName="kla")
        kunci = iam.create_access_key(UserName="kla")["AccessKey"]
        iam.put_user_policy(
            UserName="kla",
            PolicyName="s3",
            PolicyDocument=json.dumps(
                {"Version": "2012-10-17",
                 "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
            ),
        )  # fmt: skip
        self.kunci.update(access_key=kunci["AccessKeyId"], secret_key=kunci["SecretAccessKey"])

    def hentikan(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=10)
        self.process = None

    def klien(self):
        return boto3.client(
            "s3",
            endpoint_url=self.url,
            aws_access_key_id=self.kunci["access_key"],
            aws_secret_access_key=self.kunci["secret_key"],
            region_name=KUNCI["region"],
            config=Config(retries={"max_attempts": 1}),
        )

    def bucket_baru(self) -> str:
        nama = f"kla-{uuid.uuid4().hex[:12]}"
        self.klien().create_bucket(Bucket=nama)
        return nama

    def isi(self, bucket: str) -> dict[str, bytes]:
        """Every object of the bucket, by its key."""
        klien = self.klien()
        hasil = {}
        for halaman in klien.get_paginator("list_objects_v2").paginate(Bucket=bucket):
            for obj in halaman.get("Contents", []):
                hasil[obj["Key"]] = klien.get_object(Bucket=bucket, Key=obj["Key"])["Body"].read()
        return hasil

    def env(self, bucket: str) -> dict[str, str]:
        """The portal's environment for this store (a process started by a test)."""
        return {
            "AWS_STORAGE_BUCKET_NAME": bucket,
            "AWS_S3_ENDPOINT_URL": self.url,
            "AWS_ACCESS_KEY_ID": self.kunci["access_key"],
            "AWS_SECRET_ACCESS_KEY": self.kunci["secret_key"],
            "AWS_S3_REGION_NAME": KUNCI["region"],
        }

    def storages(self, bucket: str, *, url: str | None = None, **ganti) -> dict:
        """STORAGES' default entry as settings.py makes it for this store."""
        kunci = {**self.kunci, **ganti}
        return {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": opsi_s3(bucket=bucket, endpoint=url or self.url, location="", **kunci),
        }
