"""The ``apigen`` command line: it only wires the stages together.

Every user error (:class:`~codegen.errors.ApigenError`) is printed as ``apigen: error: ...``
and exits with status 2; nothing prints a traceback unless ``APIGEN_DEBUG=1``.
"""

from __future__ import annotations

import io
import itertools
import json
import os
import sys
import traceback
from pathlib import Path
from typing import Any

import click

from codegen import __version__
from codegen.errors import ApigenError, UsageError, cut, displayable

EXIT_USAGE = 2


class _Path(click.Path):
    """``click.Path`` that refuses an empty path (click would read ``""`` as ``"."``, so that
    ``-o ""`` was reported as '.' and ``--data-path ""`` wrote into the current folder)."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str) and not value:
            self.fail("an empty path names no file or folder", param, ctx)
        return super().convert(value, param, ctx)


# the option of the commands that print a document: where to write it instead
_output_file = click.option(
    "--output",
    "-o",
    type=_Path(path_type=Path, dir_okay=False),
    help="Write to this file instead of standard output.",
)


class _Text(click.types.StringParamType):
    """Text (a name, a version, a summary): refused when it is not UTF-8. Python decodes a
    command line's bytes that are not UTF-8 into lone surrogates, which no output can carry
    (a file name may hold such bytes, and paths are taken as they are; names and text not)."""

    name = "text"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str) and any("\ud800" <= ch <= "\udfff" for ch in value):
            self.fail(f"'{displayable(value)}' is not UTF-8 text", param, ctx)
        return super().convert(value, param, ctx)


TEXT = _Text()


def _p(path: object) -> str:
    """A path (or name) as printed: one line of printable text (a file name need not be UTF-8)."""
    return displayable(str(path))


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="apigen")
def cli() -> None:
    """Spec-driven toolkit for AWS API models.

    Specs under specs/ are transcribed from AWS's API documentation; apigen checks them against
    botocore's own models, exports them in botocore's format and generates code from them.
    """


# -- specs -------------------------------------------------------------------------------


@cli.command()
@click.argument("specs", nargs=-1, type=_Path(path_type=Path))
def check(specs: tuple[Path, ...]) -> None:
    """Load and check spec files (default: every spec under ./specs); list every problem."""
    from codegen.loader import discover_specs, load_spec

    failed = 0
    for path in specs or tuple(discover_specs()):
        try:
            spec = load_spec(path)
        except ApigenError as exc:
            click.echo(str(exc), err=True)
            failed += 1
            continue
        model = spec.model()
        click.echo(
            f"{spec.path}: ok ({len(model.operations)} operations, {len(model.shapes)} shapes, "
            f"{len(spec.versions)} versions, latest {spec.latest.version})"
        )
    if failed:
        sys.exit(EXIT_USAGE)


@cli.command()
@click.argument("spec", type=_Path(path_type=Path))
def versions(spec: Path) -> None:
    """List the spec's versions: date, botocore release and summary."""
    from codegen.loader import load_spec

    loaded = load_spec(spec)
    rows = [(v.version, v.date, v.botocore or "-", v.summary) for v in loaded.versions]
    width = max(len("BOTOCORE"), *(len(r[2]) for r in rows))
    click.echo(f"{'VERSION':<10}  {'DATE':<10}  {'BOTOCORE':<{width}}  SUMMARY")
    for version, date, botocore, summary in rows:
        click.echo(f"{version:<10}  {date:<10}  {botocore:<{width}}  {summary}")


@cli.command()
@click.argument("spec", type=_Path(path_type=Path))
@click.option(
    "--as-of",
    "as_of",
    metavar="VERSION",
    type=TEXT,
    help="A version's date/id or botocore release (default: latest).",
)
def rules(spec: Path, as_of: str | None) -> None:
    """List the rules the spec states that botocore's model lacks, with their sources."""
    from codegen.conformance import documented_rules
    from codegen.loader import load_spec

    for rule in documented_rules(load_spec(spec).model(as_of)):
        click.echo(str(rule))
        if rule.source:
            click.echo(f"    source: {rule.source}")


