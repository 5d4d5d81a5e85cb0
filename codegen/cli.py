"""The ``apigen`` command line: it only wires the stages together.

Every user error (:class:`~codegen.errors.ApigenError`) is printed as ``apigen: error: ...``
and exits with status 2; nothing prints a traceback unless ``APIGEN_DEBUG=1``.
"""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path

import click

from codegen import __version__
from codegen.errors import ApigenError, UsageError

EXIT_USAGE = 2


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="apigen")
def cli() -> None:
    """Spec-driven toolkit for AWS API models.

    Specs under specs/ are transcribed from AWS's API documentation; apigen checks them against
    botocore's own models, exports them in botocore's format and generates code from them.
    """


# -- specs -------------------------------------------------------------------------------


@cli.command()
@click.argument("specs", nargs=-1, type=click.Path(path_type=Path))
def check(specs: tuple[Path, ...]) -> None:
    """Load and check spec files (default: every spec under specs/); list every problem."""
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
@click.argument("spec", type=click.Path(path_type=Path))
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
@click.argument("spec", type=click.Path(path_type=Path))
@click.option(
    "--as-of",
    "as_of",
    metavar="VERSION",
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


@cli.command("export")
@click.argument("spec", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["botocore", "botocore-paginators"]),
    default="botocore",
    show_default=True,
    help="botocore: service-2.json; botocore-paginators: paginators-1.json.",
)
@click.option(
    "--as-of",
    "as_of",
    metavar="VERSION",
    help="A version's date/id or the botocore release recorded with it (default: latest).",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write to this file instead of standard output.",
)
@click.option(
    "--data-path",
    type=click.Path(path_type=Path, file_okay=False),
    help="Also write a botocore data path here (<dir>/<service>/<api-version>/...).",
)
def export_command(
    spec: Path, fmt: str, as_of: str | None, output: Path | None, data_path: Path | None
) -> None:
    """Export the spec (as of any version) in botocore's format."""
    from codegen.bridge.exporter import dumps, export_paginators, export_service, write_data_path
    from codegen.loader import load_spec

    model = load_spec(spec).model(as_of)
    document = export_service(model) if fmt == "botocore" else export_paginators(model)
    text = dumps(document)
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}", err=True)
    elif data_path is None:
        click.echo(text, nl=False)
    if data_path is not None:
        folder = write_data_path(model, data_path)
        click.echo(f"wrote botocore data path {folder}", err=True)


@cli.command("import")
@click.argument("spec", type=click.Path(path_type=Path))
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
    help="An operation to import (repeatable); every shape it reaches comes along. "
    "Default: every operation of the service not yet in the spec.",
)
@click.option(
    "--since", metavar="VERSION", help="Mark what is imported as added in this spec version."
)
@click.option(
    "--service",
    metavar="NAME",
    help="The botocore service; needed when SPEC does not exist yet (a new spec is written).",
)
def import_command(
    spec: Path, source: str, operations: tuple[str, ...], since: str | None, service: str | None
) -> None:
    """Import botocore operations into a spec, marked with their provenance."""
    from codegen.bridge.releases import resolve_release
    from codegen.pipeline import import_operations

    release = resolve_release(_botocore_source(source))
    added = import_operations(
        spec,
        release,
        operations or None,
        since=since,
        service=service,
        warn=lambda message: click.echo(f"apigen: warning: {message}", err=True),
    )
    shown = ", ".join(added[:10]) + (f", ... ({len(added)} in all)" if len(added) > 10 else "")
    click.echo(f"{spec}: imported from botocore {release.version}: {shown or 'nothing new'}")


def _botocore_source(source: str) -> str:
    kind, _, version = source.partition(":")
    if kind != "botocore" or not version:
        raise UsageError(
            message=f"--from {source!r}: expected botocore:VERSION or botocore:installed"
        )
    return version


# -- botocore ----------------------------------------------------------------------------


@cli.group()
def botocore() -> None:
    """botocore releases: fetch them from the package index and cache their models."""


@botocore.command("fetch")
@click.argument("version")
@click.option("--offline", is_flag=True, help="Use the cache only; never download.")
def botocore_fetch(version: str, offline: bool) -> None:
    """Download botocore VERSION (no dependencies) and cache its service models."""
    from codegen.bridge.releases import fetch_release

    release = fetch_release(version, offline=offline)
    built = release.build_date.isoformat() if release.build_date else "unknown"
    click.echo(
        f"botocore {release.version}: {len(release.services())} services, built {built}, "
        f"cached in {release.data_dir}"
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
@click.option("--service", "services", multiple=True, metavar="NAME",
              help="Compare only this service (repeatable). Default: every service of two releases.")
@click.option("--operation", "operations", multiple=True, metavar="NAME",
              help="Compare only this operation (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json", "html"]), default="text",
              show_default=True, help="text: the changelog entry; markdown/html: classified; json: data.")
