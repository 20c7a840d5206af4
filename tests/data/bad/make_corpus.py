"""Regenerate the bad-input corpus here: ``.venv/bin/python tests/data/bad/make_corpus.py``.

Each file is one kind of bad input; tests/test_import_bad_corpus.py says what error each
must give. The 10 MB single line is made by the test itself (no big files in git).
Areas known to the test store: R1-R4, B1-B10, K20401-K20405, kbh.
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
H = "area_code,criterion,year,numerator,denominator\n"
OK = "R1,indkomst,2020,10,100\n"


def w(name: str, text: str | bytes) -> None:
    data = text.encode("utf-8") if isinstance(text, str) else text
    (HERE / name).write_bytes(data)


def long_csv() -> None:
    w("unknown_area.csv", H + OK + "R999,indkomst,2020,10,100\n")
    w("unknown_criterion.csv", H + OK + "R2,indkomts,2020,10,100\n")
    w("criterion_upper_case.csv", H + OK + "R2,Indkomst,2020,10,100\n")
    w("year_not_integer.csv", H + OK + "R2,indkomst,20x0,10,100\n")
    w("year_decimal.csv", H + OK + "R2,indkomst,2020.5,10,100\n")
    w("year_too_early.csv", H + OK + "R2,indkomst,1989,10,100\n")
    w("year_too_late.csv", H + OK + "R2,indkomst,2101,10,100\n")
    w("year_missing.csv", H + OK + "R2,indkomst,,10,100\n")
    w("numerator_negative.csv", H + OK + "R2,indkomst,2020,-3,100\n")
    w("denominator_negative.csv", H + OK + "R2,indkomst,2020,3,-100\n")
    w("numerator_not_numeric.csv", H + OK + "R2,indkomst,2020,ti,100\n")
    w("denominator_not_numeric.csv", H + OK + "R2,indkomst,2020,10,n/a\n")
    w("numerator_missing.csv", H + OK + "R2,indkomst,2020,,100\n")
    w("denominator_missing.csv", H + OK + "R2,indkomst,2020,10,\n")
    w("numerator_nan.csv", H + OK + "R2,indkomst,2020,NaN,100\n")
    w("numerator_infinite.csv", H + OK + "R2,indkomst,2020,inf,100\n")
    w("numerator_huge.csv", H + OK + "R2,indkomst,2020,1e20,1e21\n")
    w("numerator_thousands_separator.csv", H + OK + 'R2,indkomst,2020,"1.234,5",5000\n')
    w("numerator_above_denominator.csv", H + OK + "R2,indkomst,2020,120,100\n")
    w("denominator_zero.csv", H + OK + "R2,indkomst,2020,5,0\n")
    w("duplicate_key.csv", H + OK + "R2,indkomst,2020,5,50\nR1,indkomst,2020,10,100\n")
    w("conflict_a.csv", H + OK + "R2,indkomst,2020,5,50\n")
    w("conflict_b.csv", H + "R1,indkomst,2020,11,100\n")
    w("missing_column.csv", "area_code,criterion,year,numerator\nR1,indkomst,2020,10\n")
    w(
        "misspelled_header.csv",
        "area_code,criterion,year,numerater,denominator\n" + OK,
    )
    w("no_header.csv", OK + "R2,indkomst,2020,5,50\n")
    w("extra_column.csv", H.strip() + ",comment\nR1,indkomst,2020,10,100,hello\n")
    w("duplicate_column.csv", H.strip() + ",year\nR1,indkomst,2020,10,100,2020\n")
    w("wrong_delimiter.csv", H.replace(",", ";") + OK.replace(",", ";"))
    w("tab_delimited.csv", H.replace(",", "\t") + OK.replace(",", "\t"))
    w("decimal_comma_unquoted.csv", H + "R1,indkomst,2020,12,5,100\n")
    w("decimal_comma_quoted.csv", H + 'R1,indkomst,2020,"12,5",100\n')
    w(
        "latin1.csv",
        (H.strip() + ",source\n" + "R1,indkomst,2020,10,100,Københavns Kommune\n").encode(
            "latin-1"
        ),
    )
    w("utf16.csv", (H + OK).encode("utf-16"))
    w("empty.csv", b"")
    w("whitespace_only.csv", "  \n\n \n")
    w("header_only.csv", H)
    w("truncated_last_line.csv", H + OK + "R2,indkomst,20")
    w("too_many_fields.csv", H + OK + "R2,indkomst,2020,5,50,\n")
    w("unterminated_quote.csv", H + OK + 'R2,"indkomst,2020,5,50\nR3,indkomst,2020,5,50\n')
    w("binary_garbage.bin", bytes(range(256)) * 4)
    w("area_code_too_long.csv", H + OK + "R" + "1" * 80 + ",indkomst,2020,5,50\n")
    w(
        "source_too_long.csv",
        H.strip() + ",source\n" + "R1,indkomst,2020,10,100," + "x" * 600 + "\n",
    )


SB_HEAD = "\ufeffOMRKK;BEGREB;TID;INDHOLD\r\n"
NUM = "Uden for arbejde og uddannelse (fuldtidspersoner) 18-64 år"
DEN = "Personer 18-64 år"


def sb_rows(area: str, year: str, num: str, den: str) -> str:
    return f"{area};{NUM};{year};{num}\r\n{area};{DEN};{year};{den}\r\n"


def statbank() -> None:
    good = sb_rows("Bydel - Nørrebro", "2024", "6120,5", "52311")
    w(
        "statbank_unmapped_area.csv",
        SB_HEAD + good + sb_rows("Bydel - Ørestad", "2024", "10", "100"),
    )
    w("statbank_bad_figure.csv", SB_HEAD + good + sb_rows("Bydel - Valby", "2024", "mange", "100"))
    w(
        "statbank_missing_denominator.csv",
        SB_HEAD + good + f"Bydel - Valby;{NUM};2024;12\r\n",
    )
    w("statbank_comma_delimited.csv", SB_HEAD.replace(";", ",") + good.replace(";", ","))
    w("statbank_quarter_time.csv", SB_HEAD + sb_rows("Bydel - Nørrebro", "2024K1", "10", "100"))
    w(
        "statbank_missing_value_column.csv",
        "\ufeffOMRKK;BEGREB;TID\r\nBydel - Nørrebro;Personer 18-64 år;2024\r\n",
    )
    w("statbank_duplicate_row.csv", SB_HEAD + good + f"Bydel - Nørrebro;{DEN};2024;52311\r\n")
    w(
        "statbank_point_decimal.csv",
        SB_HEAD + sb_rows("Bydel - Nørrebro", "2024", "6120.5", "52311"),
    )
    w(
        "statbank_no_matching_columns.csv",
        "\ufeffOMRKK;ALDER;TID;INDHOLD\r\nBydel - Nørrebro;18-64 år;2024;100\r\n",
    )
    w("statbank_year_out_of_range.csv", SB_HEAD + sb_rows("Bydel - Nørrebro", "1850", "10", "100"))


MAPPING_OK = """
columns: {area: OMRKK, time: TID, value: INDHOLD}
areas: {"Bydel - Nørrebro": B3}
criteria:
  arbejdsmarked:
    numerator: {where: {BEGREB: "x"}}
    denominator: {where: {BEGREB: "y"}}
