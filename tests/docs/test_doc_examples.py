"""The documentation keeps its promises: every GraphQL example in README.md and docs/*.md runs, every
answer a page shows is the answer the API gives, and no link leaves the repository.

How the pages are read (write examples with these rules in mind):

- Every ```graphql block is either **schema text** (SDL: only `type`, `input`, `enum`, … definitions),
  which must agree with schema.graphql, or an **example**, which is run through the API as the admin
  against a fresh graph holding the demo world (likeness/demo/world.jsonl). Each page's examples run
  in page order, in one graph, so a page can record something and then ask about it.
- An example block with several operations names each one; each is run on its own (operationName).
- A ```json block that directly follows an example (only blank lines between) is the **stated
  answer**: the API's whole response body must equal it. Without one, the example must answer with
  no errors.
- An example that must not be run starts with the line `# not run: <why>` (prefer running it).
- docs/recording.md is also run on an empty graph (it promises to work there too), and its ```jsonl
  file must hold exactly the inputs of its mutations, in order.
- Every ```jsonl line has the import format; links are relative, resolve inside the repository and
  name headings that exist; code paths such as `likeness/rules/` exist.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from graphql import (
    DocumentNode,
    GraphQLSyntaxError,
    OperationDefinitionNode,
    OperationType,
    TypeSystemDefinitionNode,
    TypeSystemExtensionNode,
    parse,
    print_ast,
    value_from_ast_untyped,
)

from likeness.demo import DEMO_WORLD
from likeness.errors import LikenessError
from likeness.ingest.bulk import import_lines, parse_line

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
RECORDING = ROOT / "docs" / "recording.md"
# the mutations a brand's legal team uses: docs/recording.md shows each with its answer
LEGAL_TEAM_MUTATIONS = (
    "registerPerson",
    "registerOrganization",
    "grantConsent",
    "revokeConsent",
    "publishAsset",
    "withdrawAsset",
    "recordPayment",
)
NOT_RUN = re.compile(r"^#\s*not run:\s*(.*)$")
FENCE = re.compile(r"^```(\S*)\s*$")


@dataclass
class Block:
    path: Path
    line: int  # of the opening fence, 1-based
    end: int  # of the closing fence, 1-based
    lang: str
    text: str

    @property
    def where(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"


@dataclass
class Example:
    block: Block
    document: DocumentNode
    expected: Any  # the stated answer (parsed JSON), or None
    skip: str | None  # the reason given by a `# not run:` line

    @property
    def operations(self) -> list[OperationDefinitionNode]:
        return [d for d in self.document.definitions if isinstance(d, OperationDefinitionNode)]


def fenced_blocks(path: Path, text: str | None = None) -> list[Block]:
    """The fenced code blocks of a markdown file, with what lies between them."""
    lines = (path.read_text(encoding="utf-8") if text is None else text).splitlines()
    blocks: list[Block] = []
    index = 0
    while index < len(lines):
        opened = FENCE.match(lines[index])
        if not opened:
            index += 1
            continue
        end = index + 1
        while end < len(lines) and not re.match(r"^```\s*$", lines[end]):
            end += 1
        assert end < len(lines), f"{path}:{index + 1}: unclosed code fence"
        blocks.append(Block(path, index + 1, end + 1, opened.group(1), "\n".join(lines[index + 1 : end])))
        index = end + 1
    return blocks


def _follows_directly(first: Block, second: Block, lines: list[str]) -> bool:
    between = lines[first.end : second.line - 1]
    return all(not line.strip() for line in between)


def is_sdl(document: DocumentNode) -> bool:
    kinds = {isinstance(d, TypeSystemDefinitionNode | TypeSystemExtensionNode) for d in document.definitions}
    assert len(kinds) == 1, "a block mixes schema definitions with operations"
    return kinds == {True}


def examples(path: Path, text: str | None = None) -> tuple[list[Example], list[DocumentNode]]:
    """A page's example blocks (with their stated answers) and its schema (SDL) blocks."""
    source = path.read_text(encoding="utf-8") if text is None else text
    lines = source.splitlines()
    blocks = fenced_blocks(path, source)
    found: list[Example] = []
    sdl: list[DocumentNode] = []
    for position, block in enumerate(blocks):
        if block.lang != "graphql":
            continue
        try:
            document = parse(block.text)
        except GraphQLSyntaxError as error:
            raise AssertionError(f"{block.where}: not valid GraphQL: {error.message}") from None
        if is_sdl(document):
            sdl.append(document)
            continue
        first_line = block.text.lstrip().splitlines()[0]
        skip = NOT_RUN.match(first_line)
        if skip:
            assert skip.group(1).strip(), f"{block.where}: '# not run:' needs a reason"
        expected = None
        following = blocks[position + 1] if position + 1 < len(blocks) else None
        if following is not None and following.lang == "json" and _follows_directly(block, following, lines):
            try:
                expected = json.loads(following.text)
            except json.JSONDecodeError as error:
                raise AssertionError(f"{following.where}: the stated answer is not JSON: {error}") from None
        found.append(Example(block, document, expected, skip.group(1).strip() if skip else None))
    return found, sdl


