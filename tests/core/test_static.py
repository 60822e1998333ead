"""Production's static files: collectstatic with the manifest storage (DEBUG off) finds every file it references."""

import json
import re

from django.core.management import call_command


def test_collectstatic_with_the_manifest_storage_succeeds(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    manifest = (tmp_path / "staticfiles.json").read_text()
    assert "vendor/leaflet/leaflet.js" in manifest and "css/kiezwerk.css" in manifest


def test_arabic_font_is_collected_hashed_and_served_by_whitenoise(client, settings, tmp_path):
    """The stylesheet's @font-face points at the hashed font file after collectstatic, and WhiteNoise serves
    it as WOFF2 (production: DEBUG off, no finders)."""
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    paths = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    css = (tmp_path / paths["css/kiezwerk.css"]).read_text()
    faces = re.findall(r"@font-face\s*\{[^}]*\}", css)
    assert len(faces) == 2
    for weight, name in (("400", "Regular"), ("700", "Bold")):
        face = next(face for face in faces if f"font-weight: {weight};" in face)
        assert 'font-family: "Noto Sans Arabic"' in face and "font-display: swap" in face
        assert "unicode-range: U+0600-06FF" in face  # only pages with Arabic letters fetch it
        hashed = paths[f"fonts/NotoSansArabic-{name}.woff2"]
        assert hashed != f"fonts/NotoSansArabic-{name}.woff2"
        assert f'url("../{hashed}")' in face
        response = client.get(f"{settings.STATIC_URL}{hashed}")
        assert response.status_code == 200
        assert response["Content-Type"] == "font/woff2"
        assert "immutable" in response["Cache-Control"]
        assert b"".join(response.streaming_content)[:4] == b"wOF2"
    assert re.search(r'body \{[^}]*font-family: "Noto Sans Arabic", system-ui', css)