@cli.command("resources")
@click.argument("specs", nargs=-1, type=_Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: readable, one block per resource; json: the data (the form a spec's "
    "resources section takes).",
)
@click.option(
    "--as-of",
    "as_of",
    metavar="VERSION",
    help="A version's date/id or botocore release (default: latest).",
)
def resources_command(specs: tuple[Path, ...], fmt: str, as_of: str | None) -> None:
    """Print the resources the stub server keeps state for, derived from the spec's model
    (operations, identifiers, records, errors, states from the waiters) and the spec's own
    resources section. Specs of one service are combined as apigen serve combines them."""
    from codegen.loader import discover_specs, load_spec
    from codegen.pipeline import combine_specs
    from codegen.resources import resources_for

    paths = list(specs) or discover_specs()
    by_service: dict[str, list[Any]] = {}
    for path in paths:
        spec = load_spec(path)
        by_service.setdefault(spec.service, []).append(spec)
    found = []
    for group in by_service.values():
        if len(group) == 1:
            model = group[0].model(as_of)
        else:
            if as_of is not None:
                raise UsageError(message="--as-of takes one spec per service")
            _, model = combine_specs(group)
        found.append(resources_for(model))
    if fmt == "json":
        document: Any = found[0].to_json() if len(found) == 1 else [r.to_json() for r in found]
        click.echo(json.dumps(document, indent=2))
        return
    for index, service in enumerate(found):
        if index:
            click.echo("")
        click.echo(f"{service.service}:")
        for line in service.describe():
            click.echo(f"  {line}")


@cli.command("export")
@click.argument("spec", type=_Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["botocore", "botocore-paginators", "botocore-waiters"]),
    default="botocore",
    show_default=True,
    help="botocore: service-2.json; botocore-paginators: paginators-1.json; "
    "botocore-waiters: waiters-2.json.",
)
@click.option(
    "--as-of",
    "as_of",
    metavar="VERSION",
    type=TEXT,
    help="A version's date/id or the botocore release recorded with it (default: latest).",
)
@_output_file
@click.option(
    "--data-path",
    type=_Path(path_type=Path, file_okay=False),
    help="Also write a botocore data path here (<dir>/<service>/<api-version>/...).",
)
def export_command(
    spec: Path, fmt: str, as_of: str | None, output: Path | None, data_path: Path | None
) -> None:
    """Export the spec (as of any version) in botocore's format."""
    from codegen.bridge.exporter import (
        dumps,
        export_paginators,
        export_service,
        export_waiters,
        write_data_path,
    )
    from codegen.files import write_text
    from codegen.loader import load_spec

    model = load_spec(spec).model(as_of)
    exporters = {
        "botocore": export_service,
        "botocore-paginators": export_paginators,
        "botocore-waiters": export_waiters,
    }
    document = exporters[fmt](model)
    text = dumps(document)
    if output is not None:
        write_text(output, text)
        click.echo(f"wrote {_p(output)}", err=True)
    elif data_path is None:
        click.echo(text, nl=False)
    if data_path is not None:
        folder = write_data_path(model, data_path)
        click.echo(f"wrote botocore data path {_p(folder)}", err=True)