def _assert_well_formed(example: Example) -> None:
    operations = example.operations
    assert operations, f"{example.block.where}: no operation to run"
    if len(operations) > 1:
        assert all(op.name for op in operations), f"{example.block.where}: name every operation of the block"
        assert example.expected is None, f"{example.block.where}: a stated answer needs a single operation"
    for op in operations:
        missing = [v.variable.name.value for v in op.variable_definitions or () if v.default_value is None]
        assert not missing, f"{example.block.where}: write literal values, not variables ({missing})"


async def _load_demo(graph: Any) -> None:
    summary = await import_lines(graph, Path(str(DEMO_WORLD)).read_text(encoding="utf-8").splitlines())
    assert not summary.rejected, summary.rejected


async def _run(api: Any, example: Example) -> list[str]:
    """Run an example; answer the problems found (empty when it did what the page says)."""
    problems = []
    for op in example.operations:
        body: dict[str, Any] = {"query": example.block.text}
        if op.name:
            body["operationName"] = op.name.value
        response = await api.client.post(
            "/graphql", json=body, headers={"Authorization": f"Bearer {api.token}"}
        )
        answer = response.json()
        label = f"{example.block.where}{' ' + op.name.value if op.name else ''}"
        if example.expected is not None:
            if answer != example.expected:
                problems.append(
                    f"{label}: the page states\n{json.dumps(example.expected, indent=2)}\n"
                    f"but the API answers\n{json.dumps(answer, indent=2)}"
                )
        elif response.status_code != 200 or answer.get("errors"):
            problems.append(f"{label}: HTTP {response.status_code}, errors {answer.get('errors')}")
    return problems


async def _run_page(api: Any, path: Path) -> int:
    found, _ = examples(path)
    problems: list[str] = []
    ran = 0
    for example in found:
        _assert_well_formed(example)
        if example.skip is None:
            problems.extend(await _run(api, example))
            ran += 1
    assert not problems, "\n\n".join(problems)
    return ran


def _pages_with_examples() -> list[Path]:
    return [path for path in DOCS if any(e.skip is None for e in examples(path)[0])]


# --- the pages are well formed (no database) ---------------------------------------------------------


def test_the_pages_hold_examples_and_each_is_well_formed() -> None:
    total = 0
    for path in DOCS:
        found, _ = examples(path)
        for example in found:
            _assert_well_formed(example)
        total += len(found)
    assert ROOT / "README.md" in _pages_with_examples()
    assert RECORDING in _pages_with_examples()
    assert total >= 20, f"only {total} GraphQL examples found: is the extraction broken?"


def test_schema_excerpts_in_the_docs_match_schema_graphql() -> None:
    """Every type, input or enum a page spells out in SDL has exactly the fields of the real schema."""
    real = {
        d.name.value: d
        for d in parse((ROOT / "schema.graphql").read_text()).definitions
        if hasattr(d, "name") and d.name is not None
    }
    checked = 0
    for path in DOCS:
        for document in examples(path)[1]:
            for definition in document.definitions:
                name = definition.name.value  # type: ignore[attr-defined]
                assert name in real, f"{path.name}: {name} is not in schema.graphql"
                assert _members(definition) == _members(real[name]), (
                    f"{path.name}: {name} differs from schema.graphql:\n"
                    f"docs only: {sorted(_members(definition) - _members(real[name]))}\n"
                    f"schema only: {sorted(_members(real[name]) - _members(definition))}"
                )
                checked += 1
    assert checked >= 20, f"only {checked} schema excerpts checked"


def _members(definition: Any) -> set[str]:
    """A definition's fields, input fields or enum values, printed without descriptions."""
    members = getattr(definition, "fields", None) or getattr(definition, "values", None) or ()
    printed = set()
    for member in members:  # freshly parsed nodes (graphql-core freezes them; this copy is ours)
        object.__setattr__(member, "description", None)
        for argument in getattr(member, "arguments", None) or ():
            object.__setattr__(argument, "description", None)
        printed.add(re.sub(r"\s+", " ", print_ast(member)))
    if getattr(definition, "types", None):  # unions
        printed |= {t.name.value for t in definition.types}
    return printed


