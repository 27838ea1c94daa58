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
    # plain fields completed directly (likeness.schema.fastexec); off (0): graphql-core's own execution
    likeness_fastexec: bool = True
    # "text" (readable lines) or "json" (one object per line); see likeness.logs
    likeness_log_format: Literal["text", "json"] = "text"
    likeness_log_level: str = "INFO"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