@click.option("--details", is_flag=True, help="Add each operation's documentation, parameters and response.")
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False),
              help="Write to this file instead of standard output.")
@click.option("--fail-on", "fail_on", type=click.Choice(["breaking", "dangerous", "any"]), default="any",
              show_default=True, help="Exit 1 only for changes at this level or worse.")
@click.option("--ignore", type=click.Path(path_type=Path, dir_okay=False), metavar="FILE",
              help="Suppression file: rule ids, path patterns or fingerprints, one per line (or JSON).")
@click.option("--changelog", type=click.Path(path_type=Path), metavar="PATH",
              help="botocore CHANGELOG.rst or .changes JSON: the summary line for a botocore release.")
def diff_command(old: str, new: str, services: tuple[str, ...], operations: tuple[str, ...], fmt: str,
                 details: bool, output: Path | None, fail_on: str, ignore: Path | None,
                 changelog: Path | None) -> None:
    """Compare two API versions: OLD and NEW are each SPEC@VERSION, SPEC (latest),
    botocore:VERSION, botocore:installed or a service-2.json[.gz].

    Exit status: 0 no changes (at the --fail-on level), 1 changes, 2 usage or input error.
    """
    from codegen.diff.command import run_diff

    sys.exit(run_diff(old, new, services=services, operations=operations, fmt=fmt, details=details,
                      output=output, fail_on=fail_on, ignore=ignore, changelog=changelog))  # type: ignore[arg-type]


# -- generation --------------------------------------------------------------------------


@cli.command()
@click.argument("specs", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("generated"),
    show_default=True,
    help="The folder to write into (one sub-folder per service).",
)
@click.option(
    "--check",
    is_flag=True,
    help="Write nothing; exit 1 and name the stale files if the output does not match the specs.",
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
    output: Path,
    check: bool,
    all_services: str | None,
    jobs: int | None,
) -> None:
    """Generate every artifact for the given specs (default: every spec under specs/)."""
    from codegen.pipeline import generate as run

    if all_services is not None:
        if specs or check:
            raise UsageError(message="--all-services takes no SPECS and no --check")
        _generate_all(_botocore_source(all_services), output, jobs)
        return

    results = run(list(specs) or None, output, check=check)
    stale = [line for r in results for line in r.report.stale]
    for r in results:
        rep = r.report
        if check:
            state = "up to date" if rep.ok else f"{len(rep.stale)} stale"
            click.echo(f"{r.folder}: {len(r.files)} files, {state}")
        else:
            click.echo(
                f"{r.folder}: {len(r.files)} files ({len(rep.written)} written, "
                f"{len(rep.unchanged)} unchanged, {len(rep.removed)} removed) "
                f"from {r.spec.path} as of {r.model.version.version if r.model.version else '-'}"
            )
    if stale:
        click.echo("stale (run 'apigen generate' and commit the result):", err=True)
        for line in stale:
            click.echo(f"  {line}", err=True)
        sys.exit(1)


def _generate_all(version: str, output: Path, jobs: int | None) -> None:
    """Every service of a release; a failing service is named and the others go on."""
    from codegen.bridge.releases import resolve_release
    from codegen.pipeline import generate_all_services

    services = resolve_release(version).services()
    failures: list[str] = []
    files = written = 0
    with click.progressbar(
        length=len(services), label="generating", file=sys.stderr, show_pos=True
    ) as bar:
        for result in generate_all_services(version, output, jobs=jobs, services=services):
            bar.update(1)
            files += result.files
            written += result.written
            if result.error:
                failures.append(result.error)
    click.echo(
        f"{output}: {len(services) - len(failures)} of {len(services)} services, "
        f"{files} files ({written} written)"
    )
    if failures:
        click.echo(f"{len(failures)} service(s) failed:", err=True)
        for line in failures:
            click.echo(f"  {line}", err=True)
        sys.exit(1)


def main(argv: list[str] | None = None) -> None:
    try:
        cli.main(args=argv, prog_name="apigen", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("apigen: aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(EXIT_USAGE)
    except ApigenError as exc:
        click.echo(f"apigen: error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    except KeyboardInterrupt:
        click.echo("apigen: interrupted", err=True)
        sys.exit(130)
    except SystemExit:
        raise
    except Exception as exc:  # noqa: BLE001 - a bug: say so briefly, full details only on request
        if os.environ.get("APIGEN_DEBUG") == "1":
            traceback.print_exc()
        click.echo(
            f"apigen: internal error: {type(exc).__name__}: {exc} (set APIGEN_DEBUG=1 for details)",
            err=True,
        )
        sys.exit(70)


if __name__ == "__main__":
    main()
