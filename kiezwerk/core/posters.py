"""Posters to print: a template (HTML and CSS, A4) rendered to PDF with WeasyPrint, a QR code drawn by segno.

Generic: the desk's poster for a place is the first; projects and events pass their own texts and link.
Text in several languages comes from the catalogues (`in_languages`); every block carries its `lang` and
`dir`, so Arabic is set right to left with the Noto fonts from Debian (docs/operations.md).
"""

import segno
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.text import slugify
from weasyprint import HTML

# Umlauts as a German writes them without: "Donauwörther Straße" → "donauwoerther-strasse".
_ASCII = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})


def qr_svg(url):
    """The QR code of `url` as inline SVG; error correction level M, as a poster may get dirty or creased."""
    return segno.make(url, error="m", micro=False).svg_inline(scale=1, border=4, omitsize=True)


def in_languages(codes, texts):
    """[{"code", "dir", **texts()}] with `texts()` called while each language is active, in the order given."""
    blocks = []
    for code in codes:
        with translation.override(code):
            blocks.append({"code": code, "dir": "rtl" if translation.get_language_bidi() else "ltr", **texts()})
    return blocks


def file_name(prefix, *parts):
    """A poster's file name: `prefix-parts-in-ascii.pdf`, at most 80 characters after the prefix."""
    name = slugify(" ".join(str(part) for part in parts).translate(_ASCII))[:80].strip("-")
    return f"{prefix}-{name}.pdf" if name else f"{prefix}.pdf"


def pdf(template_name, context):
    """The PDF of a poster template."""
    html = render_to_string(template_name, context)
    return HTML(string=html).write_pdf()


def pdf_response(document, filename):
    """A PDF to download."""
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
