"""Connection settings (kept free of heavy imports: the CLI loads it at start-up)."""

from __future__ import annotations

from dataclasses import dataclass

APPLICATION_NAME = "pgrelease"


@dataclass(frozen=True)
class ConnectOptions:
    timeout: float = 10.0  # seconds per attempt
    retries: int = 2  # extra attempts on transient failures
    backoff: float = 0.5  # seconds, doubled per retry
    application_name: str = APPLICATION_NAME
