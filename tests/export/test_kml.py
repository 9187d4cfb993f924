"""KML export: valid against the official OGC KML 2.2 schema with Google's gx extension
schema (tests/data/kml/schemas, from the pykml wheel), and a round trip."""

from __future__ import annotations

import copy
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from tests.conftest import BUNDLED
from tests.export.run_tables import events, rows_by_object, start_time

from iadsim.export import export_run, read_run_record

etree = pytest.importorskip("lxml.etree")

SCHEMAS = Path(__file__).resolve().parents[1] / "data" / "kml" / "schemas"
NS = {"k": "http://www.opengis.net/kml/2.2", "gx": "http://www.google.com/kml/ext/2.2"}


@pytest.fixture(scope="module")
def schema():
    """Google's gx extension schema, which imports OGC KML 2.2 (and it Atom and xAL), all
    from local copies: no network."""
    return etree.XMLSchema(etree.parse(str(SCHEMAS / "kml22gx.xsd")))


@pytest.fixture(scope="module")
def kml(short_run, tmp_path_factory):
    path = tmp_path_factory.mktemp("kml") / "run.kml"
    export_run(read_run_record(short_run), "kml", path)
    return etree.parse(str(path))


def test_the_export_validates_against_the_schema(schema, kml):
    assert schema.validate(kml), schema.error_log


@pytest.mark.parametrize(
    "break_it",
    [
        # a Placemark's name after its geometry: out of the Feature's order
        lambda doc: doc.find(".//k:Placemark", NS).append(
            copy.deepcopy(doc.find(".//k:Placemark/k:name", NS))
        ),
        # a colour that is not aabbggrr
        lambda doc: setattr(doc.find(".//k:color", NS), "text", "red"),
        # an altitude mode KML does not know
        lambda doc: setattr(doc.find(".//gx:Track/k:altitudeMode", NS), "text", "aboveSea"),
        # a line width that is not a number
        lambda doc: setattr(doc.find(".//k:LineStyle/k:width", NS), "text", "thick"),
        # an instant that is not a dateTime
        lambda doc: setattr(doc.find(".//gx:Track/k:when", NS), "text", "t+10s"),
    ],
    ids=["order", "colour", "altitude-mode", "width", "when"],
)
def test_the_schema_rejects_a_broken_document(schema, kml, break_it):
    broken = copy.deepcopy(kml)
    break_it(broken.getroot())
    assert not schema.validate(broken)


def test_every_gx_coord_is_longitude_latitude_altitude(kml):
    """The schema types ``gx:coord`` as a string; Google's KML Reference (gx:Track) says
    it is "longitude latitude altitude", space-separated: three numbers, in range."""
    coords = [c.text.split() for c in kml.iterfind(".//gx:coord", NS)]
    assert coords
    assert {len(c) for c in coords} == {3}
    values = np.array(coords, dtype=float)
    assert np.all(np.abs(values[:, 0]) <= 180.0) and np.all(np.abs(values[:, 1]) <= 90.0)


def placemarks(kml) -> dict[str, object]:
    """Placemarks with a track, by their ``key`` data."""
    found = {}
    for placemark in kml.iterfind(".//k:Placemark", NS):
        key = placemark.find("k:ExtendedData/k:Data[@name='key']/k:value", NS)
        if key is not None:
            found[key.text] = placemark
    return found


def track_samples(placemark) -> tuple[list[datetime], np.ndarray]:
    track = placemark.find("gx:Track", NS)
    when = [
        datetime.fromisoformat(w.text.replace("Z", "+00:00")) for w in track.iterfind("k:when", NS)
    ]
    coords = np.array([[float(v) for v in c.text.split()] for c in track.iterfind("gx:coord", NS)])
    assert len(when) == len(coords)
    return when, coords


def test_truth_tracks_round_trip(kml, short_run):
    found = placemarks(kml)
    start = start_time(short_run)
    for name, rows in rows_by_object(short_run, "truth").items():
        when, coords = track_samples(found[f"truth/{name}"])
        assert when[: len(rows)] == [start + timedelta(seconds=r["time_s"]) for r in rows]
        recorded = np.array([[r["lon_deg"], r["lat_deg"], r["alt_m"]] for r in rows])
        np.testing.assert_allclose(coords[: len(rows), :2], recorded[:, :2], atol=1e-7)
        np.testing.assert_allclose(coords[: len(rows), 2], recorded[:, 2], atol=0.01)


def test_each_track_carries_the_identity_its_post_held_at_each_instant(kml, short_run):
    found = placemarks(kml)
    checked = 0
    for post in ("s400-murted", "nato-awacs"):
        for track, rows in rows_by_object(short_run, post).items():
            segments = [p for k, p in found.items() if k.split("#")[0] == f"{post}/track/{track}"]
            identities = [
                v.text
                for p in segments
                for v in p.iterfind(".//gx:SimpleArrayData[@name='identity']/gx:value", NS)
            ]
            coords = np.vstack([track_samples(p)[1] for p in segments])
            assert identities == [r["identity"] for r in rows]
            np.testing.assert_allclose(
                coords[:, :2], [[r["lon_deg"], r["lat_deg"]] for r in rows], atol=1e-7
            )
            checked += len(rows)
    assert checked > 100


def test_kills_are_time_stamped_points(kml, short_run):
    points = kml.findall(".//k:Placemark[k:TimeStamp]", NS)
    kills = events(short_run, "kill")
    named = [p for p in points if p.findtext("k:name", namespaces=NS).startswith("kill ")]
    assert len(named) == len(kills) > 0
    for placemark, kill in zip(named, kills, strict=True):
        lon, lat, alt = (
            float(v) for v in placemark.findtext(".//k:coordinates", namespaces=NS).split(",")
        )
        np.testing.assert_allclose(
            [lon, lat, alt], [kill["lon_deg"], kill["lat_deg"], kill["alt_m"]], atol=0.01
        )


@pytest.mark.slow
@pytest.mark.parametrize("name", BUNDLED)
def test_each_bundled_runs_kml_validates_against_the_schema(schema, bundled_runs, name, tmp_path):
    """The whole of each bundled run (every track, post, interceptor and event)."""
    folder, _ = bundled_runs[name]
    path = tmp_path / f"{name}.kml"
    export_run(read_run_record(folder), "kml", path)
    document = etree.parse(str(path))
    assert schema.validate(document), schema.error_log
    assert document.find(".//gx:Track", NS) is not None