@cli.command("import")
@click.argument("spec", type=_Path(path_type=Path))
@click.option(
    "--from",
    "source",
    required=True,
    metavar="botocore:VERSION",
    help="Where to import from: botocore:1.14.10 (fetched and cached) or botocore:installed.",
)
@click.option(
    "--operation",
    "operations",
    multiple=True,
    metavar="NAME",
    type=TEXT,
    help="An operation to import (repeatable); every shape it reaches comes along. "
    "Default: every operation of the service not yet in the spec.",
)
@click.option(
    "--since",
    metavar="VERSION",
    type=TEXT,
    help="Mark what is imported as added in this spec version (needed when the release is "
    "newer than the spec's latest version: add a version for it first).",
)
@click.option(
    "--service",
    metavar="NAME",
    type=TEXT,
    help="The botocore service; needed when SPEC does not exist yet (a new spec is written).",
)
def import_command(
    spec: Path, source: str, operations: tuple[str, ...], since: str | None, service: str | None
) -> None:
    """Import botocore operations into a spec, marked with their provenance."""
    from codegen.bridge.releases import resolve_release
    from codegen.locking import folder_lock
    from codegen.pipeline import import_operations

    release = resolve_release(_botocore_source(source))
    with folder_lock(spec.parent, "importing into a spec"):  # one read-modify-write at a time
        added = import_operations(
            spec,
            release,
            operations or None,
            since=since,
            service=service,
            warn=lambda message: click.echo(f"apigen: warning: {message}", err=True),
        )
    # the operations come first in ``added``, then the shapes they brought along
    try:
        in_spec = json.loads(spec.read_text(encoding="utf-8")).get("operations", {})
    except (OSError, ValueError, AttributeError):
        in_spec = {}
    ops = list(itertools.takewhile(lambda name: name in in_spec, added))
    shapes = len(added) - len(ops)
    shown = ", ".join(ops[:10]) + (", ..." if len(ops) > 10 else "")
    what = (
        f"{len(ops)} operation(s) ({shown}) and {shapes} shape(s)"
        if ops
        else (f"{shapes} shape(s)" if shapes else "nothing new")
    )
    click.echo(f"{_p(spec)}: imported from botocore {release.version}: {what}")


@cli.command("update")
@click.argument("spec", type=click.Path(path_type=Path))
@click.option(
    "--to",
    "to",
    required=True,
    metavar="botocore:VERSION",
    help="The release to update to: botocore:1.44.8 (fetched and cached) or botocore:installed.",
)
@click.option(
    "--changelog",
    type=click.Path(path_type=Path),
    metavar="PATH",
    help="botocore's CHANGELOG.rst or .changes JSON: the new version's summary.",
)
@click.option(
    "--summary",
    metavar="TEXT",
    type=TEXT,
    help="The new version's summary (default: the changelog's, else counted from the diff).",
)
@click.option("--dry-run", is_flag=True, help="Print the diff of the new version; write nothing.")
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("generated"),
    show_default=True,
    help="Where to regenerate (as apigen generate).",
)
@click.option(
    "--parents",
    is_flag=True,
    help="Also create the output folder's missing parent folders (as apigen generate).",
)
def update_command(
    spec: Path,
    to: str,
    changelog: Path | None,
    summary: str | None,
    dry_run: bool,
    output: Path,
    parents: bool,
) -> None:
    """Add a spec version for a botocore release: what changed in the spec's operations, marked
    since/until/history; then write its diff report and regenerate."""
    from codegen.diff.changelog import load_changelog
    from codegen.locking import folder_lock

    log = load_changelog(changelog) if changelog is not None else None
    with folder_lock(spec.parent, "updating a spec"):  # read, then write, the spec: one at a time
        _update(spec, to, log, summary, dry_run, output, parents)


def _update(
    spec: Path,
    to: str,
    log: Any,
    summary: str | None,
    dry_run: bool,
    output: Path,
    parents: bool,
) -> None:
    from codegen.pipeline import generate as run
    from codegen.update import update_spec, write_update

    result = update_spec(spec, _botocore_source(to, "--to"), changelog=log, summary=summary)
    for note in result.notes:
        click.echo(f"apigen: note: {note}", err=True)
    for warning in result.warnings:
        click.echo(f"apigen: warning: {warning}", err=True)
    for problem in result.contradictions:
        click.echo(f"apigen: warning: documented rule contradicted: {problem}", err=True)
    if dry_run:
        click.echo(result.report, nl=False)
        click.echo(
            f"{_p(spec)}: dry run, nothing written (would add version {result.version.version}, "
            f"botocore {result.version.botocore})",
            err=True,
        )
        if result.follow:
            click.echo(f"apigen: note: {result.follow}", err=True)
        return
    results: list[Any] = []
    folder = output / str(result.document.get("service", ""))
    combined = _combined_with(folder)
    try:
        write_update(
            spec,
            result,
            None if combined else lambda: results.extend(run([spec], output, parents=parents)),
        )
    except ApigenError as exc:
        raise UsageError(message=f"{exc}\n{_p(spec)}: left as it was (no version added)") from None
    click.echo(
        f"{_p(spec)}: added version {result.version.version} (botocore {result.version.botocore}): "
        f"{result.version.summary}",
        err=True,
    )
    if result.follow:
        click.echo(f"apigen: note: {result.follow}", err=True)
    if combined:
        # regenerating from this spec alone would drop what the others contributed, and the
        # others may still be at the older release (they would conflict): the user decides
        click.echo(
            f"apigen: note: {_p(folder)} was generated from "
            f"{' + '.join(combined)}; not regenerated. Once each of them is updated, run: "
            f"apigen generate {' '.join(map(_p, combined))} -o {_p(output)}",
            err=True,
        )
    for r in results:
        click.echo(
            f"{_p(r.folder)}: {len(r.files)} files ({len(r.report.written)} written, "
            f"{len(r.report.unchanged)} unchanged)",
            err=True,
        )


