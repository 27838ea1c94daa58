"""The local Neo4j: Community edition embedded in a small JVM launcher, started by the project itself.

The launcher (scripts/neo4j-launcher) is one Java source file; Maven resolves its classpath from
Maven Central into ~/.m2 once. The server listens for Bolt on 127.0.0.1 only.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from likeness.config import PROJECT_ROOT

LAUNCHER_DIR = PROJECT_ROOT / "scripts" / "neo4j-launcher"
JAVA_OPENS = [
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--add-opens=java.base/java.util=ALL-UNNAMED",
]


class LocalNeo4jError(RuntimeError):
    """The local Neo4j could not be started or reached."""


@dataclass(frozen=True)
class LocalNeo4j:
    data_dir: Path
    port: int = 7687
    heap: str = "1g"
    pagecache: str = "256m"

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.port}"

    @property
    def pid_file(self) -> Path:
        return self.data_dir / "neo4j.pid"

    @property
    def log_file(self) -> Path:
        return self.data_dir / "neo4j-launcher.log"

    def classpath(self) -> str:
        """Resolve (once, cached by Maven in ~/.m2) the launcher's classpath."""
        cp_file = LAUNCHER_DIR / "target" / "classpath.txt"
        pom = LAUNCHER_DIR / "pom.xml"
        if not cp_file.exists() or cp_file.stat().st_mtime < pom.stat().st_mtime:
            cp_file.parent.mkdir(parents=True, exist_ok=True)
            result = subprocess.run(
                ["mvn", "-q", "-B", "dependency:build-classpath", f"-Dmdep.outputFile={cp_file}"],
                cwd=LAUNCHER_DIR, capture_output=True, text=True, check=False,
            )
            if result.returncode != 0:
                raise LocalNeo4jError(f"maven could not resolve Neo4j:\n{result.stdout}\n{result.stderr}")
        return cp_file.read_text().strip()

    def running_pid(self) -> int | None:
        try:
            pid = int(self.pid_file.read_text().strip())
            os.kill(pid, 0)
        except (FileNotFoundError, ValueError, ProcessLookupError, PermissionError):
            return None
        return pid

    def bolt_ready(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                # Bolt handshake: magic preamble then four proposed versions (5.x .. 4.4).
                sock.sendall(bytes.fromhex("6060b017") + bytes.fromhex("00000805000000040000000000000000"))
                return len(sock.recv(4)) == 4
        except OSError:
            return False

    def start(self, *, timeout: float = 180.0) -> None:
        """Start the server unless it already runs; return when Bolt answers."""
        if self.running_pid() is not None and self.bolt_ready():
            return
        if self.bolt_ready():
            raise LocalNeo4jError(f"port {self.port} is already taken by another process")
        self.data_dir.mkdir(parents=True, exist_ok=True)
        cmd = [
            "java", f"-Xmx{self.heap}", *JAVA_OPENS, "-cp", self.classpath(),
            str(LAUNCHER_DIR / "Neo4jLauncher.java"), str(self.data_dir / "neo4j"), str(self.port), self.pagecache,
        ]
        log = self.log_file.open("ab")
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.pid_file.write_text(str(proc.pid))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise LocalNeo4jError(f"Neo4j exited with code {proc.returncode}; see {self.log_file}")
            if self.bolt_ready():
                return
            time.sleep(0.5)
        self.stop()
        raise LocalNeo4jError(f"Neo4j did not answer on Bolt within {timeout:.0f}s; see {self.log_file}")

    def stop(self, *, timeout: float = 60.0) -> bool:
        """Stop the server with SIGTERM (clean shutdown); True if one was running."""
        pid = self.running_pid()
        if pid is None:
            return False
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                # reap it when it is our own child, so a zombie does not look alive
                if os.waitpid(pid, os.WNOHANG)[0] == pid:
                    break
            except ChildProcessError:
                pass
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.3)
        else:
            os.kill(pid, signal.SIGKILL)
        self.pid_file.unlink(missing_ok=True)
        return True
