"""`keob import facilities FILE --kind KIND` and `keob coverage compute|summary`.

Exit codes: 0 done, 1 the input was refused or the store is not ready (nothing written),
2 wrong usage.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from db.engine import make_engine

_EXIT_REFUSED = 1


def _group(main: click.Group, name: str, help_text: str) -> click.Group:
    """The sub-group ``name`` of ``main``, created if no other module made it yet."""
    existing = main.commands.get(name)
    if isinstance(existing, click.Group):
        return existing
    group = click.Group(name, help=help_text)
    main.add_command(group)
    return group


def register(main: click.Group) -> None:
    _group(main, "import", "Import data files into the store.").add_command(import_facilities)
    main.add_command(coverage_group)


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(_EXIT_REFUSED)


@click.command("facilities")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--kind",
    required=True,
    help=(
        "Facility kind: legeplads, bibliotek, kulturhus, svoemning, idraetshal, boldbane, "
        "groent (green areas), vand (water), or a new lowercase code."
    ),
)
@click.option("--name-field", help="Attribute with the facility name (default: navn/name).")
@click.option("--category-field", help="Attribute with a sub-type shown in tooltips.")
@click.option("--municipality-field", help="Attribute with the municipality (e.g. kommune).")
@click.option("--year", type=int, help="Year the layer describes.")
@click.option("--source", help="Source and licence text stored with each facility.")
@click.option(
    "--append",
    is_flag=True,
    help="Add to the facilities of this kind instead of replacing them.",
)
def import_facilities(
    file: Path,
    kind: str,
    name_field: str | None,
    category_field: str | None,
    municipality_field: str | None,
    year: int | None,
    source: str | None,
    append: bool,
) -> None:
    """Load a facility layer (GeoJSON, GeoPackage … with a CRS) as KIND.

    By default the layer replaces every facility of KIND. Run `keob coverage compute`
    afterwards to update the coverage indicators.
    """
    from db import facility_store, store
    from indicators import coverage as cov
    from keob.seed_coverage import facility_frame_wkb

    try:
        frame = cov.load_facility_layer(
            file,
            kind,
            name_field=name_field,
            category_field=category_field,
            municipality_field=municipality_field,
            year=year,
            source=source,
        )
    except (ValueError, OSError) as exc:
        _fail(str(exc))
        return
    except Exception as exc:  # unreadable files surface as driver errors
        _fail(f"could not read {file}: {exc}")
        return
    engine = make_engine()
    rows = facility_frame_wkb(frame)
    try:
        with engine.begin() as conn:
            batch = store.create_batch(
                conn,
                kind="facilities",
                file_name=file.name,
                checksum=store.file_checksum(file),
                rows_in_file=len(rows),
                note=f"Faciliteter: {kind}" + (" (tilføjet)" if append else ""),
            )
            written = facility_store.replace_facilities(
                conn, rows, batch, kinds=[] if append else None
            )
            store.finish_batch(conn, batch, written=written, unchanged=0)
    except Exception as exc:  # a store without the tables (not upgraded) lands here
        _fail(
            f"could not write to the store ({exc.__class__.__name__}: {exc}); "
            "run `keob db upgrade` first"
        )
        return
    verb = "Added" if append else "Loaded"
    click.echo(
        f"{verb} {written} {kind} facilities from {file.name}. "
        "Run `keob coverage compute` to update the coverage indicators."
    )


@click.group("coverage")
def coverage_group() -> None:
    """Coverage of facilities and road-noise exposure per rode (docs/coverage.md)."""


@coverage_group.command("compute")
@click.option(
    "--thresholds",
    multiple=True,
    metavar="KEY=VALUE[,…]",
    help=(
        "Override thresholds: distances in metres by target or indicator "
        "(legeplads=400, bibliotek=1000, kulturhus=1000, groent=300) and noise levels in "
        "dB by indicator (stoej_58=63); noise levels must be band edges 53/58/63/68/73."
    ),
)
@click.option("--year", type=int, help="Population year (default: the latest in the store).")
@click.option(
    "--cell-size",
    type=click.FloatRange(min=5, max=500),
    default=25.0,
    show_default=True,
    help="Resident grid spacing in metres.",
)
@click.option(
    "--network",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Street/path line layer: measure walking distance along it instead of straight lines.",
)
@click.option(
    "--points",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Weighted resident points (address points, DST 100 m grid) instead of the even spread.",
)
@click.option(
    "--weight-field", default="weight", show_default=True, help="Weight column of --points."
)
@click.option(
    "--noise",
    "noise_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Lden noise grid (default: the shipped 2022 grid).",
)
@click.option("--no-noise", is_flag=True, help="Skip the noise indicators.")
def coverage_compute(
    thresholds: tuple[str, ...],
    year: int | None,
    cell_size: float,
    network: Path | None,
    points: Path | None,
    weight_field: str,
    noise_file: Path | None,
    no_noise: bool,
) -> None:
    """Compute every coverage indicator for every rode and store them as observations.

    Also stores each resident cell's distance to the nearest facility of each kind, so
    the app can apply any other threshold without recomputing.
    """
    from indicators import coverage as cov
    from indicators import noise as noise_mod
    from keob.seed_coverage import compute_coverage

    try:
        overrides = cov.parse_thresholds(thresholds)
        cov.specs_with_thresholds(overrides)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    point_frame = None
    if points is not None:
        import geopandas as gpd

        point_frame = gpd.read_file(points)
        if weight_field not in point_frame.columns:
            raise click.UsageError(f"{points.name} has no column {weight_field!r}")
    engine = make_engine()
    try:
        summary = compute_coverage(
            engine,
            year=year,
            thresholds=overrides,
            cell_m=cell_size,
            noise_file=None if no_noise else (noise_file or noise_mod.NOISE_FILE),
            network_file=network,
            points=point_frame,
            points_weight=weight_field,
            progress=lambda message: click.echo(f"• {message}"),
        )
    except (RuntimeError, ValueError, KeyError) as exc:
        _fail(str(exc))
        return
    non_default = {k: v for k, v in overrides.items()}
    if non_default:
        click.echo(
            "Note: non-default thresholds "
            + ", ".join(f"{k}={v:g}" for k, v in non_default.items())
            + " are recorded in each value's source; the registry's labels state the defaults."
        )
    click.echo(
        f"Coverage {summary.year} ({summary.cells:,} resident cells, {summary.cell_method}, "
        f"{summary.distance_method} distance): {summary.observations_written:,} observations "
        f"written, {summary.observations_unchanged:,} unchanged, "
        f"{summary.seconds['total']:.1f} s."
    )
    if summary.synthetic_population:
        click.echo("The population weights are demo data, so the values are flagged synthetic.")
    if summary.shares is not None:
        for row in summary.shares.itertuples(index=False):
            click.echo(f"  {row.indicator:<20} {row.share_pct:5.1f} % of residents (city-wide)")


@coverage_group.command("summary")
@click.option("--year", type=int, help="Year (default: the latest with coverage values).")
def coverage_summary(year: int | None) -> None:
    """City-wide shares and the udsatte byområder against the rest of the city."""
    from indicators.monitor import Monitor
    from indicators.registry import load_registry

    codes = [c for c, i in load_registry().items() if i.kind == "coverage"]
    monitor = Monitor(make_engine())
    frame = monitor.comparison("udsat_byomraade")
    frame = frame[frame["indicator"].isin(codes) & (frame["area_code"] == "ub-alle")]
    if frame.empty:
        _fail("no coverage values in the store; run `keob coverage compute`")
        return
    chosen = int(frame["year"].max()) if year is None else year
    frame = frame[frame["year"] == chosen]
    click.echo(f"Coverage {chosen}: udsatte byområder (ub-alle) vs the rest of the city")
    click.echo(f"  {'indicator':<20} {'udsatte':>8} {'rest':>8} {'city':>8} {'gap (pp)':>9}")
    for row in frame.itertuples(index=False):
        click.echo(
            f"  {row.indicator:<20} {row.value:8.1f} {row.rest_value:8.1f} "
            f"{row.city_value:8.1f} {row.gap:+9.1f}"
        )