def _combined_with(folder: Path) -> list[str]:
    """The specs ``folder`` was generated from when they are several (combined by generate),
    from the header its MANIFEST.json records; empty otherwise."""
    try:
        recorded = json.loads((folder / "MANIFEST.json").read_text(encoding="utf-8"))
        line = next(text for text in recorded["generatedBy"] if str(text).startswith("Spec: "))
    except (OSError, ValueError, KeyError, TypeError, AttributeError, StopIteration):
        return []
    names = str(line).removeprefix("Spec: ").rsplit(" (service ", 1)[0].split(" + ")
    if len(names) < 2:
        return []
    return names


def _botocore_source(source: str, option: str = "--from") -> str:
    kind, _, version = source.partition(":")
    if kind != "botocore" or not version:
        raise UsageError(
            message=f"{option} {source!r}: expected botocore:VERSION or botocore:installed"
        )
    return version


# -- botocore ----------------------------------------------------------------------------


@cli.group()
def botocore() -> None:
    """botocore releases: fetch them from the package index and cache their models."""


@botocore.command("fetch")
@click.argument("version")
@click.option("--offline", is_flag=True, help="Use the cache only; never download.")
@click.option("--force", is_flag=True, help="Download again even if the cache entry is intact.")
def botocore_fetch(version: str, offline: bool, force: bool) -> None:
    """Download botocore VERSION (no dependencies) and cache its service models.

    A cached release is checked file by file against the digests recorded when it was
    fetched; a damaged or incomplete entry is downloaded again.
    """
    from codegen.bridge.releases import fetch_release

    def repairing(damage: str) -> None:
        click.echo(f"apigen: botocore {version}: {damage}; downloading it again", err=True)

    release = fetch_release(
        version, offline=offline, repair=True, force=force, on_repair=repairing
    )
    built = release.build_date.isoformat() if release.build_date else "unknown"
    click.echo(
        f"botocore {release.version}: {len(release.services())} services, built {built}, "
        f"cached in {_p(release.data_dir)}"
    )


@botocore.command("services")
@click.argument("version")
def botocore_services(version: str) -> None:
    """List the services of botocore VERSION (or 'installed')."""
    from codegen.bridge.releases import resolve_release

    for name in resolve_release(version).services():
        click.echo(name)


# -- diff --------------------------------------------------------------------------------