def test_every_jsonl_line_in_the_docs_has_the_import_format() -> None:
    lines = 0
    for path in DOCS:
        for block in fenced_blocks(path):
            if block.lang != "jsonl":
                continue
            for number, line in enumerate(block.text.splitlines(), start=1):
                try:
                    parse_line(line)
                except LikenessError as error:
                    raise AssertionError(f"{block.where} line {number}: {error.message}") from None
                lines += 1
    assert lines >= 12


# --- links stay inside the repository -----------------------------------------------------------------

LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
CODE_PATH = re.compile(r"`((?:likeness|scripts|tests|docs|bench|\.ci)/[A-Za-z0-9_./-]*)`")
UP = re.compile(r"(?:\.\./)+[A-Za-z0-9_./-]*")


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading."""
    text = re.sub(r"[`*_]", "", heading.strip().lower())
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(text: str) -> set[str]:
    found: dict[str, int] = {}
    outside_code = _without_code_blocks(text)
    for match in re.finditer(r"^#{1,6}\s+(.*?)\s*#*\s*$", outside_code, re.MULTILINE):
        slug = _slug(match.group(1))
        count = found.get(slug, 0)
        found[slug] = count + 1
        if count:
            found[f"{slug}-{count}"] = 1
    return set(found)


def _without_code_blocks(text: str) -> str:
    out, inside = [], False
    for line in text.splitlines():
        if FENCE.match(line) or (inside and re.match(r"^```\s*$", line)):
            inside = not inside
            out.append("")
            continue
        out.append("" if inside else line)
    return "\n".join(out)


def link_problems(path: Path, text: str) -> list[str]:
    """What is wrong with a page's links and path mentions (empty when nothing is)."""
    problems = []
    prose = re.sub(r"`[^`\n]*`", "", _without_code_blocks(text))
    for target in LINK.findall(prose):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.IGNORECASE):
            problems.append(f"{target}: links point into the repository, not to {target.split(':')[0]}:")
            continue
        file_part, _, anchor = target.partition("#")
        resolved = (path.parent / file_part).resolve() if file_part else path
        if not resolved.is_relative_to(ROOT):
            problems.append(f"{target}: outside the repository")
        elif not resolved.exists():
            problems.append(f"{target}: no such file")
        elif (
            anchor
            and resolved.suffix == ".md"
            and anchor not in anchors(resolved.read_text(encoding="utf-8"))
        ):
            problems.append(f"{target}: no heading #{anchor} in {resolved.relative_to(ROOT)}")
    for mention in UP.findall(text):
        if not (path.parent / mention).resolve().is_relative_to(ROOT):
            problems.append(f"{mention}: names a path outside the repository")
    if "shared/DESIGN.md" in text or "shared/STYLE.md" in text:
        problems.append("names a file in ../shared, which a user of the repository does not have")
    for mention in CODE_PATH.findall(text):
        if "<" not in mention and "*" not in mention and not (ROOT / mention).exists():
            problems.append(f"`{mention}`: no such path in the repository")
    return problems


