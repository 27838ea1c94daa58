"""The local Neo4j as a newcomer meets it: resolved from Maven Central on a bare machine, stopped
when told."""

from __future__ import annotations

import os
import shutil
import socket
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from neo4j import AsyncGraphDatabase
from neo4j.exceptions import AuthError
from typer.testing import CliRunner

from likeness.cli import app
from likeness.config import get_settings
from likeness.local_neo4j import LocalNeo4j, LocalNeo4jError


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


MAVEN_DEFAULT = Path.home() / ".m2" / "repository"


@pytest.fixture
def maven_repo(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """Maven's own repository, filled by scripts/setup.sh; with the indirect parameter "empty", a new
    empty one (a bare machine)."""
    if getattr(request, "param", "default") == "empty":
        return tmp_path / "m2"
    return MAVEN_DEFAULT


@pytest.fixture
def local_env(tmp_path: Path, maven_repo: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalNeo4j]:
    """The CLI pointed at a local Neo4j of its own in an empty data folder."""
    monkeypatch.delenv("NEO4J_URI", raising=False)
    server = LocalNeo4j(
        data_dir=tmp_path / "data",
        port=_free_port(),
        heap="512m",
        pagecache="64m",
        maven_repo=maven_repo,
    )
    monkeypatch.setenv("LIKENESS_DATA_DIR", str(server.data_dir))
    monkeypatch.setenv("LIKENESS_NEO4J_PORT", str(server.port))
    monkeypatch.setenv("LIKENESS_NEO4J_HEAP", server.heap)
    monkeypatch.setenv("LIKENESS_NEO4J_PAGECACHE", server.pagecache)
    monkeypatch.setenv("LIKENESS_MAVEN_REPO", str(server.maven_repo))
    get_settings.cache_clear()
    yield server
    server.stop()
    get_settings.cache_clear()


@pytest.mark.parametrize("maven_repo", ["empty"], indirect=True)
def test_a_bare_machine_resolves_neo4j_from_maven_central_and_a_stop_sticks(local_env: LocalNeo4j) -> None:
    """The bug this guards against: a kept classpath naming jars a fresh machine does not have."""
    runner = CliRunner()
    assert not local_env.maven_repo or not local_env.maven_repo.exists()
    started = runner.invoke(app, ["neo4j", "start"])
    assert started.exit_code == 0, started.output
    jars = local_env.classpath().split(os.pathsep)
    assert all(Path(jar).is_file() and str(local_env.maven_repo) in jar for jar in jars)
    listed = runner.invoke(app, ["keys", "list", "--json"])
    assert listed.exit_code == 0, listed.output
    assert listed.stdout.strip() == "[]"

    assert runner.invoke(app, ["neo4j", "stop"]).exit_code == 0
    refused = runner.invoke(app, ["keys", "list"])
    assert refused.exit_code == 1
    assert "stopped" in refused.output and "likeness neo4j start" in refused.output
    assert "Traceback" not in refused.output
    assert not local_env.is_running(), "a command started the Neo4j the user had stopped"
    status = runner.invoke(app, ["neo4j", "status"])
    assert status.exit_code == 1 and "stopped by" in status.output

    assert runner.invoke(app, ["neo4j", "start"]).exit_code == 0
    assert runner.invoke(app, ["keys", "list", "--json"]).exit_code == 0


def test_a_command_starts_a_local_neo4j_that_was_never_stopped_and_says_so(local_env: LocalNeo4j) -> None:
    result = CliRunner().invoke(app, ["keys", "list", "--json"])
    assert result.exit_code == 0, result.output
    assert f"started the local Neo4j at {local_env.uri}" in result.output
    again = CliRunner().invoke(app, ["keys", "list", "--json"])
    assert "started" not in again.output


async def test_the_local_neo4j_refuses_clients_without_its_password(local_env: LocalNeo4j) -> None:
    local_env.start()
    assert stat.S_IMODE(local_env.password_file.stat().st_mode) == 0o600
    for auth in (None, ("neo4j", "neo4j"), ("neo4j", local_env.password + "x")):
        driver = AsyncGraphDatabase.driver(local_env.uri, auth=auth)
        try:
            with pytest.raises(AuthError):
                await driver.verify_connectivity()
        finally:
            await driver.close()
    driver = AsyncGraphDatabase.driver(local_env.uri, auth=local_env.auth)
    try:
        await driver.verify_connectivity()
    finally:
        await driver.close()


def test_a_kept_classpath_naming_a_missing_jar_is_resolved_again(tmp_path: Path) -> None:
    server = LocalNeo4j(data_dir=tmp_path, maven_repo=MAVEN_DEFAULT)
    server.classpath()
    jars = server.classpath_file.read_text().strip().split(os.pathsep)
    server.classpath_file.write_text(os.pathsep.join([*jars, str(tmp_path / "gone" / "neo4j-gone.jar")]))
    resolved = server.classpath().split(os.pathsep)
    assert sorted(resolved) == sorted(jars)


def test_a_taken_port_is_named_with_what_to_do(local_env: LocalNeo4j) -> None:
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", local_env.port))
        squatter.listen()
        result = CliRunner().invoke(app, ["neo4j", "start"])
    assert result.exit_code == 1
    assert f"port {local_env.port} on 127.0.0.1 is taken" in result.output
    assert "LIKENESS_NEO4J_PORT" in result.output and "Traceback" not in result.output


# without java the jars are already resolved (Maven's own repository); without mvn they must be fetched
@pytest.mark.parametrize(
    ("tool", "maven_repo"), [("mvn", "empty"), ("java", "default")], indirect=["maven_repo"]
)
def test_a_missing_jdk_or_maven_is_named_in_one_line(
    tool: str, local_env: LocalNeo4j, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name in {"mvn", "java"} - {tool}:
        (bin_dir / name).symlink_to(shutil.which(name) or pytest.fail(f"{name} is needed for this test"))
    if tool == "java":
        local_env.classpath()
    monkeypatch.setenv("PATH", str(bin_dir))
    result = CliRunner().invoke(app, ["neo4j", "start"])
    assert result.exit_code == 1
    first, *rest = result.output.strip().splitlines()
    assert first.startswith(f"error: {tool} is not installed") and "apt-get install" in first
    assert rest == ["(run again with --debug for the traceback)"]
    debug = CliRunner().invoke(app, ["--debug", "neo4j", "start"])
    assert isinstance(debug.exception, LocalNeo4jError)