@cli.command("diff")
@click.argument("old")
@click.argument("new")
@click.option(
    "--service",
    "services",
    multiple=True,
    metavar="NAME",
    type=TEXT,
    help="Compare only this service (repeatable). Default: every service of two releases.",
)
@click.option(
    "--operation",
    "operations",
    multiple=True,
    metavar="NAME",
    type=TEXT,
    help="Compare only this operation (repeatable).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown", "json", "html"]),
    default="text",
    show_default=True,
    help="text: the changelog entry; markdown/html: classified; json: data.",
)
@click.option(
    "--details", is_flag=True, help="Add each operation's documentation, parameters and response."
)
@_output_file
@click.option(
    "--fail-on",
    "fail_on",
    type=click.Choice(["breaking", "dangerous", "any"]),
    default="any",
    show_default=True,
    help="Exit 1 only for changes at this level or worse.",
)
@click.option(
    "--ignore",
    type=_Path(path_type=Path, dir_okay=False),
    metavar="FILE",
    help="Suppression file: rule ids, path patterns or fingerprints, one per line (or JSON).",
)
@click.option(
    "--changelog",
    type=_Path(path_type=Path),
    metavar="PATH",
    help="botocore CHANGELOG.rst or .changes JSON: the summary line for a botocore release.",
)
@click.option(
    "--allow-service-mismatch",
    is_flag=True,
    help="Compare two specs or model files of different services (refused by default).",
)
def diff_command(
    old: str,
    new: str,
    services: tuple[str, ...],
    operations: tuple[str, ...],
    fmt: str,
    details: bool,
    output: Path | None,
    fail_on: str,
    ignore: Path | None,
    changelog: Path | None,
    allow_service_mismatch: bool,
) -> None:
    """Compare two API versions: OLD and NEW are each SPEC@VERSION, SPEC (latest),
    botocore:VERSION, botocore:installed or a service-2.json[.gz].

    Exit status: 0 no changes (at the --fail-on level), 1 changes, 2 usage or input error.
    """
    from codegen.diff.command import run_diff

    sys.exit(
        run_diff(
            old,
            new,
            services=services,
            operations=operations,
            fmt=fmt,
            details=details,
            output=output,
            fail_on=fail_on,  # type: ignore[arg-type]
            ignore=ignore,
            changelog=changelog,
            allow_service_mismatch=allow_service_mismatch,
        )
    )


# -- generation --------------------------------------------------------------------------


@cli.command()
@click.argument("specs", nargs=-1, type=_Path(path_type=Path))
@click.option(
    "--output",
    "-o",
    type=click.Path(),  # a str: click would read "" as "."
    default="generated",
    show_default=True,
    help="The folder to write into (one sub-folder per service).",
)
@click.option(
    "--check",
    is_flag=True,
    help="Write nothing; exit 1 and name the stale files if the output does not match the specs.",
)
@click.option(
    "--parents",
    is_flag=True,
    help="Also create the output folder's missing parent folders.",
)
@click.option(
    "--all-services",
    "all_services",
    metavar="botocore:VERSION",
    help="Instead of specs: every service of this botocore release (or botocore:installed), "
    "imported whole, over all cores.",
)
@click.option(
    "--jobs", "-j", type=click.IntRange(min=1), help="Worker processes (default: every core)."
)
def generate(
    specs: tuple[Path, ...],
    output: str,
    check: bool,
    parents: bool,
    all_services: str | None,
    jobs: int | None,
) -> None:
    """Generate every artifact for the given specs (default: every spec under ./specs).

    Only files apigen wrote before (its MANIFEST.json lists them) are replaced or removed;
    any other file in the output folder is left alone and named in a warning.
    """
    from codegen.pipeline import generate as run

    if not output:
        raise UsageError(message="--output '': an empty path is not a folder")
    if all_services is not None:
        if specs or check:
            raise UsageError(message="--all-services takes no SPECS and no --check")
        version = _botocore_source(all_services, "--all-services")
        _generate_all(version, Path(output), jobs, parents=parents)
        return

    results = run(list(specs) or None, Path(output), check=check, parents=parents)
    stale = [line for r in results for line in r.report.stale]
    for r in results:
        for path in r.report.foreign:
            kind = "folder" if path.is_dir() else "file"
            click.echo(
                f"apigen: warning: {_p(path)}: left alone ({kind} not written by apigen)", err=True
            )
    for r in results:
        rep = r.report
        if check:
            state = "up to date" if rep.ok else f"{len(rep.stale)} stale"
            click.echo(f"{_p(r.folder)}: {len(r.files)} files, {state}")
        else:
            click.echo(
                f"{_p(r.folder)}: {len(r.files)} files ({len(rep.written)} written, "
                f"{len(rep.unchanged)} unchanged, {len(rep.removed)} removed) "
                f"from {r.spec.path} as of {r.model.version.version if r.model.version else '-'}"
            )
    if stale:
        click.echo("stale (run 'apigen generate' and commit the result):", err=True)
        for line in stale:
            click.echo(f"  {line}", err=True)
        sys.exit(1)


