"""Vendor the report's JavaScript and CSS from the npm registry's published packages.

``iadsim report`` writes one HTML file that must open from disk with no network, so the
map library it uses is copied into the package (``src/iadsim/report/vendor/``) with its
licence, from the package tarball the npm registry publishes, checked against the
registry's SHA-512 integrity value. Run it again (with a new version below) to update::

    .venv/bin/python scripts/vendor_report_js.py
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import tarfile
import urllib.request
from pathlib import Path

REGISTRY = "https://registry.npmjs.org"
PACKAGES = {
    # package: (version, {file in the tarball: file in vendor/})
    "leaflet": (
        "1.9.4",
        {
            "package/dist/leaflet.js": "leaflet.js",
            "package/dist/leaflet.css": "leaflet.css",
            "package/LICENSE": "leaflet.LICENSE",
        },
    ),
}
VENDOR = Path(__file__).resolve().parents[1] / "src" / "iadsim" / "report" / "vendor"


def _fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=60) as response:
        return bytes(response.read())


def vendor(package: str, version: str, files: dict[str, str]) -> None:
    """Download ``package@version``, check its integrity, copy ``files`` into vendor/."""
    meta = json.loads(_fetch(f"{REGISTRY}/{package}/{version}"))
    tarball = _fetch(meta["dist"]["tarball"])
    algorithm, _, expected = meta["dist"]["integrity"].partition("-")
    if algorithm != "sha512":
        raise SystemExit(f"{package}: unexpected integrity algorithm {algorithm}")
    digest = base64.b64encode(hashlib.sha512(tarball).digest()).decode()
    if digest != expected:
        raise SystemExit(f"{package}@{version}: tarball does not match its integrity value")
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
        for member, target in files.items():
            extracted = archive.extractfile(member)
            if extracted is None:
                raise SystemExit(f"{package}: {member} is not a file")
            (VENDOR / target).write_bytes(extracted.read())
            print(f"{package}@{version}: {member} -> {VENDOR / target}")
    versions = VENDOR / "VERSIONS.txt"
    versions.write_text(
        f"{package} {version} from {meta['dist']['tarball']} ({meta['dist']['integrity']})\n",
        encoding="utf-8",
    )


def main() -> None:
    VENDOR.mkdir(parents=True, exist_ok=True)
    for package, (version, files) in PACKAGES.items():
        vendor(package, version, files)


if __name__ == "__main__":
    main()
