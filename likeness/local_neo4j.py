"""The local Neo4j: Community edition embedded in a small JVM launcher, started by the project itself.

The launcher (scripts/neo4j-launcher) is one Java source file; Maven resolves its classpath from
Maven Central into ~/.m2 (or `maven_repo`) and the list is kept beside the launcher; a list naming a
jar that is gone is resolved again. The server listens for Bolt on 127.0.0.1 only, with authentication
on: the user `neo4j` has a password kept in the data folder (mode 0600), which every command uses.

`likeness neo4j stop` leaves a marker in the data folder, so no later command starts the server
behind the user's back (`ensure_running` refuses until `start` is called again).
"""

from __future__ import annotations

import logging
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from likeness.config import PROJECT_ROOT

logger = logging.getLogger(__name__)

LAUNCHER_DIR = PROJECT_ROOT / "scripts" / "neo4j-launcher"
JAVA_OPENS = [
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--add-opens=java.base/java.util=ALL-UNNAMED",
]


class LocalNeo4jError(RuntimeError):
    """The local Neo4j could not be started or reached; the message says what to do."""


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    """Whether a server could listen on host:port now."""
    with socket.socket() as sock:
        # a port whose last connections are closing (TIME_WAIT) is free for a new server
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def _require_tool(name: str, purpose: str, package: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise LocalNeo4jError(
            f"{name} is not installed: the local Neo4j needs it {purpose}. Install it "
            f"(for example `apt-get install {package}`) or set NEO4J_URI to a running Neo4j 5"
        )
    return path


@dataclass(frozen=True)
class LocalNeo4j:
    data_dir: Path
    port: int = 7687
    heap: str = "1g"
    pagecache: str = "256m"
    # None: Maven's default repository (~/.m2/repository)
    maven_repo: Path | None = None
    # the password of the user `neo4j`; None: the one kept in the data folder (made on first use)
    password_given: str | None = None
    # the benchmark's own server only: a folder of procedure jars (APOC core), put on the classpath and
    # loaded as plugins, and settings added to the launcher's; the tests' and the dev server have neither
    plugins_dir: Path | None = None
    extra_config: tuple[tuple[str, str], ...] = ()

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.port}"

    @property
    def pid_file(self) -> Path:
        return self.data_dir / "neo4j.pid"

    @property
    def log_file(self) -> Path:
        return self.data_dir / "neo4j-launcher.log"

    @property
    def password_file(self) -> Path:
        return self.data_dir / "neo4j-password"

    @property
    def password(self) -> str:
        """The password of the user `neo4j`: given, or kept in the data folder (readable by its owner
        only), made on first use."""
        if self.password_given is not None:
            return self.password_given
        if self.password_file.exists():
            kept = self.password_file.read_text(encoding="utf-8").strip()
            if kept:
                return kept
        self.data_dir.mkdir(parents=True, exist_ok=True)
        made = secrets.token_urlsafe(24)
        descriptor = os.open(self.password_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as out:
            out.write(made + "\n")
        return made

    @property
    def auth(self) -> tuple[str, str]:
        """The credentials a client of this server uses."""
        return ("neo4j", self.password)

    @property
    def stopped_marker(self) -> Path:
        return self.data_dir / "neo4j.stopped"

    @property
    def classpath_file(self) -> Path:
        if self.maven_repo is None:
            return LAUNCHER_DIR / "target" / "classpath.txt"
        return self.data_dir / "classpath.txt"

    def _classpath_is_current(self) -> bool:
        cp_file = self.classpath_file
        if not cp_file.exists() or cp_file.stat().st_mtime < (LAUNCHER_DIR / "pom.xml").stat().st_mtime:
            return False
        jars = cp_file.read_text().strip().split(os.pathsep)
        return bool(jars[0]) and all(Path(jar).is_file() for jar in jars)

    def classpath(self) -> str:
        """The launcher's classpath, resolved by Maven again whenever the kept list is stale."""
        if not self._classpath_is_current():
            logger.info("resolving Neo4j's jars with Maven into %s", self.maven_repo or "~/.m2")
            mvn = _require_tool("mvn", "to fetch Neo4j's jars from Maven Central", "maven")
            self.classpath_file.parent.mkdir(parents=True, exist_ok=True)
            command = [
                mvn,
                "-q",
                "-B",
                "dependency:build-classpath",
                f"-Dmdep.outputFile={self.classpath_file}",
            ]
            if self.maven_repo is not None:
                command.append(f"-Dmaven.repo.local={self.maven_repo}")
            result = subprocess.run(command, cwd=LAUNCHER_DIR, capture_output=True, text=True, check=False)
            if result.returncode != 0:
                detail = (result.stdout + result.stderr).strip().splitlines()
                raise LocalNeo4jError(
                    "Maven could not fetch Neo4j's jars from Maven Central (is the network to it open?): "
                    + (detail[-1] if detail else f"mvn exited with code {result.returncode}")
                )
        return self.classpath_file.read_text().strip()

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

    def is_running(self) -> bool:
        return self.running_pid() is not None and self.bolt_ready()

    def ensure_running(self) -> bool:
        """Start the server if it is down, unless the user stopped it; True when this call started it."""
        if self.is_running():
            return False
        if self.stopped_marker.exists():
            raise LocalNeo4jError(
                "the local Neo4j is stopped (by `likeness neo4j stop`); start it with `likeness neo4j start`"
                " or set NEO4J_URI to another Neo4j"
            )
        self.start()
        return True

    def start(self, *, timeout: float = 180.0) -> None:
        """Start the server unless it already runs; return when Bolt answers."""
        self.stopped_marker.unlink(missing_ok=True)
        if self.is_running():
            return
        if not port_is_free(self.port):
            raise LocalNeo4jError(
                f"port {self.port} on 127.0.0.1 is taken by another process; stop that process or set "
                f"LIKENESS_NEO4J_PORT to a free port"
            )
        java = _require_tool("java", "(a JDK 17) to run Neo4j", "openjdk-17-jdk-headless")
        self.data_dir.mkdir(parents=True, exist_ok=True)
        classpath = self.classpath()
        extra_config = list(self.extra_config)
        if self.plugins_dir is not None:
            # a plugin's extensions are found on the classpath, its procedures in the plugin folder
            jars = sorted(str(jar) for jar in self.plugins_dir.glob("*.jar"))
            classpath = os.pathsep.join([classpath, *jars])
            extra_config.append(("server.directories.plugins", str(self.plugins_dir)))
        cmd = [
            java,
            f"-Xmx{self.heap}",
            *JAVA_OPENS,
            "-cp",
            classpath,
            str(LAUNCHER_DIR / "Neo4jLauncher.java"),
            str(self.data_dir / "neo4j"),
            str(self.port),
            self.pagecache,
        ]
        log = self.log_file.open("ab")
        # the password travels in the environment, not on the command line other users can read
        env = {**os.environ, "LIKENESS_NEO4J_PASSWORD": self.password}
        env.pop("LIKENESS_NEO4J_EXTRA_CONFIG", None)
        if extra_config:
            env["LIKENESS_NEO4J_EXTRA_CONFIG"] = "\n".join(f"{name}={value}" for name, value in extra_config)
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, env=env)
        self.pid_file.write_text(str(proc.pid))
        logger.info(
            "starting the local Neo4j (pid %d, bolt port %d, data in %s)", proc.pid, self.port, self.data_dir
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise LocalNeo4jError(f"Neo4j exited with code {proc.returncode}; see {self.log_file}")
            if self.bolt_ready():
                logger.info("the local Neo4j answers at %s", self.uri)
                return
            time.sleep(0.5)
        self.stop()
        raise LocalNeo4jError(f"Neo4j did not answer on Bolt within {timeout:.0f}s; see {self.log_file}")

    def stop(self, *, timeout: float = 60.0) -> bool:
        """Stop the server with SIGTERM (clean shutdown) and keep it stopped; True if one was running."""
        if self.data_dir.is_dir():
            self.stopped_marker.touch()
        pid = self.running_pid()
        if pid is None:
            return False
        logger.info("stopping the local Neo4j (pid %d)", pid)
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
            logger.warning("the local Neo4j (pid %d) did not stop within %.0f s; killed", pid, timeout)
            os.kill(pid, signal.SIGKILL)
        self.pid_file.unlink(missing_ok=True)
        return True