def _generate_all(version: str, output: Path, jobs: int | None, *, parents: bool) -> None:
    """Every service of a release; a failing service is named and the others go on."""
    from codegen.bridge.releases import resolve_release
    from codegen.generators.base import prepare_output
    from codegen.locking import folder_lock

    services = resolve_release(version).services()
    prepare_output(output, parents=parents)
    with folder_lock(output, "generating"):
        _generate_services(version, output, jobs, services)


def _generate_services(version: str, output: Path, jobs: int | None, services: list[str]) -> None:
    from codegen.pipeline import generate_all_services

    failures: list[str] = []
    files = written = 0
    done = 0
    try:
        with click.progressbar(
            length=len(services), label="generating", file=sys.stderr, show_pos=True
        ) as bar:
            for result in generate_all_services(version, output, jobs=jobs, services=services):
                bar.update(1)
                done += 1
                files += result.files
                written += result.written
                if result.error:
                    failures.append(result.error)
    except KeyboardInterrupt:
        click.echo(
            f"\napigen: interrupted: {done} of {len(services)} services reported "
            f"({len(failures)} failed), those under way finished, in {_p(output)}; "
            "run again to finish",
            err=True,
        )
        sys.exit(130)
    click.echo(
        f"{_p(output)}: {len(services) - len(failures)} of {len(services)} services, "
        f"{files} files ({written} written)"
    )
    if failures:
        click.echo(f"{len(failures)} service(s) failed:", err=True)
        for failure in failures:  # a multi-line error: its further lines indented deeper
            first, *rest = failure.splitlines() or [""]
            click.echo(f"  {first}", err=True)
            for line in rest:
                click.echo(f"    {line.lstrip()}", err=True)
        sys.exit(1)


# -- stub server -------------------------------------------------------------------------