@pytest.mark.parametrize("path", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_links_stay_inside_the_repository_and_resolve(path: Path) -> None:
    problems = link_problems(path, path.read_text(encoding="utf-8"))
    assert not problems, f"{path.relative_to(ROOT)}:\n" + "\n".join(problems)


def test_the_link_check_catches_what_it_should() -> None:
    page = ROOT / "docs" / "page.md"
    bad = (
        "See [design](../../shared/DESIGN.md), `../shared/STYLE.md`, [web](https://example.com), "
        "[gone](missing.md), [anchor](api.md#no-such-heading) and `likeness/nowhere.py`."
    )
    found = "\n".join(link_problems(page, bad))
    for expected in (
        "outside the repository",
        "../shared",
        "https",
        "no such file",
        "no heading",
        "likeness/nowhere.py",
    ):
        assert expected in found, (expected, found)
    good = "See [api](api.md#hashes-sha256-and-phash), [README](../README.md) and `likeness/rules/`."
    assert link_problems(page, good) == []


def test_the_extraction_reads_answers_skips_and_schema_text() -> None:
    page = ROOT / "docs" / "page.md"
    fence = "```"
    text = (
        f'{fence}graphql\n{{ a }}\n{fence}\n\n{fence}json\n{{"data": {{"a": 1}}}}\n{fence}\n'
        f"{fence}graphql\n# not run: needs a key\n{{ b }}\n{fence}\ntext\n{fence}json\n{{}}\n{fence}\n"
        f"{fence}graphql\ninput X {{ y: Int }}\n{fence}\n"
    )
    found, sdl = examples(page, text)
    assert [e.expected for e in found] == [{"data": {"a": 1}}, None]
    assert [e.skip for e in found] == [None, "needs a key"]
    assert len(sdl) == 1


# --- the examples run ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", _pages_with_examples(), ids=lambda p: str(p.relative_to(ROOT)))
async def test_every_example_runs_on_the_demo_world(api: Any, graph: Any, path: Path) -> None:
    await _load_demo(graph)
    assert await _run_page(api, path) > 0


async def test_recording_gives_its_stated_answers_on_an_empty_database(api: Any, graph: Any) -> None:
    found, _ = examples(RECORDING)
    assert all(e.expected is not None for e in found if e.skip is None), "every step states its answer"
    assert await _run_page(api, RECORDING) == len(found)


def _mutation_inputs(example: Example) -> list[tuple[str, Any]]:
    out = []
    for op in example.operations:
        if op.operation != OperationType.MUTATION:
            continue
        for selection in op.selection_set.selections:
            argument = {a.name.value: a.value for a in selection.arguments}["input"]  # type: ignore[attr-defined]
            out.append((selection.name.value, value_from_ast_untyped(argument)))  # type: ignore[attr-defined]
    return out


def test_recording_shows_each_legal_team_mutation_with_its_answer() -> None:
    answered = [
        name
        for e in examples(RECORDING)[0]
        if e.expected is not None and not e.expected.get("errors")
        for name, _ in _mutation_inputs(e)
    ]
    missing = [name for name in LEGAL_TEAM_MUTATIONS if name not in answered]
    assert not missing, f"docs/recording.md shows no answered example of {missing}"


async def test_recording_file_holds_exactly_its_mutations(api: Any, graph: Any) -> None:
    """The page's JSONL file is the same story as its mutations: same inputs, same order, and imported
    after them every line is unchanged."""
    found, _ = examples(RECORDING)
    recorded = [
        item
        for e in found
        if e.skip is None and not (e.expected or {}).get("errors")
        for item in _mutation_inputs(e)
    ]
    (block,) = [b for b in fenced_blocks(RECORDING) if b.lang == "jsonl"]
    lines = block.text.splitlines()
    in_file = [(record["op"], record["input"]) for record in map(json.loads, lines)]
    assert in_file == recorded
    await _run_page(api, RECORDING)
    summary = await import_lines(graph, lines)
    assert (summary.applied, summary.rejected, summary.unchanged) == (0, [], len(lines))


# --- the `likeness` commands the pages show exist, with the options they use ---------------------------

COMMAND_WORD = re.compile(r"^[a-z][a-z0-9-]*$")


def cli_mentions(path: Path) -> list[tuple[str, str]]:
    """(where, command line) for every `likeness …` line in a bash block or inline code span."""
    found = []
    for block in fenced_blocks(path):
        if block.lang in ("bash", "sh", "shell"):
            for offset, line in enumerate(block.text.splitlines(), start=1):
                for part in line.split("#")[0].split(";"):
                    if part.strip().startswith("likeness "):
                        found.append((f"{block.where}+{offset}", part.strip()))
    for span in re.findall(r"`(likeness [^`]*)`", _without_code_blocks(path.read_text(encoding="utf-8"))):
        found.append((str(path.relative_to(ROOT)), span))
    return found


def cli_problem(line: str) -> str | None:
    """What is wrong with one `likeness …` command line (None when the CLI has it)."""
    import typer.main

    from likeness.cli import app

    command: Any = typer.main.get_command(app)
    words = line.split()[1:]
    while words and COMMAND_WORD.match(words[0]) and hasattr(command, "commands"):
        if words[0] not in command.commands:
            return f"no command '{words[0]}' (has: {', '.join(sorted(command.commands))})"
        command = command.commands[words.pop(0)]
    options = {opt for param in command.params for opt in (*param.opts, *param.secondary_opts)} | {"--help"}
    for word in words:
        for option in re.findall(r"--[a-z][a-z0-9-]*", word):
            if option not in options:
                return f"no option {option} (has: {', '.join(sorted(options))})"
    return None


def test_every_likeness_command_the_pages_show_exists() -> None:
    mentions = [item for path in DOCS for item in cli_mentions(path)]
    assert len(mentions) >= 15
    problems = [f"{where}: `{line}`: {problem}" for where, line in mentions if (problem := cli_problem(line))]
    assert not problems, "\n".join(problems)


def test_the_command_check_catches_what_it_should() -> None:
    assert cli_problem("likeness keys list --json") is None
    assert cli_problem("likeness serve --host --port [--workers]") is None
    assert "no command 'seed'" in (cli_problem("likeness seed --assets 10") or "")
    assert "no option --colour" in (cli_problem("likeness keys list --colour") or "")
