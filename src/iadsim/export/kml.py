"""KML 2.2 for Google Earth: each object a Placemark with a ``gx:Track``.

Written after OGC 07-147r2 (OGC KML 2.2.0, 2008) and Google's KML extension namespace
``http://www.google.com/kml/ext/2.2`` (KML Reference, "gx:Track"): a ``gx:Track`` holds
``when`` instants (ISO 8601, clock time) followed by as many ``gx:coord`` positions
(``lon lat alt``, degrees and metres, ``altitudeMode`` absolute). A post's track carries
the identity the post held at each instant as ``gx:SimpleArrayData name="identity"``
(declared in the document's ``Schema``), its static labels as ``ExtendedData/Data``.
Elements appear in the order the schema requires (a Feature's ``name``, ``description``,
time primitive, ``styleUrl``, ``ExtendedData``, then its geometry).

Folders: truth, one per post's tracks, interceptors, events (kill, miss, leak points with
a ``TimeStamp``). ``absolute`` altitude is above mean sea level in Google Earth; iadsim's
altitudes are written as recorded.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from iadsim.export.colours import (
    IDENTITY_COLOURS,
    INTERCEPTOR_COLOUR,
    MARKER_COLOURS,
    OTHER_COLOUR,
    SIDE_COLOURS,
    rgb,
)
from iadsim.export.czml import instant
from iadsim.export.run_record import RunRecord, Trajectory

KML = "http://www.opengis.net/kml/2.2"
GX = "http://www.google.com/kml/ext/2.2"
ET.register_namespace("", KML)
ET.register_namespace("gx", GX)
IDENTITY_SCHEMA = "track-identity"
"""``id`` of the Schema declaring the per-instant identity array."""


def _k(tag: str) -> str:
    return f"{{{KML}}}{tag}"


def _gx(tag: str) -> str:
    return f"{{{GX}}}{tag}"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    if text is not None:
        element.text = text
    return element


def kml_colour(hex_colour: str, alpha: int = 255) -> str:
    """KML ``colorType``: ``aabbggrr`` hexadecimal (OGC 07-147r2, 16.9)."""
    red, green, blue = rgb(hex_colour)
    return f"{alpha:02x}{blue:02x}{green:02x}{red:02x}"


def _style(document: ET.Element, style_id: str, hex_colour: str) -> None:
    style = _sub(document, _k("Style"), id=style_id)
    icon = _sub(style, _k("IconStyle"))
    _sub(icon, _k("color"), kml_colour(hex_colour))
    _sub(icon, _k("scale"), "0.6")
    line = _sub(style, _k("LineStyle"))
    _sub(line, _k("color"), kml_colour(hex_colour, 200))
    _sub(line, _k("width"), "1.5")


def _style_id(trajectory: Trajectory) -> str:
    if trajectory.kind == "interceptor":
        return "interceptor"
    if trajectory.kind == "track":
        last = str(trajectory.identity[-1])
        return f"identity-{last}" if last in IDENTITY_COLOURS else "other"
    return f"side-{trajectory.side}" if trajectory.side in SIDE_COLOURS else "other"


def _placemark(folder: ET.Element, record: RunRecord, trajectory: Trajectory) -> None:
    placemark = _sub(folder, _k("Placemark"))
    _sub(placemark, _k("name"), trajectory.name)
    span = _sub(placemark, _k("TimeSpan"))
    _sub(span, _k("begin"), instant(record.start_time, trajectory.time_s[0]))
    _sub(span, _k("end"), instant(record.start_time, trajectory.time_s[-1]))
    _sub(placemark, _k("styleUrl"), f"#{_style_id(trajectory)}")
    extended = _sub(placemark, _k("ExtendedData"))
    for key, value in trajectory.labels().items():
        data = _sub(extended, _k("Data"), name=key)
        _sub(data, _k("value"), value)
    track = _sub(placemark, _gx("Track"))
    _sub(track, _k("altitudeMode"), "absolute")
    for seconds in trajectory.time_s:
        _sub(track, _k("when"), instant(record.start_time, seconds))
    for lon, lat, alt in zip(trajectory.lon_deg, trajectory.lat_deg, trajectory.alt_m, strict=True):
        _sub(track, _gx("coord"), f"{lon:.7f} {lat:.7f} {alt:.2f}")
    if trajectory.kind == "track":
        schema_data = _sub(
            _sub(track, _k("ExtendedData")), _k("SchemaData"), schemaUrl=f"#{IDENTITY_SCHEMA}"
        )
        array = _sub(schema_data, _gx("SimpleArrayData"), name="identity")
        for identity in trajectory.identity:
            _sub(array, _gx("value"), str(identity))


def kml_document(record: RunRecord) -> ET.ElementTree:
    """The run as a KML document tree (``kml/Document`` with styles, the identity schema
    and folders of placemarks)."""
    root = ET.Element(_k("kml"))
    document = _sub(root, _k("Document"))
    _sub(document, _k("name"), record.scenario)
    _sub(document, _k("description"), "iadsim run: truth, each post's tracks, interceptors")
    for side, colour in SIDE_COLOURS.items():
        _style(document, f"side-{side}", colour)
    for identity, colour in IDENTITY_COLOURS.items():
        _style(document, f"identity-{identity}", colour)
    _style(document, "interceptor", INTERCEPTOR_COLOUR)
    _style(document, "other", OTHER_COLOUR)
    for kind, colour in MARKER_COLOURS.items():
        _style(document, f"event-{kind}", colour)
    schema = _sub(document, _k("Schema"), id=IDENTITY_SCHEMA, name=IDENTITY_SCHEMA)
    field = _sub(schema, _gx("SimpleArrayField"), name="identity", type="string")
    _sub(field, _k("displayName"), "identity held by the post")
    folders = [("truth", "truth", "truth")]
    folders += [
        (f"{owner} tracks", "track", owner)
        for owner in dict.fromkeys(t.owner for t in record.of_kind("track"))
    ]
    folders.append(("interceptors", "interceptor", ""))
    for title, kind, owner in folders:
        folder = _sub(document, _k("Folder"))
        _sub(folder, _k("name"), title)
        for trajectory in record.of_kind(kind):
            if kind != "track" or trajectory.owner == owner:
                _placemark(folder, record, trajectory)
    events = _sub(document, _k("Folder"))
    _sub(events, _k("name"), "events")
    for marker in record.markers:
        placemark = _sub(events, _k("Placemark"))
        _sub(placemark, _k("name"), f"{marker.kind} {marker.truth}".strip())
        stamp = _sub(placemark, _k("TimeStamp"))
        _sub(stamp, _k("when"), instant(record.start_time, marker.time_s))
        _sub(placemark, _k("styleUrl"), f"#event-{marker.kind}")
        point = _sub(placemark, _k("Point"))
        _sub(point, _k("altitudeMode"), "absolute")
        _sub(
            point,
            _k("coordinates"),
            f"{marker.lon_deg:.7f},{marker.lat_deg:.7f},{marker.alt_m:.2f}",
        )
    ET.indent(root, space=" ")
    return ET.ElementTree(root)


def write_kml(record: RunRecord, path: Path) -> None:
    """Write :func:`kml_document` to ``path`` as UTF-8 XML with a declaration."""
    kml_document(record).write(path, encoding="UTF-8", xml_declaration=True)
