"""Settings read from the environment (and a `.env` file when present)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    # When unset, the project starts its own local Neo4j (see likeness.local_neo4j).
    neo4j_uri: str | None = None
    neo4j_user: str = "neo4j"
    neo4j_password: str = ""
    neo4j_database: str = "neo4j"

    likeness_data_dir: Path = PROJECT_ROOT / "data"
    likeness_neo4j_port: int = 7687
    likeness_neo4j_heap: str = "1g"
    likeness_neo4j_pagecache: str = "256m"
    # where Maven keeps the local Neo4j's jars; unset: Maven's own default (~/.m2/repository)
    likeness_maven_repo: Path | None = None
    likeness_admin_token: str | None = None
    # HS256 secret for bearer JWTs carrying `role` and `partyId` claims; unset: JWTs are refused
    likeness_jwt_secret: str | None = None
    likeness_import_batch: int = 2000
    # the folder of law packs (likeness.laws); unset: the packs shipped in the package
    likeness_law_packs_dir: Path | None = None
    # plain fields completed directly (likeness.execution.fastexec); off (0): graphql-core's own execution
    likeness_fastexec: bool = True
    # "text" (readable lines) or "json" (one object per line); see likeness.logs
    likeness_log_format: Literal["text", "json"] = "text"
    likeness_log_level: str = "INFO"

    # How long a request may wait on an unreachable Neo4j (likeness.graph.driver; docs/operations.md).
    # Establishing one connection (TCP and Bolt handshake), in seconds: the driver's `connection_timeout`.
    likeness_neo4j_connection_timeout: float = 1.0
    # Waiting for a pooled connection when all are busy (or for a new one): `connection_acquisition_timeout`.
    likeness_neo4j_acquisition_timeout: float = 5.0
    # The driver's retry window for a unit of work that lost the server: `max_transaction_retry_time`. The
    # driver waits about a second before its first retry, so anything under 0.8 s means exactly one retry.
    # Transient errors (deadlocks) are retried further by the graph itself, for up to 30 s.
    likeness_neo4j_retry_time: float = 0.5
    # After a unit of work finds Neo4j unreachable, the others fail at once for this long (seconds), so
    # that a request with several round trips still answers quickly; /readyz probes regardless.
    likeness_neo4j_down_hold: float = 1.0
    # /readyz: how long the trivial query may take before Neo4j counts as down (seconds)
    likeness_ready_timeout: float = 1.0
    # /readyz says ready only once every statement has run against the current Neo4j and the write path
    # was rehearsed (likeness.ingest.warmup): the first write after a restart then answers in time. Off
    # (LIKENESS_WARM_UP=0), the API is ready as soon as Neo4j answers, and its first statements are planned
    # by the requests that need them (the tests of other things turn it off: a warm-up running beside them
    # is load they do not measure)
    likeness_warm_up: bool = True
    # the largest request body accepted; a larger one is answered 413 as soon as it is seen
    likeness_max_body_bytes: int = 1024 * 1024
    # the largest multipart request (a GraphQL file upload: trace and the mutations taking a file) accepted;
    # every other request stays under likeness_max_body_bytes
    likeness_upload_max_bytes: int = 50 * 1024 * 1024
    # Files sent with trace, publishAsset and reportSighting are hashed in worker processes, one process a
    # file (likeness.media.workers; docs/limits.md, "Files"): at most this many at once ...
    likeness_file_workers: int = 2
    # ... and this many more admitted to wait for a worker; one more is refused at once with BUSY
    likeness_file_waiting: int = 2
    # The most pixels of one picture decoded (an image, a video frame), from its header: Pillow's own
    # decompression-bomb limit, which holds even when this is raised or 0 (off)
    likeness_max_picture_pixels: int = 89_478_485
    # The most frames of one video decoded to sample its first two minutes (0: no limit): 60 a second
    likeness_max_video_frames: int = 7_200
    # A face matches a person's template at this Euclidean distance or nearer (likeness.media.faces;
    # docs/hashing.md, "Faces": dlib's ResNet model was trained to put one person's faces within 0.6) ...
    likeness_face_match_distance: float = 0.6
    # ... and each key may search faces (a file traced, published or reported) this many times a minute
    # (docs/faces.md)
    likeness_face_searches_per_minute: int = 30
    # Content Credentials (likeness.media.credentials; docs/credentials.md, "Trust"): a PEM bundle of the
    # certificates whose signers count as trusted (the C2PA trust list, or an organisation's own); unset: a
    # valid manifest reads as valid but untrusted
    likeness_c2pa_trust_anchors: Path | None = None
    # on SIGTERM, how long in-flight requests may take to finish before they are cancelled (seconds)
    likeness_shutdown_timeout: float = 30.0

    # What one GraphQL operation may ask and take (likeness.execution.limits; docs/limits.md). 0 turns a limit
    # off. Refused before anything runs: fields nested deeper than this (fragments unfolded) ...
    likeness_max_depth: int = 10
    # ... more aliases than this ...
    likeness_max_aliases: int = 50
    # ... a document of more tokens than this (counted before it is parsed) ...
    likeness_max_tokens: int = 10_000
    # ... an estimated cost above this: each object a field may return counts 1, a list its page size
    # (`first`) or 10 for a relationship list, multiplied down the tree.
    likeness_max_cost: int = 150_000
    # Stopped while running: an answer reading more objects (nodes and rows) than this ...
    likeness_max_response_objects: int = 3_000
    # ... and an operation still running this many seconds after it arrived (its Neo4j work cancelled too).
    likeness_query_timeout: float = 5.0

    # Alerts (docs/alerts.md): how often the clock looks for deadlines passed (the lease holder's tick; an
    # alert is emitted at most this late), and how often a process with subscribers reads the outbox when
    # no write of its own wakes it
    likeness_clock_seconds: float = 10.0
    likeness_alert_poll_seconds: float = 0.25

    # Webhooks (likeness.alerts.delivery; docs/alerts.md, "Webhooks"). Targets on loopback, private,
    # link-local, multicast or reserved addresses are refused unless this is on (the tests turn it on) ...
    likeness_webhook_allow_private: bool = False
    # ... each POST may take this long (seconds: connecting, sending and the answer) ...
    likeness_webhook_timeout_seconds: float = 5.0
    # ... a delivery is FAILED after this many tries ...
    likeness_webhook_max_attempts: int = 8
    # ... and after its n-th failed try waits base × 2^(n-1) seconds (at most an hour, less up to 10 %)
    likeness_webhook_backoff_seconds: float = 5.0
    # how often the fan-out and the sender look for work when nothing wakes them (seconds)
    likeness_webhook_poll_seconds: float = 0.5

    # Content Credentials out (likeness.media.signing; docs/credentials.md): the organisation's C2PA signing
    # certificate chain (PEM, signing certificate first) and its private key (PEM, ES256 or Ed25519), set
    # together. Unset, publishAsset(sign: true) is refused with SIGNING_UNAVAILABLE; set but unusable, the
    # server does not start
    likeness_c2pa_signer_cert: Path | None = None
    likeness_c2pa_signer_key: Path | None = None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
