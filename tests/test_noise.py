"""The noise grid: decoding, the band decision, sampling across CRSs, the map layer."""

from __future__ import annotations

import json

import numpy as np
import pytest
import shapely

from indicators import noise
from tests.coverage_support import NOISE_FILE


@pytest.fixture(scope="module")
def fixture_grid() -> noise.NoiseGrid:
    return noise.load_noise_grid(NOISE_FILE)


@pytest.fixture(scope="module")
def shipped_grid() -> noise.NoiseGrid:
    return noise.load_noise_grid()


def test_fixture_grid_decodes_with_row_zero_north(fixture_grid: noise.NoiseGrid) -> None:
    assert fixture_grid.shape == (2, 2)
    # Stored 55 and 70 are "lower edge + 2 dB": the bands 53-58 and 68-73.
    assert fixture_grid.lower_db.tolist() == [[0, 0], [53, 68]]
    assert fixture_grid.band_edges == (53, 68)


def test_noise_cell_at_a_known_band_in_metric_coordinates(fixture_grid: noise.NoiseGrid) -> None:
    # R1's east cells lie in the 68-73 dB band, its west cells in 53-58, R2 has no band.
    x = np.array([700950.0, 700850.0, 700750.0, 700550.0, 700550.0, 650000.0])
    y = np.array([6170050.0, 6170950.0, 6170950.0, 6170050.0, 6171550.0, 6170050.0])
    got = fixture_grid.sample(x, y, "EPSG:25832")
    assert got[:5].tolist() == [68, 68, 53, 53, 0]
    assert np.isnan(got[5])  # outside the grid: unknown, not quiet


def test_sampling_in_lonlat_and_metric_agrees(fixture_grid: noise.NoiseGrid) -> None:
    from pyproj import Transformer

    x = np.linspace(700000, 701000, 23)
    y = np.linspace(6170000, 6172000, 23)
    lon, lat = Transformer.from_crs(25832, 4326, always_xy=True).transform(x, y)
    np.testing.assert_array_equal(
        fixture_grid.sample(x, y, "EPSG:25832"), fixture_grid.sample(lon, lat, "EPSG:4326")
    )
    with pytest.raises(ValueError, match="CRS"):
        fixture_grid.sample(x, y, None)  # type: ignore[arg-type]


def test_guideline_and_heavy_exposure_are_band_edges() -> None:
    assert noise.check_threshold(58) == 58
    assert noise.check_threshold(68.0) == 68
    for inside_a_band in (55, 60, 65.5, 70):
        with pytest.raises(ValueError, match="band edge"):
            noise.check_threshold(inside_a_band)


def test_band_labels() -> None:
    assert noise.band_label(58) == "58–63 dB"
    assert noise.band_label(73) == "≥ 73 dB"
    assert noise.band_label(0) == "under 53 dB"
    assert noise.band_label(0, "en") == "below 53 dB"


def test_encode_decode_round_trip_and_bad_input() -> None:
    values = np.array([[0, 60, 75], [55, 65, 70]], dtype=np.uint8)
    doc = noise.encode_grid(values, (12.0, 55.0, 12.3, 55.2))
    grid = noise.decode_grid(json.loads(json.dumps(doc)))
    np.testing.assert_array_equal(grid.values, values)
    assert grid.lower_db.tolist() == [[0, 58, 73], [53, 63, 68]]
    # The alternative reading (EU bands labelled by their lower edge) is one parameter away.
    assert noise.decode_grid(doc, band_offset_db=0).band_edges == (55, 60, 65, 70, 75)
    broken = dict(doc, rows=3)
    with pytest.raises(ValueError, match="bytes"):
        noise.decode_grid(broken)
    with pytest.raises(ValueError, match="bbox"):
        noise.decode_grid(dict(doc, bbox=[12.3, 55.0, 12.0, 55.2]))


def test_clip_keeps_cells_aligned(shipped_grid: noise.NoiseGrid) -> None:
    small = shipped_grid.clip(12.45, 55.61, 12.74, 55.74)
    lon = np.array([12.5, 12.55, 12.6, 12.65])
    lat = np.array([55.65, 55.68, 55.7, 55.72])
    np.testing.assert_array_equal(
        small.sample_lonlat(lon, lat), shipped_grid.sample_lonlat(lon, lat)
    )


def test_shipped_grid_matches_its_documentation(shipped_grid: noise.NoiseGrid) -> None:
    assert shipped_grid.shape == (6632, 5312)
    assert (shipped_grid.west, shipped_grid.south, shipped_grid.east, shipped_grid.north) == (
        11.85,
        55.55,
        12.7,
        56.15,
    )
    assert set(np.unique(shipped_grid.values).tolist()) == {0, 55, 60, 65, 70, 75}
    assert shipped_grid.band_edges == noise.BAND_EDGES_DB
    assert noise.GUIDELINE_DB in shipped_grid.band_edges
    assert noise.HEAVY_DB in shipped_grid.band_edges
    # Copenhagen: about a third of the land is mapped at 53 dB or more (SOURCES.md counts).
    cph = shipped_grid.clip(12.45, 55.61, 12.70, 55.74).lower_db
    assert 0.15 < (cph > 0).mean() < 0.6


def test_band_polygons_cover_the_bands(fixture_grid: noise.NoiseGrid) -> None:
    layers = noise.band_polygons(fixture_grid, min_db=53, block=1, simplify_m=0)
    assert [edge for edge, _ in layers] == [53, 68]
    assert all(g.is_valid and not g.is_empty for _, g in layers)
    quiet, loud = (g for _, g in layers)
    assert not quiet.intersection(loud).area > 1e-12  # one band per cell
    assert [edge for edge, _ in noise.band_polygons(fixture_grid, min_db=58, block=1)] == [68]
    g = fixture_grid
    west_half = shapely.box(g.west, g.south, (g.west + g.east) / 2, g.north)
    clipped = noise.band_polygons(fixture_grid, min_db=53, block=1, within=west_half)
    assert [edge for edge, _ in clipped] == [53]
