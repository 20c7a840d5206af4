"""Air pollution from a GeoTIFF: every cell with a value is a point at its centre (the
raster's own CRS), checked and written exactly like the CSV and vector layers; every bad
raster is refused naming the file (and the cell) with nothing written."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import rasterio
from import_support import make_store, run_cli, snapshot, write
from rasterio.transform import Affine

from db import air_quality_store
from indicators.importers.air_quality import read_concentration_csv, read_concentration_geotiff
from indicators.importers.errors import InputError
from indicators.importers.registry import UsageProblem
from indicators.services import imports

#: 3 x 3 cells of 250 m in EPSG:25832 (central Copenhagen), NO2 in µg/m³, top row first.
GRID = np.array([[11.0, 12.5, 14.0], [9.0, 10.0, 13.25], [8.0, 7.5, 6.0]], dtype="float32")
UTM_ORIGIN = (725_000.0, 6_176_000.0, 250.0)  # west, north, cell size
#: The same grid in EPSG:4326: 0.004° cells from 12.55 E, 55.70 N.
LONLAT_ORIGIN = (12.55, 55.70, 0.004)


def _raster(
    path: Path,
    bands: np.ndarray,
    origin: tuple[float, float, float] = UTM_ORIGIN,
    crs: str | None = "EPSG:25832",
    nodata: float | None = None,
) -> Path:
    """Write ``bands`` (rows x columns, or bands x rows x columns) as a GeoTIFF."""
    bands = bands if bands.ndim == 3 else bands[np.newaxis]
    west, north, size = origin
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        count=bands.shape[0],
        height=bands.shape[1],
        width=bands.shape[2],
        dtype=bands.dtype,
        crs=crs,
        transform=Affine(size, 0.0, west, 0.0, -size, north),
        nodata=nodata,
    ) as raster:
        raster.write(bands)
    return path


def _centres_csv(path: Path, origin: tuple[float, float, float]) -> Path:
    """The cell centres of GRID at ``origin`` as a CSV of points, row by row."""
    west, north, size = origin
    lines = ["x,y,no2"] + [
        f"{west + (c + 0.5) * size!r},{north - (r + 0.5) * size!r},{float(GRID[r, c])!r}"
        for r in range(3)
        for c in range(3)
    ]
    return write(path, "\n".join(lines) + "\n")


@pytest.mark.parametrize(
    ("origin", "crs"), [(UTM_ORIGIN, "EPSG:25832"), (LONLAT_ORIGIN, "EPSG:4326")]
)
def test_a_raster_gives_the_points_of_the_equivalent_csv(
    tmp_path: Path, origin: tuple[float, float, float], crs: str
) -> None:
    from_raster = read_concentration_geotiff(
        _raster(tmp_path / "no2.tif", GRID, origin, crs), "no2"
    )
    from_csv = read_concentration_csv(_centres_csv(tmp_path / "no2.csv", origin), "no2", crs=crs)
    assert len(from_raster) == 9
    pd.testing.assert_frame_equal(from_raster, from_csv, check_exact=False, atol=1e-6, rtol=0)
    if crs == "EPSG:25832":  # no reprojection: the cell centres themselves
        assert from_raster["x"].tolist()[:3] == [725_125.0, 725_375.0, 725_625.0]
        assert from_raster["y"].tolist()[::3] == [6_175_875.0, 6_175_625.0, 6_175_375.0]


def test_nodata_and_non_finite_cells_are_skipped(tmp_path: Path) -> None:
    grid = GRID.copy()
    grid[0, 1] = -9999.0  # the declared nodata value
    grid[1, 1] = np.nan
    grid[2, 2] = np.inf
    rows = read_concentration_geotiff(_raster(tmp_path / "no2.tif", grid, nodata=-9999.0), "no2")
    expected = np.delete(GRID.ravel(), [1, 4, 8])
    assert rows["concentration"].tolist() == expected.tolist()
    assert (725_375.0, 6_175_875.0) not in set(zip(rows["x"], rows["y"], strict=True))


def test_a_band_is_chosen_and_a_raster_without_crs_takes_crs(tmp_path: Path) -> None:
    two = _raster(tmp_path / "two.tif", np.stack([GRID, GRID * 2]))
    assert read_concentration_geotiff(two, "no2", band=2)["concentration"].max() == 28.0
    bare = _raster(tmp_path / "bare.tif", GRID, crs=None)
    assert len(read_concentration_geotiff(bare, "no2", crs="EPSG:25832")) == 9
    same = read_concentration_geotiff(_raster(tmp_path / "own.tif", GRID), "no2", crs="EPSG:25832")
    assert len(same) == 9  # --crs that agrees with the raster's own is fine


def _negative(tmp: Path) -> Path:
    grid = GRID.copy()
    grid[1, 1] = -0.5
    return _raster(tmp / "f.tif", grid)


def _truncated(tmp: Path) -> Path:
    big = np.arange(200 * 200, dtype="float32").reshape(200, 200)
    data = _raster(tmp / "whole.tif", big).read_bytes()
    (tmp / "f.tif").write_bytes(data[: len(data) // 2])
    return tmp / "f.tif"


def _no_geotransform(tmp: Path) -> Path:
    with warnings.catch_warnings():  # rasterio warns that the raster is not georeferenced
        warnings.simplefilter("ignore", rasterio.errors.NotGeoreferencedWarning)
        return _unreferenced(tmp)


def _unreferenced(tmp: Path) -> Path:
    with rasterio.open(
        tmp / "f.tif", "w", driver="GTiff", count=1, height=3, width=3, dtype="float32"
    ) as raster:
        raster.write(GRID, 1)
    return tmp / "f.tif"


#: name -> (make the bad raster, options, texts the refusal names)
BAD_RASTERS = {
    "not a raster": (
        lambda t: write(t / "f.tif", "x,y,no2\n725000,6175000,12\n"),
        {},
        ["f.tif: expected a readable GeoTIFF raster"],
    ),
    "corrupt": (_truncated, {}, ["f.tif: expected a readable GeoTIFF raster", "band 1"]),
    "no crs": (
        lambda t: _raster(t / "f.tif", GRID, crs=None),
        {},
        ["f.tif, column crs", "a raster with a coordinate system (or --crs)"],
    ),
    "another crs": (
        lambda t: _raster(t / "f.tif", GRID),
        {"crs": "EPSG:4326"},
        ["f.tif, column --crs", "declares its own coordinate system EPSG:25832"],
    ),
    "no geotransform": (_no_geotransform, {"crs": "EPSG:25832"}, ["f.tif: expected a georef"]),
    "two bands": (
        lambda t: _raster(t / "f.tif", np.stack([GRID, GRID])),
        {},
        ["f.tif, column --band", "the raster has 2 bands"],
    ),
    "no such band": (
        lambda t: _raster(t / "f.tif", GRID),
        {"band": 2},
        ['f.tif, column --band: got "2"; expected a band 1-1'],
    ),
    "negative": (
        _negative,
        {},
        ['f.tif, cell 5 (band 1, row 2, column 2): got "-0.5"', "nodata value"],
    ),
    "all nodata": (
        lambda t: _raster(t / "f.tif", np.full((3, 3), -1.0, dtype="float32"), nodata=-1.0),
        {},
        ["f.tif: expected a cell with a value in band 1 (all are nodata)"],
    ),
    "outside denmark": (
        lambda t: _raster(t / "f.tif", GRID, origin=(300_000.0, 5_000_000.0, 250.0)),
        {},
        [
            'f.tif, cell 1 (band 1, row 1, column 1): got "300125, 4.99988e+06"',
            "a point in Denmark in EPSG:25832 (is the raster's coordinate system right?)",
            "... and 5 more problem(s) not shown",
        ],
    ),
}


@pytest.fixture
def loaded(sqlite_url: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    """A store with the GRID raster loaded as no2, and its rows."""
    engine = make_store(sqlite_url)
    imports.run_import(engine, "air-quality", _raster(tmp_path / "good.tif", GRID), pollutant="no2")
    yield engine, snapshot(engine), air_quality_store.read_air_quality(engine)
    engine.dispose()


@pytest.mark.parametrize("case", list(BAD_RASTERS))
def test_a_bad_raster_is_refused_and_nothing_written(loaded, tmp_path: Path, case: str) -> None:  # type: ignore[no-untyped-def]
    engine, before, points = loaded
    make, options, named = BAD_RASTERS[case]
    bad = tmp_path / "bad"
    bad.mkdir()
    with pytest.raises(InputError) as refused:
        imports.run_import(
            engine, "air-quality", make(bad), pollutant="no2", max_problems=4, **options
        )
    for text in named:
        assert text in str(refused.value)
    assert snapshot(engine) == before
    pd.testing.assert_frame_equal(air_quality_store.read_air_quality(engine), points)


def test_options_a_format_has_no_use_for_are_refused(loaded, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    engine, before, _points = loaded
    tif = _raster(tmp_path / "no2.tif", GRID)
    with pytest.raises(UsageProblem, match="--x-field, --value-field does not apply to"):
        imports.run_import(
            engine, "air-quality", tif, pollutant="no2", x_field="lon", value_field="no2"
        )
    csv = _centres_csv(tmp_path / "no2.csv", UTM_ORIGIN)
    with pytest.raises(UsageProblem, match="--band does not apply to --format csv"):
        imports.run_import(engine, "air-quality", csv, pollutant="no2", crs="EPSG:25832", band=1)
    assert snapshot(engine) == before


def test_the_command_line_detects_a_tif_and_loads_it(sqlite_url: str, tmp_path: Path) -> None:
    engine = make_store(sqlite_url)
    grid = GRID.copy()
    grid[0, 0] = -9999.0
    tif = _raster(tmp_path / "NO2_2025.TIFF", grid, nodata=-9999.0)
    result = run_cli(sqlite_url, "import", "air-quality", str(tif), "--pollutant=pm25")
    assert result.exit_code == 0, result.output
    assert "Loaded 8 pm25 points from NO2_2025.TIFF" in result.output
    stored = air_quality_store.read_air_quality(engine)
    assert sorted(stored["concentration"]) == sorted(GRID.ravel()[1:].tolist())
    refused = run_cli(sqlite_url, "import", "air-quality", str(tif), "--pollutant=no2", "--band=3")
    assert refused.exit_code == 1
    assert (
        "nothing was written" in refused.output and "NO2_2025.TIFF, column --band" in refused.output
    )
    misused = run_cli(
        sqlite_url, "import", "air-quality", str(tif), "--pollutant=no2", "--x-field=lon"
    )
    assert (
        misused.exit_code == 2 and "--x-field does not apply to --format geotiff" in misused.output
    )
    engine.dispose()
