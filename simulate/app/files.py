"""What a browser may send in and take out: uploaded places, and downloads from one run folder.

An upload is data, never code: a place file is stored under a name made from its content's hash
(whatever the browser called it) and read by :func:`simulate.model.place.load_place`, the reader
the command line uses, so it is checked exactly as a file named on the command line is; its
problems come back as the same one-line messages, naming the file as the user named it.

A download is one of a fixed list of files (:data:`DOWNLOADS`) inside one run folder, the folder
named by an id that must be a plain folder name directly under the results folder: no path, no
``..``, no link. Files that a run lacks (the report, the CSV, the workbook) are made on demand by
the functions ``icsim report`` and ``icsim export`` call.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import tempfile
from pathlib import Path

from simulate.errors import InputError, InputErrors

UPLOAD_LIMIT = 2_000_000
"""Bytes: a place file of a thousand practices is well under this."""
CSV_UPLOAD_LIMIT = 200_000_000
"""Bytes: NHS Digital's national quinary-age file (every practice in England) is under this."""

DOWNLOADS = {
    "report": "report.html",
    "cube": "cube.nc",
    "csv": "cube.csv",
    "xlsx": "workbook.xlsx",
}
"""What may be downloaded from a run folder, by what the page calls it."""

_RUN_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,200}$")


def run_folder(root: Path, run_id: str) -> Path:
    """The run folder ``root/run_id``, or InputError if the id could lead anywhere else."""
    root = root.resolve()
    folder = root / run_id
    if not _RUN_ID.match(run_id) or ".." in run_id or folder.is_symlink():
        raise InputError(f"not a run folder: {run_id!r}")
    if folder.resolve().parent != root or not folder.is_dir():
        raise InputError(f"no run {run_id!r} in {root}")
    return folder


def download(root: Path, run_id: str, what: str, baseline: str | None = None) -> Path:
    """The file ``what`` (a key of :data:`DOWNLOADS`) of run ``run_id``, made if it is missing."""
    if what not in DOWNLOADS:
        raise InputError(f"nothing called {what!r} to download")
    folder = run_folder(root, run_id)
    path = folder / DOWNLOADS[what]
    if not path.exists():
        _make(folder, what, baseline)
    if path.is_symlink() or not path.is_file() or path.resolve().parent != folder.resolve():
        raise InputError(f"{path.name} is not a file of run {run_id}")
    return path


def _make(folder: Path, what: str, baseline: str | None) -> None:
    from simulate.results.cube import load

    path = folder / "cube.nc"
    if path.is_symlink() or not path.is_file():
        raise InputError("this run has no cube yet", file=folder.name)
    try:
        cube = load(path)
    except (OSError, ValueError) as error:
        raise InputError(f"not a readable cube: {error}", file=folder.name) from None
    if what == "report":
        from simulate.results.report import write_report

        write_report(cube, folder, folder.name, baseline)
    elif what == "csv":
        from simulate.results.export import export

        export(cube, folder / DOWNLOADS["csv"], "csv")
    elif what == "xlsx":
        from simulate.results.workbook import write_workbook

        write_workbook(cube, folder / DOWNLOADS["xlsx"], baseline)


def uploaded(given: list[dict] | None) -> list[tuple[str, bytes]]:
    """What a Shiny file input holds: ``(name the browser gave, bytes)`` for each file."""
    return [(u["name"], Path(u["datapath"]).read_bytes()) for u in given or []]


def accept_practice_list(form, files: list[tuple[str, bytes]], uploads: Path) -> Path:
    """A place made from an NHS Digital practice-list CSV and the form's fields, then accepted.

    The place file is written by :func:`simulate.app.practice_import.place_text` and stored with
    the CSV by :func:`accept_place`, so it is checked as ``icsim place`` checks a file; problems
    are one line each, naming the CSV as the browser named it.
    """
    from simulate.app.practice_import import place_text

    if len(files) != 1 or not files[0][0].lower().endswith(".csv"):
        raise InputError("upload one practice-list .csv file (NHS Digital's quinary-age layout)")
    name, data = files[0]
    shown = re.sub(r"[^A-Za-z0-9_.-]+", "-", Path(name).name).strip("-.") or "practices.csv"
    if len(data) > CSV_UPLOAD_LIMIT:
        raise InputError(f"too large to upload ({len(data):,} bytes)", file=shown)
    uploads.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=uploads, prefix=".incoming-") as folder:
        (Path(folder) / shown).write_bytes(data)
        try:
            text = place_text(form, shown, Path(folder) / shown)
        except InputError as error:
            raise InputErrors(
                [InputError(_renamed(p, Path(folder), shown)) for p in error.problems]
            ) from None
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", form.name).strip("-")[:40] or Path(shown).stem
    return accept_place([(f"{stem}.toml", text.encode()), (shown, data)], uploads)


def accept_place(files: list[tuple[str, bytes]], uploads: Path) -> Path:
    """Store an uploaded place file (and its practice-list CSV) and read it as the command would.

    ``files`` are ``(name the browser gave, bytes)``: one ``.toml`` and at most one ``.csv``,
    which the place must name as its ``population.practice_csv`` by that bare name. They are
    stored together in a folder named by their content's hash, and the place's path is returned.
    Raises InputError (every problem, one line each, naming the files as the user named them) if
    the command line would not accept the place.
    """
    named = {Path(name).name or "upload": data for name, data in files}
    places = [n for n in named if n.endswith(".toml")]
    lists = [n for n in named if n.endswith(".csv")]
    if len(places) != 1 or len(lists) > 1 or len(named) != len(places) + len(lists):
        raise InputError("upload one place .toml file, and its practice-list .csv if it names one")
    shown = places[0]
    for name, data in named.items():
        if len(data) > (CSV_UPLOAD_LIMIT if name.endswith(".csv") else UPLOAD_LIMIT):
            raise InputError(f"too large to upload ({len(data):,} bytes)", file=name)
    digest = hashlib.sha256(b"".join(named[n] for n in sorted(named))).hexdigest()[:12]
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", Path(shown).stem).strip("-")[:40] or "place"
    folder = uploads / f"{stem}-{digest}"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{stem}.toml"
    path.write_bytes(named[shown])
    try:
        _beside(path, lists[0] if lists else None)
        if lists:
            (folder / lists[0]).write_bytes(named[lists[0]])
        read_place_as_cli(path)
    except InputError as error:
        shutil.rmtree(folder, ignore_errors=True)
        raise InputErrors(
            [InputError(_renamed(p, folder, shown)) for p in error.problems]
        ) from None
    return path


def _beside(path: Path, csv: str | None) -> None:
    """Refuse a place that names a file other than the CSV uploaded with it."""
    from simulate.inputs.toml import read_toml

    data, _ = read_toml(path)
    population = data.get("population")
    named = population.get("practice_csv") if isinstance(population, dict) else None
    if named is None or named == csv:
        return
    raise InputError(
        f"names practice_csv {str(named)[:80]!r}: upload that CSV with the place file (select "
        "both), named as the place names it, or give list_size and age_profile for each "
        "practice instead",
        file=path,
        key="population.practice_csv",
    )


def _renamed(problem: InputError, folder: Path, shown: str) -> str:
    """The problem's line with the stored file's path shown as the name the user gave."""
    text = str(problem).replace(str(folder / Path(shown).stem) + ".toml", shown)
    return " ".join(text.replace(f"{folder}/", "").split())


def read_place_as_cli(reference: str | Path):
    """A place, read and checked as ``icsim place`` reads one (names resolve to shipped places)."""
    from simulate.model.place import load_place

    return load_place(str(reference), Path.cwd())