"""


def mappings() -> None:
    w("mapping_unknown_criterion.yaml", MAPPING_OK.replace("arbejdsmarked:", "arbejdsmarkedet:"))
    w("mapping_malformed.yaml", "columns: {area: OMRKK\nareas: [\n")
    w(
        "mapping_missing_denominator.yaml",
        MAPPING_OK.replace('    denominator: {where: {BEGREB: "y"}}\n', ""),
    )
    w("mapping_unknown_key.yaml", MAPPING_OK + "delimeter: ';'\n")
    w("mapping_bad_regex.yaml", MAPPING_OK + "time_pattern: '^(\\d{4}$'\n")


def feature(code: str | None, name: str | None, geometry: dict | None, **props) -> dict:
    properties = {"code": code, "name": name, **props}
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def collection(features: list[dict], crs: str | None = None) -> str:
    doc: dict = {"type": "FeatureCollection", "features": features}
    if crs:
        doc["crs"] = {"type": "name", "properties": {"name": crs}}
    return json.dumps(doc, ensure_ascii=False, indent=1)


def square(x: float, y: float, d: float = 0.005) -> dict:
    ring = [[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]
    return {"type": "Polygon", "coordinates": [ring]}


def areas() -> None:
    ok = feature("N1", "Ny 1", square(12.55, 55.68))
    bowtie = {
        "type": "Polygon",
        "coordinates": [[[12.5, 55.6], [12.51, 55.61], [12.51, 55.6], [12.5, 55.61], [12.5, 55.6]]],
    }
    w("areas_invalid_geometry.geojson", collection([ok, feature("N2", "Sløjfe", bowtie)]))
    w(
        "areas_empty_geometry.geojson",
        collection([ok, feature("N2", "Tom", {"type": "Polygon", "coordinates": []})]),
    )
    w("areas_null_geometry.geojson", collection([ok, feature("N2", "Ingen", None)]))
    w(
        "areas_outside_denmark.geojson",
        collection([ok, feature("N2", "Berlin", square(13.4, 52.5))]),
    )
    w(
        "areas_swapped_coordinates.geojson",
        collection([ok, feature("N2", "Byttet", square(55.68, 12.55))]),
    )
    w(
        "areas_duplicate_codes.geojson",
        collection([ok, feature("N1", "Ny 1 igen", square(12.56, 55.69))]),
    )
    w(
        "areas_missing_code_field.geojson",
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"navn": "x"},
                        "geometry": square(12.55, 55.68),
                    }
                ],
            }
        ),
    )
    w(
        "areas_point_geometry.geojson",
        collection([ok, feature("N2", "Punkt", {"type": "Point", "coordinates": [12.55, 55.68]})]),
    )
    w(
        "areas_missing_code.geojson",
        collection([ok, feature(None, "Uden kode", square(12.56, 55.69))]),
    )
    w("areas_missing_name.geojson", collection([ok, feature("N2", None, square(12.56, 55.69))]))
    w("areas_not_geo.geojson", "this is not { a geometry file")
    w(
        "areas_wrong_declared_crs.geojson",
        collection(
            [feature("N1", "Ny 1", square(12.55, 55.68))], crs="urn:ogc:def:crs:EPSG::25832"
        ),
    )
    w(
        "areas_other_level_code.geojson",
        collection([feature("R1", "Rode 1 som bydel", square(12.55, 55.68))]),
    )
    w("areas_empty_layer.geojson", collection([]))
    # A Shapefile without its .prj: no CRS.
    import geopandas as gpd
    import shapely

    gdf = gpd.GeoDataFrame(
        {"code": ["N1"], "name": ["Ny 1"]}, geometry=[shapely.box(12.55, 55.68, 12.56, 55.69)]
    )
    gdf.to_file(HERE / "areas_no_crs.shp", engine="pyogrio")
    for leftover in ("areas_no_crs.prj", "areas_no_crs.cpg"):
        (HERE / leftover).unlink(missing_ok=True)


def state_lists() -> None:
    h = "area_code,list_year,category\n"
    w("state_list_bad_category.csv", h + "R1,2024,udsat\nR2,2024,belastet\n")
    w("state_list_wrong_year_for_category.csv", h + "R1,2019,parallelsamfund\n")
    w("state_list_unknown_area.csv", h + "R1,2024,udsat\nR999,2024,udsat\n")
    w("state_list_duplicate.csv", h + "R1,2024,udsat\nR1,2024,Udsat boligområde\n")
    w("state_list_bad_year.csv", h + "R1,24,udsat\n")


if __name__ == "__main__":
    long_csv()
    statbank()
    mappings()
    areas()
    state_lists()
    print(f"wrote {len(list(HERE.iterdir())) - 1} files in {HERE}")