@cli.command()
@click.argument("specs", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--host", default="127.0.0.1", type=TEXT, show_default=True, help="Address to listen on."
)
@click.option(
    "--port",
    default=0,
    type=click.IntRange(0, 65535),
    show_default=True,
    help="Port to listen on (0: any free port).",
)
@click.option(
    "--state",
    type=click.Path(path_type=Path, dir_okay=False),
    metavar="FILE",
    help="Keep state in this SQLite file (default: in memory).",
)
@click.option(
    "--accounts",
    type=click.Path(path_type=Path, dir_okay=False),
    metavar="FILE",
    help="JSON: access key -> account id, or {account, secret}.",
)
@click.option(
    "--verify-signatures",
    is_flag=True,
    help="Check SigV4 signatures against the secrets of --accounts.",
)
@click.option(
    "--settle-after",
    "settle_after",
    type=click.IntRange(0, None),
    default=1,
    show_default=True,
    metavar="N",
    help="Reads that see a new (or deleted) resource in the state its waiter retries on "
    "(pending, CREATING) before it reaches the waiter's success state (0: at once).",
)
@click.option(
    "--tls-cert",
    type=click.Path(path_type=Path, dir_okay=False),
    metavar="FILE",
    help="Speak HTTPS with this PEM certificate (with --tls-key).",
)
@click.option(
    "--tls-key",
    type=click.Path(path_type=Path, dir_okay=False),
    metavar="FILE",
    help="The PEM private key of --tls-cert.",
)
@click.option(
    "--service",
    "service_names",
    multiple=True,
    metavar="NAME",
    help="Also serve this service of the botocore release --from names, imported whole in "
    "memory (repeatable).",
)
@click.option(
    "--from",
    "source",
    metavar="botocore:VERSION",
    help="The release --service imports from: botocore:installed (the default) or a version.",
)
@click.option(
    "--all-services",
    "all_services",
    metavar="botocore:VERSION",
    help="Serve every service of this release (or botocore:installed); each is generated on "
    "its first request and cached.",
)
@click.option("--quiet", is_flag=True, help="No log line per request.")
def serve(
    specs: tuple[Path, ...],
    host: str,
    port: int,
    state: Path | None,
    accounts: Path | None,
    verify_signatures: bool,
    settle_after: int,
    tls_cert: Path | None,
    tls_key: Path | None,
    service_names: tuple[str, ...],
    source: str | None,
    all_services: str | None,
    quiet: bool,
) -> None:
    """Serve the specs' operations to real SDK clients (default: every spec under specs/),
    and with --service or --all-services any service of a botocore release, all on one port."""
    from codegen.server.runner import Tls, build, serve_forever

    if (tls_cert is None) != (tls_key is None):
        raise click.UsageError("--tls-cert and --tls-key go together")
    tls = Tls(tls_cert, tls_key) if tls_cert is not None and tls_key is not None else None
    if all_services is not None and source is not None:
        raise UsageError(message="--from is --service's; --all-services names its own release")
    if source is not None and not service_names:
        raise UsageError(message="--from names the release of --service: give --service NAME")
    release = _botocore_source(all_services or source or "botocore:installed",
                               "--all-services" if all_services else "--from")  # fmt: skip
    server = build(
        list(specs) or None,
        services=service_names,
        release=release,
        all_services=all_services is not None,
        host=host,
        port=port,
        state=state or ":memory:",
        accounts=accounts,
        verify_signatures=verify_signatures,
        log=None if quiet else sys.stderr,
        settle_after=settle_after,
        tls=tls,
    )
    for line in server.describe():
        click.echo(line, err=True)
    click.echo(server.url)
    sys.stdout.flush()
    serve_forever(server)
    if server.app.failed is not None:  # said once already; a supervisor may restart it
        sys.exit(EXIT_USAGE)
    click.echo("apigen: server stopped", err=True)


def _stdout_failed(error: OSError | None = None) -> bool:
    """Whether standard output cannot be written (then said so on standard error)."""
    from codegen.files import stdout_broken

    broken = stdout_broken(error)
    if broken is not None:
        reason = broken.strerror or type(broken).__name__
        click.echo(f"apigen: error: cannot write to standard output ({reason})", err=True)
    return broken is not None


def main(argv: list[str] | None = None) -> None:
    # The last line of defence (every string is made printable or refused where it enters):
    # what standard output or error cannot encode is written as an escape, never a traceback.
    for stream in (sys.stdout, sys.stderr):
        if getattr(stream, "errors", None) == "strict" and isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
    try:
        cli.main(args=argv, prog_name="apigen", standalone_mode=False)
        if _stdout_failed():
            sys.exit(EXIT_USAGE)
    except click.exceptions.Abort:
        click.echo("apigen: aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(EXIT_USAGE)
    except ApigenError as exc:
        # no line of an error repeats a huge input whole (each is cut at 2,000 characters)
        lines = f"apigen: error: {exc}".split("\n")
        click.echo("\n".join(cut(line, 2000) for line in lines), err=True)
        sys.exit(EXIT_USAGE)
    except KeyboardInterrupt:
        click.echo("apigen: interrupted", err=True)
        sys.exit(130)
    except SystemExit:
        if _stdout_failed():
            sys.exit(EXIT_USAGE)
        raise
    except OSError as exc:
        if _stdout_failed(exc):  # a write to standard output failed: a full device, a closed pipe
            sys.exit(EXIT_USAGE)
        _internal_error(exc)
    except Exception as exc:  # noqa: BLE001 - a bug: say so briefly, full details only on request
        _internal_error(exc)


def _internal_error(exc: BaseException) -> None:
    if os.environ.get("APIGEN_DEBUG") == "1":
        traceback.print_exception(exc)
    click.echo(
        f"apigen: internal error: {type(exc).__name__}: {exc} (set APIGEN_DEBUG=1 for details)",
        err=True,
    )
    sys.exit(70)


if __name__ == "__main__":
    main()
